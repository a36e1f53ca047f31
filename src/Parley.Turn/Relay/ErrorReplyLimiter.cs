using System.Buffers.Binary;
using Parley.Stun;

namespace Parley.Turn.Relay;

/// <summary>
/// Rate-limits 401/438 replies per source address (anti-reflection, docs/turn-security.md §5) in a fixed
/// table of token buckets indexed by a keyed hash of the address: bounded memory whatever the number of
/// (spoofed) sources; colliding sources share a bucket, which only makes the limit stricter.
/// </summary>
internal sealed class ErrorReplyLimiter
{
    private const int Slots = 4096;
    private readonly (double Tokens, long Last)[] _buckets = new (double, long)[Slots];
    private readonly Lock _lock = new();
    private readonly double _perTick;
    private readonly double _burst;
    private readonly ulong _seed = (ulong)Random.Shared.NextInt64();

    public ErrorReplyLimiter(int perSecond, long frequency)
    {
        _perTick = (double)perSecond / frequency;
        _burst = perSecond * 2.0;
        for (int i = 0; i < Slots; i++)
        {
            _buckets[i] = (_burst, 0);
        }
    }

    public bool TryAcquire(in TransportAddress source, long now)
    {
        Span<byte> bytes = stackalloc byte[16];
        bytes.Clear();
        source.WriteAddressBytes(bytes);
        ulong hash = (BinaryPrimitives.ReadUInt64LittleEndian(bytes) ^ _seed) * 0x9E3779B97F4A7C15UL;
        hash ^= BinaryPrimitives.ReadUInt64LittleEndian(bytes[8..]) * 0xC2B2AE3D27D4EB4FUL;
        int slot = (int)((hash ^ (hash >> 29)) % Slots);
        lock (_lock)
        {
            (double tokens, long last) = _buckets[slot];
            if (last != 0 && now > last)
            {
                tokens = Math.Min(_burst, tokens + ((now - last) * _perTick));
            }

            if (tokens < 1)
            {
                _buckets[slot] = (tokens, now);
                return false;
            }

            _buckets[slot] = (tokens - 1, now);
            return true;
        }
    }
}
