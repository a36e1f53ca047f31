using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using Parley.Stun;

namespace Parley.Turn.Tests;

/// <summary>
/// TURN over TLS takes a replaced certificate (a Let's Encrypt renewal) for new connections without dropping open
/// ones: real TLS clients on 127.0.0.1 that each trust exactly one certificate, the check driven by a fake clock.
/// </summary>
public sealed class TlsReloadTests : IDisposable
{
    private readonly TestCertificate _old = new();
    private readonly TestCertificate _new = new();
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly string _certificatePath;
    private readonly string _keyPath;

    public TlsReloadTests()
    {
        // The files the server reads, as certbot's live/ directory: replaced in place later.
        _certificatePath = Path.Combine(_old.Directory, "live.crt");
        _keyPath = Path.Combine(_old.Directory, "live.key");
        File.Copy(_old.PemPath, _certificatePath);
        File.Copy(_old.KeyPath, _keyPath);
    }

    public void Dispose()
    {
        _old.Dispose();
        _new.Dispose();
    }

    private Task<IHost> StartAsync(int tlsPort, LogCollector logs) =>
        TlsTests.StartAsync(InteropTests.FreePort(), tlsPort, new Dictionary<string, string?>
        {
            ["Turn:CertificatePath"] = _certificatePath,
            ["Turn:CertificateKeyPath"] = _keyPath,
        }, logs, _time);

    [Fact]
    public async Task A_replaced_certificate_is_served_to_new_connections_and_open_ones_keep_working()
    {
        int tlsPort = InteropTests.FreePort();
        var logs = new LogCollector();
        using IHost host = await StartAsync(tlsPort, logs);
        await using TlsClient before = await TlsClient.ConnectAsync(tlsPort, _old.Thumbprint);
        await AssertBindingAsync(before);

        File.Copy(_new.PemPath, _certificatePath, overwrite: true);
        File.Copy(_new.KeyPath, _keyPath, overwrite: true);
        _time.Advance(TimeSpan.FromSeconds(10)); // Turn:CertificateReloadSeconds, by default.

        Assert.Contains(10, logs.EventIds); // Reloaded.
        // Each client trusts one thumbprint only: this handshake succeeds only with the new certificate.
        await using TlsClient after = await TlsClient.ConnectAsync(tlsPort, _new.Thumbprint);
        await AssertBindingAsync(after);
        await AssertBindingAsync(before);
        await host.StopAsync();
    }

    [Fact]
    public async Task A_replacement_that_does_not_load_is_logged_and_the_previous_certificate_stays()
    {
        int tlsPort = InteropTests.FreePort();
        var logs = new LogCollector();
        using IHost host = await StartAsync(tlsPort, logs);

        // Half a renewal: the new certificate with the old key does not pair.
        File.Copy(_new.PemPath, _certificatePath, overwrite: true);
        _time.Advance(TimeSpan.FromSeconds(10));

        Assert.Contains(11, logs.EventIds); // Could not be loaded.
        await using TlsClient client = await TlsClient.ConnectAsync(tlsPort, _old.Thumbprint);
        await AssertBindingAsync(client);

        // The rest of the renewal lands: the next check takes it.
        File.Copy(_new.KeyPath, _keyPath, overwrite: true);
        _time.Advance(TimeSpan.FromSeconds(10));
        await using TlsClient renewed = await TlsClient.ConnectAsync(tlsPort, _new.Thumbprint);
        await AssertBindingAsync(renewed);
        await host.StopAsync();
    }

    private static async Task AssertBindingAsync(TlsClient client)
    {
        Response binding = await client.RequestAsync(StunMessage.Build(new StunMessageType(StunMethod.Binding, StunClass.Request), TransactionId.NewId()));
        Assert.Equal(StunClass.SuccessResponse, binding.Class);
    }
}
