using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Parley.Turn.Tests;

public class OptionsTests
{
    private static TurnOptions Resolve(params (string Key, string Value)[] settings)
    {
        IConfiguration configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)))
            .Build();
        ServiceProvider provider = new ServiceCollection()
            .AddSingleton(configuration)
            .AddLogging()
            .AddParleyTurn()
            .BuildServiceProvider();
        return provider.GetRequiredService<IOptions<TurnOptions>>().Value;
    }

    [Fact]
    public void Defaults_are_safe_and_bounded()
    {
        TurnOptions options = Resolve();
        Assert.True(options.Enabled);
        Assert.Equal(3478, options.Port);
        Assert.Equal(5349, options.TlsPort);
        Assert.Null(options.CertificatePath);
        Assert.Equal("0.0.0.0", options.ListenAddress);
        Assert.Equal("parley", options.Realm);
        Assert.Empty(options.AllowedPeerRanges);
        Assert.Empty(options.SharedSecrets);
        Assert.Null(options.Software);
        Assert.Equal(TimeSpan.FromSeconds(600), options.DefaultLifetime);
        Assert.Equal(TimeSpan.FromSeconds(3600), options.MaxLifetime);
        Assert.Equal(4 * 1024 * 1024, options.SocketReceiveBufferBytes);
        Assert.Equal(0, options.UdpThreads);
        Assert.Equal(1000, options.UdpBatchMicroseconds);
        Assert.Equal(TimeSpan.FromHours(12), options.ExpiredCredentialGrace);
        Assert.Null(options.MaxAllocationsPerUser); // automatic: the host sizes it for its rooms
        Assert.Equal(1000, options.MaxAllocations);
    }

    [Fact]
    public void A_configured_allocation_quota_per_user_is_kept()
    {
        Assert.Equal(7, Resolve(("Turn:MaxAllocationsPerUser", "7")).MaxAllocationsPerUser);
        Assert.Equal(10_000, Resolve(("Turn:MaxAllocationsPerUser", "10000")).MaxAllocationsPerUser);
    }

    [Fact]
    public void Configuration_binds_lists()
    {
        TurnOptions options = Resolve(("Turn:SharedSecrets:0", "aaaaaaaaaaaaaaaaaaaa"), ("Turn:SharedSecrets:1", "bbbbbbbbbbbbbbbbbbbb"),
            ("Turn:AllowedPeerRanges:0", "10.0.0.0/8"), ("Turn:Port", "3479"));
        Assert.Equal(2, options.SharedSecrets.Count);
        Assert.Equal(["10.0.0.0/8"], options.AllowedPeerRanges);
        Assert.Equal(3479, options.Port);
    }

    [Theory]
    [InlineData("Turn:ListenAddress", "not-an-ip")]
    [InlineData("Turn:RelayAddress", "::1")]
    [InlineData("Turn:RelayAddressIPv6", "127.0.0.1")]
    [InlineData("Turn:ExternalAddress", "nope")]
    [InlineData("Turn:AllowedPeerRanges:0", "10.0.0.0/33")]
    [InlineData("Turn:SharedSecrets:0", "short")]
    [InlineData("Turn:MaxLifetime", "02:00:00")]
    [InlineData("Turn:DefaultLifetime", "00:00:10")]
    [InlineData("Turn:RelayPortMin", "60000")]
    [InlineData("Turn:Port", "0")]
    [InlineData("Turn:Realm", "")]
    [InlineData("Turn:TlsPort", "3478")]
    [InlineData("Turn:TlsPort", "70000")]
    [InlineData("Turn:CertificateKeyPath", "key.pem")]
    [InlineData("Turn:CredentialLifetime", "3.00:00:00")]
    [InlineData("Turn:SocketReceiveBufferBytes", "1024")]
    [InlineData("Turn:SocketReceiveBufferBytes", "1073741824")]
    [InlineData("Turn:UdpThreads", "-1")]
    [InlineData("Turn:UdpThreads", "65")]
    [InlineData("Turn:UdpBatchMicroseconds", "-1")]
    [InlineData("Turn:UdpBatchMicroseconds", "2001")]
    [InlineData("Turn:ExpiredCredentialGrace", "-00:00:01")]
    [InlineData("Turn:ExpiredCredentialGrace", "8.00:00:00")]
    [InlineData("Turn:MaxAllocations", "0")]
    [InlineData("Turn:MaxAllocationsPerUser", "0")]
    [InlineData("Turn:MaxAllocationsPerUser", "10001")]
    public void Invalid_settings_fail_validation(string key, string value)
    {
        var extra = key == "Turn:RelayPortMin" ? ("Turn:RelayPortMax", "50000") : ("Turn:Enabled", "true");
        Assert.Throws<OptionsValidationException>(() => Resolve((key, value), extra));
    }
}
