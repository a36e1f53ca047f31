using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Parley.Stun;
using Parley.Turn.Relay;

namespace Parley.Turn.Sockets;

/// <summary>Binds relay sockets on the relay address(es) at random ports of the relay port range.</summary>
internal sealed class UdpRelaySocketFactory : IRelaySocketFactory
{
    private const int Attempts = 64;
    private readonly TurnAddresses _addresses;
    private readonly TurnOptions _options;
    private readonly ILogger _logger;
    private int _next;

    public UdpRelaySocketFactory(TurnAddresses addresses, TurnOptions options, ILogger logger)
    {
        _addresses = addresses;
        _options = options;
        _logger = logger;
    }

    /// <summary>Read the relay sockets of UDP clients (Linux); empty: each relay socket has its own async loop.</summary>
    public UdpEventLoop[] Loops { get; set; } = [];

    /// <summary>Receives peer data; set once by the server before the first allocation.</summary>
    public IPeerDataSink? Sink { get; set; }

    public bool Supports(StunAddressFamily family) => RelayAddress(family) is not null;

    public bool TryCreate(StunAddressFamily family, bool evenPort, out IRelaySocket? relay)
    {
        relay = null;
        IPAddress? address = RelayAddress(family);
        if (address is null || Sink is null)
        {
            return false;
        }

        for (int i = 0; i < Attempts; i++)
        {
            if (!TryPickPort(evenPort, _options.RelayPortMax, out int port))
            {
                return false;
            }

            if (TryBind(address, port, out Socket? socket))
            {
                relay = Wrap(socket, family, port);
                return true;
            }
        }

        return false;
    }

    public bool TryCreatePair(StunAddressFamily family, out IRelaySocket? even, out IRelaySocket? next)
    {
        even = next = null;
        IPAddress? address = RelayAddress(family);
        if (address is null || Sink is null)
        {
            return false;
        }

        for (int i = 0; i < Attempts; i++)
        {
            // The pair must fit the range: N even, N+1 at most RelayPortMax.
            if (!TryPickPort(even: true, _options.RelayPortMax - 1, out int port))
            {
                return false;
            }

            if (!TryBind(address, port, out Socket? low))
            {
                continue;
            }

            if (!TryBind(address, port + 1, out Socket? high))
            {
                low.Dispose();
                continue;
            }

            even = Wrap(low, family, port);
            next = Wrap(high, family, port + 1);
            return true;
        }

        return false;
    }

    /// <summary>
    /// A random port from RelayPortMin to <paramref name="max"/> (RFC 8656 §7.2 recommends randomized port
    /// assignment, RFC 6056), even if asked. False when that range holds no such port.
    /// </summary>
    private bool TryPickPort(bool even, int max, out int port)
    {
        int min = _options.RelayPortMin;
        if (max < min)
        {
            port = 0;
            return false;
        }

        if (!even)
        {
            port = Random.Shared.Next(min, max + 1);
            return true;
        }

        int firstEven = (min + 1) & ~1;
        int evens = firstEven > max ? 0 : ((max - firstEven) / 2) + 1;
        port = evens == 0 ? 0 : firstEven + (2 * Random.Shared.Next(evens));
        return evens > 0;
    }

    private static bool TryBind(IPAddress address, int port, [NotNullWhen(true)] out Socket? socket)
    {
        socket = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            socket.Bind(new IPEndPoint(address, port));
            return true;
        }
        catch (SocketException)
        {
            socket.Dispose();
            socket = null;
            return false;
        }
    }

    private UdpRelaySocket Wrap(Socket socket, StunAddressFamily family, int port)
    {
        IPAddress address = ((IPEndPoint)socket.LocalEndPoint!).Address;
        IPAddress advertised = family == StunAddressFamily.IPv4 ? _addresses.ExternalIPv4 ?? address : address;
        return new UdpRelaySocket(socket, new TransportAddress(advertised, (ushort)port), Sink!, PickLoop(), _logger);
    }

    /// <summary>
    /// The loop whose listener socket received the Allocate (the client's packets and its peers' then share a
    /// thread, so the allocation's lock is uncontended), else the next one in turn.
    /// </summary>
    private UdpEventLoop? PickLoop()
    {
        if (Loops.Length == 0)
        {
            return null;
        }

        return UdpEventLoop.Current ?? Loops[(int)((uint)Interlocked.Increment(ref _next) % (uint)Loops.Length)];
    }

    private IPAddress? RelayAddress(StunAddressFamily family) =>
        family == StunAddressFamily.IPv4 ? _addresses.RelayIPv4 : family == StunAddressFamily.IPv6 ? _addresses.RelayIPv6 : null;
}
