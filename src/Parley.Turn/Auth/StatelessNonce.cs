using System.Buffers.Binary;
using System.Security.Cryptography;
using Parley.Stun;

namespace Parley.Turn.Auth;

/// <summary>
/// Stateless NONCE values: the issue time and an HMAC over the client's transport address and that time,
/// so nothing is stored per client before it authenticates (docs/turn-security.md §4) and an expired nonce
/// draws 438 Stale Nonce (RFC 8489 §9.2.4). Every nonce starts with the RFC 8489 §9.2 cookie
/// <c>obMatJos2</c> and the security feature set announcing PASSWORD-ALGORITHMS and username anonymity.
/// </summary>
internal sealed class StatelessNonce
{
    /// <summary>"obMatJos2" + base64 of the 24 feature bits (bit 0 password algorithms, bit 1 username anonymity).</summary>
    public const string Prefix = "obMatJos2wAAA";

    private const int MacLength = 8;
    private const int PayloadLength = 4 + MacLength;

    private readonly Func<byte[]> _key;
    private readonly TimeProvider _time;
    private readonly long _lifetimeSeconds;

    public StatelessNonce(byte[] key, TimeProvider time, TimeSpan lifetime)
        : this(() => key, time, lifetime)
    {
    }

    /// <summary>With a key read at each use: <see cref="TurnSecrets.NonceKey"/> is made at the first nonce.</summary>
    internal StatelessNonce(Func<byte[]> key, TimeProvider time, TimeSpan lifetime)
    {
        _key = key;
        _time = time;
        _lifetimeSeconds = (long)lifetime.TotalSeconds;
    }

    public string Create(in TransportAddress client, bool tcp)
    {
        uint now = (uint)_time.GetUtcNow().ToUnixTimeSeconds();
        Span<byte> payload = stackalloc byte[PayloadLength];
        BinaryPrimitives.WriteUInt32BigEndian(payload, now);
        ComputeMac(client, tcp, now, payload[4..]);
        return Prefix + Convert.ToBase64String(payload).Replace('+', '-').Replace('/', '_');
    }

    /// <summary>Whether the nonce was made by this process for this client and has not expired.</summary>
    public bool IsValid(string nonce, in TransportAddress client, bool tcp)
    {
        if (nonce.Length != Prefix.Length + 16 || !nonce.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        Span<char> chars = stackalloc char[16];
        nonce.AsSpan(Prefix.Length).CopyTo(chars);
        chars.Replace('-', '+');
        chars.Replace('_', '/');
        Span<byte> payload = stackalloc byte[PayloadLength];
        if (!Convert.TryFromBase64Chars(chars, payload, out int written) || written != PayloadLength)
        {
            return false;
        }

        uint issued = BinaryPrimitives.ReadUInt32BigEndian(payload);
        Span<byte> expected = stackalloc byte[MacLength];
        ComputeMac(client, tcp, issued, expected);
        if (!CryptographicOperations.FixedTimeEquals(expected, payload[4..]))
        {
            return false;
        }

        long now = _time.GetUtcNow().ToUnixTimeSeconds();
        return issued <= now + 1 && now < issued + _lifetimeSeconds;
    }

    private void ComputeMac(in TransportAddress client, bool tcp, uint time, Span<byte> destination)
    {
        Span<byte> input = stackalloc byte[16 + 2 + 1 + 4 + 1];
        input.Clear();
        int length = client.WriteAddressBytes(input);
        BinaryPrimitives.WriteUInt16BigEndian(input[16..], client.Port);
        input[18] = tcp ? (byte)1 : (byte)0;
        BinaryPrimitives.WriteUInt32BigEndian(input[19..], time);
        input[23] = (byte)length;
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(_key(), input, mac);
        mac[..destination.Length].CopyTo(destination);
    }
}
