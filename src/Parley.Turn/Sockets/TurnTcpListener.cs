using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Parley.Turn.Sockets;

/// <summary>
/// TURN over TCP on Turn:ListenAddress:Turn:Port (RFC 8656 §3.1; the relay is still UDP, RFC 6062 TCP
/// relaying is not offered). On Linux with event loops a connection is a <see cref="TcpLoopConnection"/>; elsewhere
/// it shares <see cref="TurnStreamConnection"/> with TLS. Closing the connection deletes its allocation.
/// </summary>
internal sealed class TurnTcpListener(TurnServer server, ILogger<TurnTcpListener> logger) : TurnStreamListener(server, logger)
{
    protected override string TransportName => "tcp";

    protected override int Port => Server.Options.Port;

    protected override bool ServedByEventLoops => true;

    protected override ValueTask<Stream> OpenAsync(Socket socket, CancellationToken cancellationToken) =>
        ValueTask.FromResult<Stream>(new NetworkStream(socket, ownsSocket: false));
}
