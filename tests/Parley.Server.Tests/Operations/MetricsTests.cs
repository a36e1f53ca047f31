using System.Globalization;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Parley.Stun;
using Parley.Stun.Attributes;
using Parley.Turn.Tests;

namespace Parley.Server.Tests.Operations;

/// <summary>
/// Runs alone: an OpenTelemetry meter provider listens to meters by name, so with several servers in one process (as
/// tests run in parallel) one server's exporter may take another's instruments of the same name and report its
/// counts instead (seen once in a full parallel run). One server per process, as in production, has no such question.
/// </summary>
[CollectionDefinition(nameof(MetricsRunAlone), DisableParallelization = true)]
public sealed class MetricsRunAlone;

/// <summary><c>/metrics</c>: Prometheus text of Parley's meters after real traffic, and who may read it.</summary>
[Collection(nameof(MetricsRunAlone))]
public sealed partial class MetricsTests
{
    private const string Secret = "metrics-secret-0123456789";

    [Fact]
    public async Task Signaling_counters_move_with_real_joins_messages_and_errors()
    {
        using var server = new ParleyServer();
        await using var ann = await server.JoinAsync("metrics", "Ann");
        await using var bob = await server.JoinAsync("metrics", "Bob");
        await ann.ExpectAsync("participant-joined");
        await ann.SendTextAsync("{\"type\":\"no-such-type\"}");
        await ann.ExpectErrorAsync("unknown-type");
        await using var carol = await server.ConnectAsync();
        await carol.SendTextAsync("{\"type\":\"join\",\"room\":\"\",\"name\":\"Carol\"}");
        var refusal = await carol.ExpectAsync("error");

        var text = await ScrapeAsync(server.BaseAddress);

        AtLeast(text, 2, "parley_signaling_joins_total");
        AtLeast(text, 2, "parley_signaling_messages_total", "network_io_direction=\"receive\"", "parley_signaling_message_type=\"join\"");
        AtLeast(text, 4, "parley_signaling_messages_total", "network_io_direction=\"transmit\"");
        AtLeast(text, 41, "parley_signaling_io_bytes_total", "network_io_direction=\"receive\"", "parley_signaling_message_type=\"join\"");
        AtLeast(text, 1, "parley_signaling_errors_total", "error_type=\"unknown-type\"");
        AtLeast(text, 1, "parley_signaling_join_refusals_total", $"error_type=\"{refusal.GetProperty("code").GetString()}\"");
        AtLeast(text, 1, "parley_signaling_rooms");
        AtLeast(text, 2, "parley_signaling_participants");
        AtLeast(text, 3, "parley_signaling_connections");
        // The runtime's own meter, under OpenTelemetry's names.
        Assert.Contains("dotnet_gc_heap_total_allocated_bytes_total", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Turn_counters_move_with_a_real_allocation_and_relayed_packets_both_ways()
    {
        var (server, port) = TurnIceServerTests.StartWithTurn(new()
        {
            ["Turn:SharedSecrets:0"] = Secret,
            ["Turn:RelayAddress"] = "127.0.0.1",
            ["Turn:AllowedPeerRanges:0"] = "127.0.0.0/8",
        });
        using var _ = server;
        var expiry = server.Time.GetUtcNow().AddHours(1).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var username = $"{expiry}:metrics";
#pragma warning disable CA5350 // coturn's credential format is HMAC-SHA1 by definition.
        var password = Convert.ToBase64String(System.Security.Cryptography.HMACSHA1.HashData("metrics-secret-0123456789"u8, System.Text.Encoding.UTF8.GetBytes(username)));
#pragma warning restore CA5350
        using var client = await TurnSocketClient.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), tcp: false);
        IStunSetter[] udp = [RequestedTransport.UdpTransport];
        var challenge = await client.RequestAsync(StunMessage.Build(new StunMessageType(StunMethod.Allocate, StunClass.Request), TransactionId.NewId(), udp));
        Assert.Equal(StunErrorCode.Unauthenticated, challenge.Error); // a 401 first, then the allocation
        var allocated = await client.RequestAsync(LongTermRequest.Build(StunMethod.Allocate, TransactionId.NewId(), username, password, challenge.Realm!, challenge.Nonce!, udp));
        Assert.Equal(StunClass.SuccessResponse, allocated.Class);
        using var peer = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var peerAddress = new TransportAddress((IPEndPoint)peer.Client.LocalEndPoint!);
        var permission = await client.RequestAsync(LongTermRequest.Build(StunMethod.CreatePermission, TransactionId.NewId(), username, password,
            challenge.Realm!, challenge.Nonce!, [new XorPeerAddress(peerAddress)]));
        Assert.Equal(StunClass.SuccessResponse, permission.Class);

        await client.SendRawAsync(SendIndication(peerAddress, "to the peer"u8));
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var atPeer = await peer.ReceiveAsync(deadline.Token);
        await peer.SendAsync("to the client"u8.ToArray(), atPeer.RemoteEndPoint, deadline.Token);
        var indication = Response.Parse(await client.ReceiveAsync(deadline.Token));
        Assert.Equal((StunMethod.Data, StunClass.Indication), (indication.Method, indication.Class));

        var text = await ScrapeAsync(server.BaseAddress);

        AtLeast(text, 1, "parley_turn_allocations");
        AtLeast(text, 1, "parley_turn_permissions");
        AtLeast(text, 1, "parley_turn_errors_total", "error_type=\"401\"");
        AtLeast(text, 1, "parley_turn_relay_packets_total", "parley_turn_relay_direction=\"to_peer\"");
        AtLeast(text, 1, "parley_turn_relay_packets_total", "parley_turn_relay_direction=\"to_client\"");
        AtLeast(text, "to the peer".Length, "parley_turn_relay_io_bytes_total", "parley_turn_relay_direction=\"to_peer\"");
    }

    [Fact]
    public async Task Metrics_from_another_address_are_refused_by_default()
    {
        using var server = new ParleyServer(services: services => services.AddSingleton<IStartupFilter>(new RemoteAddress(IPAddress.Parse("192.0.2.10"))));
        using var http = new HttpClient();

        var response = await http.GetAsync(new Uri(server.BaseAddress, "/metrics"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.DoesNotContain("parley_", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_forwarded_by_a_proxy_on_this_machine_are_refused_by_default()
    {
        using var server = new ParleyServer();
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(server.BaseAddress, "/metrics"));
        request.Headers.Add("X-Forwarded-For", "198.51.100.4");

        Assert.Equal(HttpStatusCode.Forbidden, (await http.SendAsync(request)).StatusCode);
    }

    [Fact]
    public async Task With_metrics_open_to_any_address_another_address_may_read_them()
    {
        using var server = new ParleyServer(new() { ["Server:Metrics"] = "Any" },
            services => services.AddSingleton<IStartupFilter>(new RemoteAddress(IPAddress.Parse("192.0.2.10"))));
        using var http = new HttpClient();

        var response = await http.GetAsync(new Uri(server.BaseAddress, "/metrics"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task With_metrics_off_there_is_no_endpoint()
    {
        using var server = new ParleyServer(new() { ["Server:Metrics"] = "Off" });
        using var http = new HttpClient();

        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(new Uri(server.BaseAddress, "/metrics"))).StatusCode);
    }

    /// <summary>Asserts that the samples of <paramref name="name"/> with <paramref name="labels"/> add up to at least <paramref name="minimum"/>.</summary>
    internal static void AtLeast(string text, double minimum, string name, params string[] labels)
    {
        var value = Value(text, name, labels);
        Assert.True(value >= minimum, $"{name}{{{string.Join(',', labels)}}} is {value}, expected at least {minimum}:\n{text}");
    }

    internal static async Task<string> ScrapeAsync(Uri baseAddress)
    {
        using var http = new HttpClient();
        var response = await http.GetAsync(new Uri(baseAddress, "/metrics"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {text}");
        return text;
    }

    /// <summary>The sum of the samples of <paramref name="name"/> whose labels include all of <paramref name="labels"/>.</summary>
    internal static double Value(string text, string name, params string[] labels)
    {
        var sum = 0.0;
        var found = false;
        foreach (Match sample in Sample().Matches(text))
        {
            if (sample.Groups["name"].Value == name && labels.All(label => sample.Groups["labels"].Value.Contains(label, StringComparison.Ordinal)))
            {
                sum += double.Parse(sample.Groups["value"].Value, CultureInfo.InvariantCulture);
                found = true;
            }
        }

        Assert.True(found, $"No sample of {name} with {string.Join(", ", labels)}:\n{text}");
        return sum;
    }

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>[^}]*)\})? (?<value>[-+0-9.eE]+|NaN)", RegexOptions.Multiline)]
    private static partial Regex Sample();

    private static byte[] SendIndication(TransportAddress peer, ReadOnlySpan<byte> data)
    {
        var buffer = new byte[512];
        var writer = new StunMessageWriter(buffer, new StunMessageType(StunMethod.Send, StunClass.Indication), TransactionId.NewId());
        writer.Add(new XorPeerAddress(peer));
        writer.Add(new Data(data));
        return writer.WrittenSpan.ToArray();
    }

    /// <summary>Makes every request seem to come from <paramref name="address"/>, as a client on the LAN.</summary>
    private sealed class RemoteAddress(IPAddress address) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                context.Connection.RemoteIpAddress = address;
                return nextMiddleware(context);
            });
            next(app);
        };
    }
}
