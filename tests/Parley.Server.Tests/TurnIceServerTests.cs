using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Parley.Stun;
using Parley.Stun.Attributes;

namespace Parley.Server.Tests;

/// <summary>Signaling hands every participant the embedded STUN/TURN server with credentials of its own.</summary>
public sealed class TurnIceServerTests
{
    private const string Secret = "integration-secret-0123456789";

    internal static (ParleyServer Server, int TurnPort) StartWithTurn(Dictionary<string, string?>? extra = null)
    {
        var port = FreePorts.UdpAndTcp();
        var settings = new Dictionary<string, string?>
        {
            ["Turn:Enabled"] = "true",
            ["Turn:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Turn:ListenAddress"] = "127.0.0.1",
            ["Turn:SharedSecrets:0"] = Secret,
        };
        foreach (var (key, value) in extra ?? [])
        {
            settings[key] = value;
        }

        return (new ParleyServer(settings), port);
    }

    [Fact]
    public async Task Each_participant_gets_stun_and_turn_uris_with_its_own_time_limited_credential()
    {
        var (server, port) = StartWithTurn();
        using var _ = server;
        await using var ann = await server.JoinAsync("turn", "Ann");
        await using var bob = await server.JoinAsync("turn", "Bob");

        var annIce = IceServers(ann);
        Assert.Equal([$"stun:127.0.0.1:{port}"], annIce[0].Urls);
        Assert.Equal([$"turn:127.0.0.1:{port}?transport=udp", $"turn:127.0.0.1:{port}?transport=tcp"], annIce[1].Urls);

        // coturn's REST format: "<expiry unix seconds>:<user>", password base64(HMAC-SHA1(secret, username)).
        var (username, password) = (annIce[1].Username!, annIce[1].Credential!);
        var parts = username.Split(':', 2);
        Assert.Equal(ann.Id, parts[1]);
        var expiry = DateTimeOffset.FromUnixTimeSeconds(long.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture));
        var now = server.Time.GetUtcNow();
        Assert.InRange(expiry, now.AddMinutes(59), now.AddHours(1).AddSeconds(1));
#pragma warning disable CA5350 // coturn's credential format is HMAC-SHA1 by definition.
        Assert.Equal(Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes(username))), password);
#pragma warning restore CA5350

        Assert.NotEqual(username, IceServers(bob)[1].Username);
    }

    [Fact]
    public async Task The_stun_server_handed_out_answers_a_binding_request()
    {
        var (server, port) = StartWithTurn();
        using var _ = server;
        using var udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var transaction = TransactionId.NewId();

        await udp.SendAsync(StunMessage.Build(StunMessageType.BindingRequest, transaction), new IPEndPoint(IPAddress.Loopback, port));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var reply = await udp.ReceiveAsync(timeout.Token);

        Assert.True(StunMessage.TryRead(reply.Buffer, out var response, out var error), error.ToString());
        Assert.Equal(StunMessageType.BindingSuccess, response.Type);
        Assert.True(XorMappedAddress.TryGetFrom(response, out var mapped, out error), error.ToString());
        Assert.Equal((IPEndPoint)udp.Client.LocalEndPoint!, mapped.Address.ToIPEndPoint());
    }

    [Fact]
    public async Task With_a_certificate_turns_is_handed_out_and_its_listener_speaks_tls()
    {
        using var key = RSA.Create(2048);
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var pfx = Path.Combine(Path.GetTempPath(), $"parley-test-{Guid.NewGuid():N}.pfx");
        await File.WriteAllBytesAsync(pfx, certificate.Export(System.Security.Cryptography.X509Certificates.X509ContentType.Pfx, "pw"));
        try
        {
            var tlsPort = FreePorts.UdpAndTcp();
            var (server, port) = StartWithTurn(new()
            {
                ["Turn:TlsPort"] = tlsPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Turn:CertificatePath"] = pfx,
                ["Turn:CertificatePassword"] = "pw",
            });
            using var _ = server;
            await using var ann = await server.JoinAsync("tls", "Ann");

            Assert.Equal(
                [$"turn:127.0.0.1:{port}?transport=udp", $"turn:127.0.0.1:{port}?transport=tcp", $"turns:127.0.0.1:{tlsPort}?transport=tcp"],
                IceServers(ann)[1].Urls);

            using var tcp = new TcpClient();
            await tcp.ConnectAsync(IPAddress.Loopback, tlsPort);
            await using var tls = new System.Net.Security.SslStream(tcp.GetStream(), false, (_, presented, _, _) => presented?.GetCertHashString() == certificate.GetCertHashString());
            await tls.AuthenticateAsClientAsync("127.0.0.1");
            Assert.True(tls.IsAuthenticated);
        }
        finally
        {
            File.Delete(pfx);
        }
    }

    [Fact]
    public async Task Behind_nat_the_external_address_is_handed_out()
    {
        var (server, port) = StartWithTurn(new() { ["Turn:ExternalAddress"] = "203.0.113.7" });
        using var _ = server;
        await using var ann = await server.JoinAsync("nat", "Ann");

        Assert.Equal([$"stun:203.0.113.7:{port}"], IceServers(ann)[0].Urls);
    }

    [Fact]
    public async Task With_turn_disabled_only_the_configured_servers_are_handed_out()
    {
        using var server = new ParleyServer(new() { ["Signaling:IceServers:0:Urls:0"] = "stun:stun.example.org:3478" });
        await using var ann = await server.JoinAsync("plain", "Ann");

        Assert.Equal(["stun:stun.example.org:3478"], Assert.Single(IceServers(ann)).Urls);
    }

    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    internal sealed record Ice(string[] Urls, string? Username, string? Credential);

    internal static Ice[] IceServers(ISignalingTestClient client) =>
        client.Joined.GetProperty("iceServers").Deserialize<Ice[]>(Web)!;
}
