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
            int port = Random.Shared.Next(_options.RelayPortMin, _options.RelayPortMax + 1);
            if (evenPort)
            {
                port &= ~1;
                if (port < _options.RelayPortMin)
                {
                    continue;
                }
            }

            var socket = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            try
            {
                socket.Bind(new IPEndPoint(address, port));
                IPAddress advertised = family == StunAddressFamily.IPv4 ? _addresses.ExternalIPv4 ?? address : address;
                relay = new UdpRelaySocket(socket, new TransportAddress(advertised, (ushort)port), Sink, PickLoop(), _logger);
                return true;
            }
            catch (SocketException)
            {
                socket.Dispose();
            }
        }

        return false;
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
