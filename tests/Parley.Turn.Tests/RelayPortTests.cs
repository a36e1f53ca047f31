using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Parley.Stun;
using Parley.Turn.Relay;
using Parley.Turn.Sockets;

namespace Parley.Turn.Tests;

/// <summary>The real relay socket factory: EVEN-PORT and port pairs (RFC 8656 §7.2) inside Turn:RelayPortMin/Max.</summary>
public class RelayPortTests
{
    [Fact]
    public void Even_ports_and_pairs_come_from_the_relay_range_on_real_sockets()
    {
        for (int i = 0; i < 20; i++)
        {
            Assert.True(Factory(49152, 65535).TryCreate(StunAddressFamily.IPv4, evenPort: true, out IRelaySocket? relay));
            using (relay)
            {
                Assert.Equal(0, relay!.LocalAddress.Port % 2);
                Assert.InRange(relay.LocalAddress.Port, 49152, 65535);
            }
        }
    }

    [Fact]
    public void A_pair_is_n_and_n_plus_1_with_n_even_and_both_in_the_range()
    {
        int n = FreeEvenPair();

        // An odd RelayPortMin: the pair starts at the first even port above it.
        AssertPair(Factory(n - 1, n + 1), n);
        AssertPair(Factory(n, n + 1), n);

        // One port, or an odd last port alone: no pair.
        Assert.False(Factory(n, n).TryCreatePair(StunAddressFamily.IPv4, out _, out _));
        Assert.False(Factory(n + 1, n + 2).TryCreatePair(StunAddressFamily.IPv4, out _, out _));

        // EVEN-PORT without R in a range whose only port is odd: no port; without EVEN-PORT that port is fine.
        Assert.False(Factory(n + 1, n + 1).TryCreate(StunAddressFamily.IPv4, evenPort: true, out _));
        Assert.True(Factory(n + 1, n + 1).TryCreate(StunAddressFamily.IPv4, evenPort: false, out IRelaySocket? odd));
        odd!.Dispose();
    }

    [Fact]
    public void A_pair_whose_second_port_is_taken_fails_and_frees_the_first()
    {
        int n = FreeEvenPair();
        using (var taken = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp))
        {
            taken.Bind(new IPEndPoint(IPAddress.Loopback, n + 1));
            Assert.False(Factory(n, n + 1).TryCreatePair(StunAddressFamily.IPv4, out _, out _));
        }

        AssertPair(Factory(n, n + 1), n);
    }

    private static void AssertPair(UdpRelaySocketFactory factory, int n)
    {
        Assert.True(factory.TryCreatePair(StunAddressFamily.IPv4, out IRelaySocket? even, out IRelaySocket? next));
        using (even)
        using (next)
        {
            Assert.Equal(n, even!.LocalAddress.Port);
            Assert.Equal(n + 1, next!.LocalAddress.Port);
            Assert.Equal(even.LocalAddress.ToIPAddress(), next.LocalAddress.ToIPAddress());
        }
    }

    /// <summary>An even port N with N and N+1 free for UDP on 127.0.0.1 (Linux hands out odd ports for port 0).</summary>
    private static int FreeEvenPair()
    {
        for (int i = 0; i < 100; i++)
        {
            int port = InteropTests.FreePort() & ~1;
            try
            {
                using var low = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
                low.Bind(new IPEndPoint(IPAddress.Loopback, port));
                using var high = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
                high.Bind(new IPEndPoint(IPAddress.Loopback, port + 1));
                return port;
            }
            catch (SocketException)
            {
            }
        }

        throw new InvalidOperationException("No free even port pair.");
    }

    private static UdpRelaySocketFactory Factory(int min, int max)
    {
        var options = new TurnOptions { ListenAddress = "127.0.0.1", RelayAddress = "127.0.0.1", RelayPortMin = min, RelayPortMax = max };
        return new UdpRelaySocketFactory(new TurnAddresses(Microsoft.Extensions.Options.Options.Create(options), new HostAddresses()), options, NullLogger.Instance)
        {
            Sink = new NoSink(),
        };
    }

    private sealed class NoSink : IPeerDataSink
    {
        public void OnPeerData(Allocation allocation, in TransportAddress peer, Span<byte> buffer, int offset, int length)
        {
        }
    }
}
