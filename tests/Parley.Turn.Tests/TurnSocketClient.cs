using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using Parley.Stun;
using Parley.Stun.Attributes;

namespace Parley.Turn.Tests;

/// <summary>
/// A TURN client on a real socket of its own, so on a 5-tuple of its own (RFC 8656 §2): one UDP socket, or one TCP
/// connection. It allocates as a browser does: unauthenticated first, then signed with the realm and nonce of the
/// 401. Only public STUN types, so the server and browser tests link this file too.
/// </summary>
internal sealed class TurnSocketClient : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    // A request unanswered this long is sent again: UDP may lose it, and the server drops 401s beyond
    // Turn:ErrorRepliesPerSecond per source address, over TCP as well.
    private static readonly TimeSpan Retransmit = TimeSpan.FromMilliseconds(250);

    private readonly Socket _socket;
    private readonly Channel<byte[]> _received = Channel.CreateUnbounded<byte[]>();
    private readonly Task _pump;

    private TurnSocketClient(Socket socket, bool tcp)
    {
        _socket = socket;
        _pump = tcp ? PumpStreamAsync() : PumpDatagramsAsync();
    }

    public IPEndPoint LocalEndPoint => (IPEndPoint)_socket.LocalEndPoint!;

    /// <summary>A new UDP socket (<paramref name="tcp"/> false) or TCP connection to <paramref name="server"/>.</summary>
    public static async Task<TurnSocketClient> ConnectAsync(IPEndPoint server, bool tcp)
    {
        var socket = tcp
            ? new Socket(server.AddressFamily, SocketType.Stream, ProtocolType.Tcp)
            : new Socket(server.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        using var timeout = new CancellationTokenSource(Deadline);
        await socket.ConnectAsync(server, timeout.Token);
        return new TurnSocketClient(socket, tcp);
    }

    /// <summary>Allocates a UDP relay with <paramref name="username"/>; returns the final answer (success or error).</summary>
    public async Task<Response> AllocateAsync(string username, string password)
    {
        IStunSetter[] transport = [RequestedTransport.UdpTransport];
        Response challenge = await RequestAsync(StunMessage.Build(new StunMessageType(StunMethod.Allocate, StunClass.Request),
            TransactionId.NewId(), transport));
        Assert.Equal(StunErrorCode.Unauthenticated, challenge.Error);
        return await RequestAsync(LongTermRequest.Build(StunMethod.Allocate, TransactionId.NewId(), username, password,
            challenge.Realm!, challenge.Nonce!, transport));
    }

    /// <summary>Sends one message as it is (an indication), once.</summary>
    public async Task SendRawAsync(byte[] message) => await _socket.SendAsync(message, SocketFlags.None);

    /// <summary>The next message from the server that no request took as its answer (a Data indication).</summary>
    public async Task<byte[]> ReceiveAsync(CancellationToken cancellationToken) => await _received.Reader.ReadAsync(cancellationToken);

    /// <summary>Sends <paramref name="request"/> until its answer arrives (10 s at most).</summary>
    public async Task<Response> RequestAsync(byte[] request)
    {
        using var deadline = new CancellationTokenSource(Deadline);
        while (true)
        {
            await _socket.SendAsync(request, SocketFlags.None, deadline.Token);
            using var retransmit = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token);
            retransmit.CancelAfter(Retransmit);
            try
            {
                while (true)
                {
                    byte[] answer = await _received.Reader.ReadAsync(retransmit.Token);
                    if (answer.AsSpan(8, TransactionId.Length).SequenceEqual(request.AsSpan(8, TransactionId.Length)))
                    {
                        return Response.Parse(answer);
                    }
                }
            }
            catch (OperationCanceledException) when (!deadline.IsCancellationRequested)
            {
                // Not answered yet: send it again.
            }
        }
    }

    private async Task PumpDatagramsAsync()
    {
        var buffer = new byte[2048];
        try
        {
            while (true)
            {
                int length = await _socket.ReceiveAsync(buffer, SocketFlags.None);
                _received.Writer.TryWrite(buffer[..length]);
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // Disposed.
        }
    }

    /// <summary>Splits the TCP byte stream into STUN messages (RFC 8656 §3.1 framing; ChannelData is not used here).</summary>
    private async Task PumpStreamAsync()
    {
        var buffer = new byte[65536];
        int filled = 0;
        try
        {
            while (true)
            {
                int read = await _socket.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None);
                if (read == 0)
                {
                    return;
                }

                filled += read;
                while (filled >= 4 && StunFraming.TryGetFrameLength(buffer.AsSpan(0, filled), out _, out int length) && filled >= length)
                {
                    _received.Writer.TryWrite(buffer[..length]);
                    buffer.AsSpan(length, filled - length).CopyTo(buffer);
                    filled -= length;
                }
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // Disposed.
        }
        finally
        {
            _received.Writer.TryComplete();
        }
    }

    public void Dispose()
    {
        _socket.Dispose();
        _pump.Wait(Deadline);
    }
}
