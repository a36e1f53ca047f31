using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Parley.Stun;
using Parley.Stun.Attributes;

namespace Parley.Bench.Turn;

/// <summary>
/// One TURN client over UDP, or over TCP (RFC 8656 §3.1; the relay to peers is UDP either way): allocates with
/// coturn-style shared-secret credentials and binds channels.
/// </summary>
internal sealed class TurnClient : IDisposable
{
    private const string Realm = "parley";
    private readonly byte[] _buffer = new byte[2048];
    private string? _nonce;
    private byte[] _key = [];
    private string _username = "";

    public TurnClient(int serverPort, bool tcp)
    {
        Socket = tcp
            ? new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true }
            : new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        Socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        Socket.ReceiveBufferSize = 4 << 20;
        Socket.Connect(new IPEndPoint(IPAddress.Loopback, serverPort));
        Frames = tcp ? new StreamFrames(Socket) : null;
    }

    public Socket Socket { get; }

    /// <summary>The message reader over TCP; null over UDP, where a datagram is a message.</summary>
    public StreamFrames? Frames { get; }

    public TransportAddress Relayed { get; private set; }

    /// <summary>base64(HMAC-SHA1(secret, "expiry:user")): the coturn REST credential both servers accept.</summary>
    public static (string Username, string Password) Credential(string secret, string user)
    {
        string username = $"{DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds()}:{user}";
#pragma warning disable CA5350 // The coturn credential format.
        string password = Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(username)));
#pragma warning restore CA5350
        return (username, password);
    }

    public void Allocate(string secret, string user)
    {
        (_username, string password) = Credential(secret, user);
        _key = StunKeys.LongTerm(_username, Realm, password, StunPasswordAlgorithm.Md5);
        byte[] challenge = Transact(StunMessage.Build(new StunMessageType(StunMethod.Allocate, StunClass.Request), TransactionId.NewId(),
            RequestedTransport.UdpTransport));
        if (!StunMessage.TryRead(challenge, out StunMessage m, out _) || !m.TryGet(out Nonce nonce, out _))
        {
            throw new InvalidOperationException("No 401 challenge.");
        }

        _nonce = nonce.Value;
        byte[] response = Transact(Authenticated(StunMethod.Allocate, RequestedTransport.UdpTransport));
        if (!StunMessage.TryRead(response, out m, out _) || !m.TryGet(out XorRelayedAddress relayed, out _))
        {
            throw new InvalidOperationException("Allocate failed.");
        }

        Relayed = relayed.Address;
    }

    public void BindChannel(ushort channel, TransportAddress peer)
    {
        byte[] response = Transact(Authenticated(StunMethod.ChannelBind, new ChannelNumber(channel), new XorPeerAddress(peer)));
        if (!StunMessage.TryRead(response, out StunMessage m, out _) || m.Type.Class != StunClass.SuccessResponse)
        {
            throw new InvalidOperationException($"ChannelBind 0x{channel:X4} failed.");
        }
    }

    private byte[] Authenticated(StunMethod method, params IStunSetter[] attributes)
    {
        var buffer = new byte[1024];
        var writer = new StunMessageWriter(buffer, new StunMessageType(method, StunClass.Request), TransactionId.NewId());
        foreach (IStunSetter attribute in attributes)
        {
            writer.Add(attribute);
        }

        writer.Add(new Username(_username));
        writer.Add(new Realm(Realm));
        writer.Add(new Nonce(_nonce!));
        writer.Add(new MessageIntegrity(_key));
        return writer.WrittenSpan.ToArray();
    }

    /// <summary>Sends a request and waits for the STUN response with the same transaction id (3 tries of 1 s).</summary>
    private byte[] Transact(byte[] request)
    {
        Socket.ReceiveTimeout = 1000;
        for (int attempt = 0; attempt < 3; attempt++)
        {
            Socket.Send(request);
            for (int skipped = 0; skipped < 16; skipped++)
            {
                ReadOnlySpan<byte> message;
                try
                {
                    message = Frames is null ? _buffer.AsSpan(0, Socket.Receive(_buffer)) : Frames.Next(TimeSpan.FromSeconds(1)).Span;
                }
                catch (SocketException ex) when (ex.SocketErrorCode == SocketError.TimedOut)
                {
                    break;
                }

                if (message.Length >= 20 && message.Slice(8, 12).SequenceEqual(request.AsSpan(8, 12)))
                {
                    return message.ToArray();
                }
            }
        }

        throw new TimeoutException("No response from the TURN server.");
    }

    public void Dispose() => Socket.Dispose();
}
