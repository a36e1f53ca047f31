using System.Net;

namespace Parley.Bench.Signaling;

/// <summary>
/// The HTTP sessions of one pool of participants, sharing one <see cref="HttpClient"/> over one HTTP/1.1 keep-alive
/// connection pool (loopback, no proxy, no cookies, no compression). Every participant holds its event stream on a
/// connection of its own and sends one POST at a time, so the pool allows two connections per participant: no request
/// ever waits for a connection, and POST connections are reused across participants as they free up.
/// </summary>
internal sealed class HttpLinks : IParticipantLinks
{
    private readonly HttpClient client;
    private readonly Uri signal;

    /// <param name="signal">The HTTP signaling path: <c>http://127.0.0.1:PORT/signal</c>.</param>
    /// <param name="participants">Participants that will share the pool.</param>
    public HttpLinks(Uri signal, int participants)
    {
        this.signal = signal;
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = 2 * participants,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(2),
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            ConnectTimeout = TimeSpan.FromSeconds(20),
            UseProxy = false,
            UseCookies = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
        };
        client = new HttpClient(handler)
        {
            DefaultRequestVersion = HttpVersion.Version11,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,

            // Event streams last the whole run; every request has its own cancellation instead.
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    public IParticipantLink Create(Participant participant) => new HttpLink(client, signal);

    public void Dispose() => client.Dispose();
}
