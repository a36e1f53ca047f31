using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using Parley.Signaling.Sessions;

namespace Parley.Signaling.Access;

/// <summary>
/// Open mode's limit on joins per client address (<see cref="SignalingOptions.JoinsPerMinutePerAddress"/>): without
/// tokens, nothing else stops one machine from opening rooms and taking TURN credentials as fast as it can. An IPv6
/// client counts by its /64, the block one subscriber gets. Loopback clients are not limited: on loopback the client is
/// this machine, typically a reverse proxy in front of every user (which should forward the users' addresses:
/// docs/deployment.md). At most <see cref="MaxAddresses"/> are tracked; past that,
/// the addresses whose buckets are full again (idle a minute) are forgotten first.
/// </summary>
public sealed class JoinRateLimiter(IOptions<SignalingOptions> options, TimeProvider time)
{
    public const int MaxAddresses = 100_000;

    private readonly Lock gate = new();
    private readonly Dictionary<UInt128, (TokenBucket Bucket, long LastUsed)> buckets = [];
    private readonly int perMinute = options.Value.JoinsPerMinutePerAddress;

    /// <summary>Takes one join for <paramref name="address"/>; false when it has used its share. Unknown and loopback addresses pass.</summary>
    public bool TryTake(IPAddress? address)
    {
        if (address is null || perMinute == 0)
        {
            return true;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.IsLoopback(address))
        {
            return true;
        }

        var key = KeyOf(address);
        var now = time.GetTimestamp();
        lock (gate)
        {
            if (!buckets.TryGetValue(key, out var entry))
            {
                if (buckets.Count >= MaxAddresses)
                {
                    ForgetIdleLocked(now);
                }

                entry = (new TokenBucket(time, perMinute / 60.0, perMinute), now);
            }

            var taken = entry.Bucket.TryTake();
            buckets[key] = (entry.Bucket, now);
            return taken;
        }
    }

    private void ForgetIdleLocked(long now)
    {
        var minute = time.TimestampFrequency * 60;
        foreach (var idle in buckets.Where(pair => now - pair.Value.LastUsed >= minute).Select(pair => pair.Key).ToList())
        {
            buckets.Remove(idle);
        }

        if (buckets.Count >= MaxAddresses)
        {
            buckets.Remove(buckets.MinBy(pair => pair.Value.LastUsed).Key);
        }
    }

    private static UInt128 KeyOf(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[16];
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            address.TryWriteBytes(bytes[12..], out _);
            return System.Buffers.Binary.BinaryPrimitives.ReadUInt128BigEndian(bytes);
        }

        address.TryWriteBytes(bytes, out _);
        bytes[8..].Fill(0xFF); // the /64: distinct from every IPv4 key, whose upper bytes are zero
        return System.Buffers.Binary.BinaryPrimitives.ReadUInt128BigEndian(bytes);
    }
}
