using System.Security.Cryptography;
using System.Text;

namespace Parley.Signaling.Transports.Direct;

/// <summary>The server's opening handshake (RFC 6455 §4.2.2): 101 with the accept value of the client's key. No I/O.</summary>
public static class UpgradeResponse
{
    /// <summary>RFC 6455 §1.3: the GUID appended to the key before hashing.</summary>
    private const string KeyGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    /// <summary>base64(SHA-1(key + GUID)), RFC 6455 §4.2.2 item 5.4.</summary>
    /// <remarks>SHA-1 because RFC 6455 names it: the value proves the server read the handshake, it protects nothing.</remarks>
#pragma warning disable CA5350 // Not a security use: the algorithm is fixed by RFC 6455.
    public static string AcceptValue(string key) =>
        Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + KeyGuid)));
#pragma warning restore CA5350

    /// <summary>The whole 101 response head for <paramref name="key"/>.</summary>
    public static byte[] For(string key) => Encoding.ASCII.GetBytes(
        "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Accept: " + AcceptValue(key) + "\r\n\r\n");
}
