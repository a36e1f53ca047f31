using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Parley.Signaling.Sessions;

namespace Parley.Server.Tests;

/// <summary>
/// A real Parley server on Kestrel, on a free loopback port, with its settings overridden per test class
/// and a <see cref="FakeTimeProvider"/> so timeouts are driven by the test, not by waiting.
/// </summary>
public sealed class ParleyServer : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> settings;
    private readonly Action<IServiceCollection>? services;

    /// <param name="settings">Configuration overrides.</param>
    /// <param name="services">
    /// Replaces services after the server's own, for a test that must act at an exact point inside the server
    /// (a log provider, an ICE server provider).
    /// </param>
    public ParleyServer(Dictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    {
        this.services = services;
        // TURN is off unless a test asks for it: servers of parallel tests would all want port 3478.
        this.settings = new() { ["Turn:Enabled"] = "false" };
        foreach (var (key, value) in settings ?? [])
        {
            this.settings[key] = value;
        }

        UseKestrel();
        StartServer();
        var address = Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
            .Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address);
    }

    public Uri BaseAddress { get; }

    public Uri SocketAddress => new($"ws://{BaseAddress.Authority}/ws");

    public FakeTimeProvider Time { get; } = new(DateTimeOffset.UtcNow);

    /// <summary>The signaling server inside the host: its open sessions, and its shutdown.</summary>
    public Parley.Signaling.Sessions.SignalingServer Signaling => Services.GetRequiredService<Parley.Signaling.Sessions.SignalingServer>();

    /// <summary>The open HTTP signaling sessions.</summary>
    internal Parley.Signaling.Transports.Http.HttpSessionRegistry HttpSessions => Services.GetRequiredService<Parley.Signaling.Transports.Http.HttpSessionRegistry>();

    public Task<SignalingClient> ConnectAsync(bool answersHeartbeats = true) => SignalingClient.ConnectAsync(SocketAddress, answersHeartbeats);

    /// <summary>Connects over <paramref name="transport"/> (<see cref="AllTransports"/>); returns after <c>hello</c>.</summary>
    public async Task<ISignalingTestClient> ConnectAsync(string transport, bool answersHeartbeats = true) => transport == "websocket"
        ? await ConnectAsync(answersHeartbeats)
        : await HttpSignalingClient.ConnectAsync(BaseAddress, transport, answersHeartbeats);

    /// <summary>Connects over <paramref name="transport"/> and joins; returns the client after its <c>joined</c>.</summary>
    public async Task<ISignalingTestClient> JoinAsync(string room, string name, string transport)
    {
        var client = await ConnectAsync(transport);
        await client.JoinAsync(room, name);
        return client;
    }

    /// <summary>
    /// <paramref name="client"/> vanishes without a word and the server has noticed when this returns: a WebSocket drops
    /// its TCP connection; an HTTP client stops reading and posting, and the fake clock moves on a second at a time until
    /// its session has been idle for <c>Signaling:Http:IdleSeconds</c>.
    /// </summary>
    /// <remarks>
    /// The others in <paramref name="alive"/> make a round trip after every second, as live clients would send
    /// something (their pongs at least) before the heartbeat took them for dead. Give the server an
    /// <c>IdleSeconds</c> below <c>HeartbeatTimeoutSeconds</c>, or the heartbeat closes the session first.
    /// </remarks>
    public async Task DropAsync(ISignalingTestClient client, params ISignalingTestClient[] alive)
    {
        client.Abort();
        if (client is HttpSignalingClient http)
        {
            await http.Reader;
            var transport = HttpSessions.Find(http.Session, System.Net.IPAddress.Loopback);
            Assert.NotNull(transport);

            // The server sees the reader's request end a moment after the client drops it; the idle time counts from then.
            using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10)))
            {
                while (transport.OpenRequests > 0)
                {
                    await Task.Delay(5, timeout.Token);
                }
            }

            for (var step = 0; step < 300; step++)
            {
                Time.Advance(TimeSpan.FromSeconds(1)); // The idle check runs in here, on this thread.
                if (transport.Ended.IsCompleted)
                {
                    break; // Before the round trips: the room mates hear of it next.
                }

                foreach (var other in alive)
                {
                    await other.AssertAliveAsync();
                }
            }

            Assert.True(transport.Ended.IsCompleted, "The HTTP session never went idle.");
        }

        await client.DisposeAsync();
    }

    /// <summary>
    /// Moves the fake clock forward in heartbeat-sized steps, with a round trip from each of
    /// <paramref name="alive"/> after every step, as live clients would send something between heartbeats.
    /// </summary>
    public async Task AdvanceAsync(TimeSpan total, params ISignalingTestClient[] alive)
    {
        // Below an HTTP session's idle time: a long-polling client between two polls holds no request open.
        var step = TimeSpan.FromSeconds(Math.Min(5, Signaling.Options.Http.IdleSeconds - 1));
        for (var elapsed = TimeSpan.Zero; elapsed < total; elapsed += step)
        {
            Time.Advance(step < total - elapsed ? step : total - elapsed);
            foreach (var client in alive)
            {
                await client.AssertAliveAsync();
            }
        }
    }

    /// <summary>
    /// Waits (10 s at most) until the server has read a message from every connection at the fake clock's current
    /// time: a client's last send has been handled, as the seconds between two heartbeats would let it be before
    /// the test moves the clock on. For messages that get no answer, such as <c>pong</c>.
    /// </summary>
    public async Task WaitUntilEveryConnectionIsHeardNowAsync()
    {
        var signaling = Services.GetRequiredService<SignalingServer>();
        var now = Time.GetTimestamp();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!signaling.Sessions.All(session => session.LastReceivedTimestamp == now))
        {
            await Task.Delay(5, timeout.Token);
        }
    }

    /// <summary>Waits (bounded) until the server has noticed closed connections; a socket close is not instant.</summary>
    public async Task WaitUntilSessionsAsync(int count)
    {
        for (var i = 0; i < 200 && Signaling.SessionCount != count; i++)
        {
            await Task.Delay(25);
        }

        Assert.Equal(count, Signaling.SessionCount);
    }

    /// <summary>Connects and joins; returns the client after its <c>joined</c>.</summary>
    public async Task<SignalingClient> JoinAsync(string room, string name)
    {
        var client = await ConnectAsync();
        await client.JoinAsync(room, name);
        return client;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("urls", "http://127.0.0.1:0");
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureServices(services => services.AddSingleton<TimeProvider>(Time).AddSingleton<IStartupFilter, ClientAddressFilter>());
        if (FileLogs.FromEnvironment() is { } fileLogs)
        {
            builder.ConfigureLogging(logging => logging.AddProvider(fileLogs).AddFilter<FileLogs>(null, LogLevel.Debug));
        }

        if (services is not null)
        {
            builder.ConfigureTestServices(services);
        }
    }
}
