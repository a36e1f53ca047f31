using System.Buffers;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Parley.Stun;
using Parley.Turn.Relay;

namespace Parley.Turn.Sockets;

/// <summary>
/// One relayed transport address: a UDP socket in the relay port range with its own receive loop and one
/// pooled buffer (RFC 8656 §2.2). Sending reuses one <see cref="SocketAddress"/>, so relaying allocates nothing.
/// On Linux the socket is read by the shared <see cref="UdpEventLoop"/> instead of its own loop when its client's
/// sender never blocks (UDP, or TCP served by the loop); a TLS client's relay socket keeps its own async loop, as
/// writing to its stream may block. On the loop's thread a relayed datagram joins the round's io_uring submission.
/// </summary>
internal sealed class UdpRelaySocket : IRelaySocket, IDatagramReceiver
{
    private readonly Socket _socket;
    private readonly IPeerDataSink _sink;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly SocketAddress _sendAddress;
    private readonly Lock _sendLock = new();
    private readonly UdpEventLoop? _loop;
    private Allocation? _allocation;
    private ulong _registration;

    public UdpRelaySocket(Socket socket, TransportAddress advertised, IPeerDataSink sink, UdpEventLoop? loop, ILogger logger)
    {
        _socket = socket;
        _loop = loop;
        _sink = sink;
        _logger = logger;
        LocalAddress = new TransportAddress((IPEndPoint)socket.LocalEndPoint!);
        AdvertisedAddress = advertised;
        _sendAddress = new SocketAddress(socket.AddressFamily, socket.AddressFamily == AddressFamily.InterNetworkV6 ? 28 : 16);
        ReceiveAddress = new SocketAddress(socket.AddressFamily, socket.AddressFamily == AddressFamily.InterNetworkV6 ? 28 : 16);
    }

    public Socket Socket => _socket;

    public SocketAddress ReceiveAddress { get; }

    public bool FewPerRound => true;

    public TransportAddress LocalAddress { get; }

    public TransportAddress AdvertisedAddress { get; }

    public void Send(ReadOnlySpan<byte> data, in TransportAddress peer)
    {
        try
        {
            lock (_sendLock)
            {
                SocketAddressCodec.Write(peer, _sendAddress);
                if (UdpEventLoop.Current is not { } loop || !loop.TryQueueSendTo(_socket, _sendAddress, data))
                {
                    _socket.SendTo(data, SocketFlags.None, _sendAddress);
                }
            }
        }
        catch (SocketException ex)
        {
            TurnLog.SocketError(_logger, ex.SocketErrorCode, LocalAddress);
        }
        catch (ObjectDisposedException)
        {
            // The allocation was deleted while relaying.
        }
    }

    public void Start(Allocation allocation)
    {
        if (_loop is not null && allocation.Client.NeverBlocks)
        {
            _allocation = allocation;
            _registration = _loop.Register(this);
            return;
        }

        _ = Task.Run(() => ReceiveLoopAsync(allocation));
    }

    /// <summary>A datagram read by the event loop (on its thread).</summary>
    public void OnDatagram(byte[] buffer, int offset, int length)
    {
        if (_allocation is { } allocation && length <= TurnRequestHandler.MaxRelayDatagram)
        {
            _sink.OnPeerData(allocation, SocketAddressCodec.Read(ReceiveAddress), buffer, offset, length);
        }
    }

    private async Task ReceiveLoopAsync(Allocation allocation)
    {
        CancellationToken token = _stop.Token;
        int headroom = IPeerDataSink.RelayHeadroom;
        byte[] buffer = ArrayPool<byte>.Shared.Rent(headroom + TurnRequestHandler.MaxRelayDatagram + 4);
        var from = new SocketAddress(_socket.AddressFamily, _socket.AddressFamily == AddressFamily.InterNetworkV6 ? 28 : 16);
        try
        {
            while (!token.IsCancellationRequested)
            {
                try
                {
                    int received = await _socket.ReceiveFromAsync(
                        buffer.AsMemory(headroom, TurnRequestHandler.MaxRelayDatagram), SocketFlags.None, from, token).ConfigureAwait(false);
                    _sink.OnPeerData(allocation, SocketAddressCodec.Read(from), buffer, headroom, received);
                }
                catch (OperationCanceledException) when (token.IsCancellationRequested)
                {
                    break;
                }
                catch (ObjectDisposedException)
                {
                    break;
                }
                catch (SocketException ex) when (ex.SocketErrorCode is SocketError.ConnectionReset or SocketError.MessageSize
                    or SocketError.HostUnreachable or SocketError.NetworkUnreachable)
                {
                    // ICMP errors for earlier sends and oversized datagrams: one bad datagram never ends the loop.
                }
#pragma warning disable CA1031 // One bad datagram never ends a receive loop; only cancellation does.
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    TurnLog.PacketFailed(_logger, ex, LocalAddress);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public void Dispose()
    {
        if (_registration != 0)
        {
            _loop!.Unregister(_registration, _socket);
        }

        _stop.Cancel();
        _socket.Dispose();
        _stop.Dispose();
    }
}
