using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Parley.Server.Tests;

/// <summary>
/// A real Parley server on Kestrel, on a free loopback port, with its settings overridden per test class
/// and a <see cref="FakeTimeProvider"/> so timeouts are driven by the test, not by waiting.
/// </summary>
public sealed class ParleyServer : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> settings;

    public ParleyServer(Dictionary<string, string?>? settings = null)
    {
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

    public Task<SignalingClient> ConnectAsync(bool answersHeartbeats = true) => SignalingClient.ConnectAsync(SocketAddress, answersHeartbeats);

    /// <summary>
    /// Moves the fake clock forward in heartbeat-sized steps, with a round trip from each of
    /// <paramref name="alive"/> after every step, as live clients would send something between heartbeats.
    /// </summary>
    public async Task AdvanceAsync(TimeSpan total, params SignalingClient[] alive)
    {
        var step = TimeSpan.FromSeconds(5);
        for (var elapsed = TimeSpan.Zero; elapsed < total; elapsed += step)
        {
            Time.Advance(step < total - elapsed ? step : total - elapsed);
            foreach (var client in alive)
            {
                await client.AssertAliveAsync();
            }
        }
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

        builder.ConfigureServices(services => services.AddSingleton<TimeProvider>(Time));
    }
}
