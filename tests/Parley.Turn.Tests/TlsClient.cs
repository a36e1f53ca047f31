using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using Parley.Stun;

namespace Parley.Turn.Tests;

/// <summary>A TURN client over TLS that trusts exactly one certificate (by thumbprint) and reads whole frames.</summary>
internal sealed class TlsClient : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly SslStream _tls;

    private TlsClient(Socket socket, SslStream tls)
    {
        _socket = socket;
        _tls = tls;
    }

    public IPEndPoint LocalEndPoint => (IPEndPoint)_socket.LocalEndPoint!;

    public static async Task<TlsClient> ConnectAsync(int port, string thumbprint)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port));
        var tls = new SslStream(new NetworkStream(socket, ownsSocket: true), leaveInnerStreamOpen: false,
            (_, certificate, _, _) => certificate is not null
                && string.Equals(certificate.GetCertHashString(), thumbprint, StringComparison.OrdinalIgnoreCase));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "localhost" }, timeout.Token);
        return new TlsClient(socket, tls);
    }

    public async Task SendAsync(byte[] frame) => await _tls.WriteAsync(frame);

    /// <summary>Reads one STUN message or padded ChannelData frame.</summary>
    public async Task<byte[]> ReceiveAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var header = new byte[4];
        await _tls.ReadExactlyAsync(header, timeout.Token);
        Assert.True(StunFraming.TryGetFrameLength(header, out _, out int length));
        var frame = new byte[length];
        header.CopyTo(frame, 0);
        await _tls.ReadExactlyAsync(frame.AsMemory(4), timeout.Token);
        return frame;
    }

    public async Task<Response> RequestAsync(byte[] request)
    {
        await SendAsync(request);
        return Response.Parse(await ReceiveAsync());
    }

    public async ValueTask DisposeAsync() => await _tls.DisposeAsync();
}
