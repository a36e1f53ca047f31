using System.Globalization;
using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Parley.Turn.Tests;

/// <summary>
/// Which address relays when none is configured. A host with only <c>lo</c> (a container, a sandbox, a laptop
/// offline) once resolved to none: the log said "relaying from (null)" and every Allocate got 440.
/// </summary>
public class RelayAddressTests
{
    private static readonly IPAddress Lan = IPAddress.Parse("192.0.2.7");

    [Fact]
    public void A_wildcard_listener_relays_from_the_first_non_loopback_ipv4_address_that_binds()
    {
        var host = new StandInHost([IPAddress.Parse("fe80::1"), IPAddress.Parse("198.51.100.9"), Lan], unbindable: [IPAddress.Parse("198.51.100.9")]);
        TurnAddresses addresses = Resolve(host);
        Assert.Equal(Lan, addresses.RelayIPv4);
        Assert.Equal(RelayAddressSource.HostAddress, addresses.RelayIPv4Source);
        Assert.Equal("192.0.2.7", addresses.RelayDescription);
    }

    [Fact]
    public void A_host_with_only_loopback_relays_from_loopback()
    {
        TurnAddresses addresses = Resolve(new StandInHost([]));
        Assert.Equal(IPAddress.Loopback, addresses.RelayIPv4);
        Assert.Equal(RelayAddressSource.LoopbackOnly, addresses.RelayIPv4Source);
    }

    [Fact]
    public void A_host_where_nothing_binds_relays_from_nowhere_and_says_so()
    {
        TurnAddresses addresses = Resolve(new StandInHost([Lan], unbindable: [Lan, IPAddress.Loopback]));
        Assert.Null(addresses.RelayIPv4);
        Assert.Equal(RelayAddressSource.None, addresses.RelayIPv4Source);
        Assert.Equal("nowhere", addresses.RelayDescription);
    }

    [Fact]
    public void A_configured_relay_address_or_a_specific_listen_address_wins()
    {
        var host = new StandInHost([Lan]);
        Assert.Equal(IPAddress.Parse("203.0.113.1"), Resolve(host, new TurnOptions { RelayAddress = "203.0.113.1" }).RelayIPv4);
        Assert.Equal(IPAddress.Parse("198.51.100.3"), Resolve(host, new TurnOptions { ListenAddress = "198.51.100.3" }).RelayIPv4);
    }

    /// <summary>
    /// The default wildcard listener on a host whose only interface is loopback: coturn's uclient relays through it
    /// client to client, and the start-up log says that loopback relays and why.
    /// </summary>
    [InteropFact]
    public async Task On_a_loopback_only_host_the_default_listener_relays_from_loopback()
    {
        int port = InteropTests.FreePort();
        var logs = new LogCollector();
        HostApplicationBuilder builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Turn:Port"] = port.ToString(CultureInfo.InvariantCulture),
            ["Turn:AllowedPeerRanges:0"] = "127.0.0.0/8",
            ["Turn:SharedSecrets:0"] = "loopback-only-secret-0123456789",
        });
        builder.Logging.AddProvider(logs);
        builder.Services.AddSingleton<HostAddresses>(new StandInHost([]));
        builder.Services.AddParleyTurn();
        using IHost host = builder.Build();
        await host.StartAsync();
        try
        {
            Assert.Equal(IPAddress.Loopback, host.Services.GetRequiredService<TurnServer>().Addresses.RelayIPv4);
            Assert.Contains(3021, logs.EventIds);
            string output = await InteropTests.RunUclientAsync(
                $"-y -n 50 -m 2 -e 127.0.0.1 -p {port} -W loopback-only-secret-0123456789 -u dana 127.0.0.1");
            InteropTests.AssertNoLoss(output);
        }
        finally
        {
            await host.StopAsync();
        }
    }

    private static TurnAddresses Resolve(HostAddresses host, TurnOptions? options = null) =>
        new(Options.Create(options ?? new TurnOptions()), host);

    /// <summary>A host with the given interface addresses up; binding works for real except on those listed.</summary>
    private sealed class StandInHost(IReadOnlyList<IPAddress> up, IReadOnlyList<IPAddress>? unbindable = null) : HostAddresses
    {
        public override IReadOnlyList<IPAddress> Up() => up;

        public override bool CanBind(IPAddress address) =>
            !(unbindable ?? []).Contains(address) && (up.Contains(address) || base.CanBind(address));
    }
}
