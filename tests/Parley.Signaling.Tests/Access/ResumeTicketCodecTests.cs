using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Parley.Access;

namespace Parley.Signaling.Tests.Access;

public class ResumeTicketCodecTests
{
    private static readonly FakeTimeProvider Time = new();

    private static ResumeTicketCodec Codec(params (string Key, string Secret)[] keys)
    {
        var auth = new AuthOptions();
        foreach (var (key, secret) in keys)
        {
            auth.Keys[key] = secret;
        }

        return new ResumeTicketCodec(Options.Create(auth), Time);
    }

    private static ResumeTicket Ticket(string key = "k1") =>
        new(key, "lobby", "alice", "Alice", "", new VideoGrant { RoomJoin = true, Room = "lobby" }, "hash", Time.GetUtcNow().AddHours(1));

    [Fact]
    public void A_sealed_ticket_opens_only_with_its_key_unexpired_and_untouched()
    {
        var codec = Codec(("k1", new string('a', 40)), ("k2", new string('b', 40)));
        var sealedTicket = codec.Seal("secret", Ticket());

        Assert.True(codec.TryOpen(sealedTicket, out var secret, out var ticket));
        Assert.Equal("secret", secret);
        Assert.Equal("alice", ticket.Identity);
        Assert.False(Codec(("k1", new string('c', 40))).TryOpen(sealedTicket, out _, out _)); // the key's secret changed
        Assert.False(Codec(("k2", new string('b', 40))).TryOpen(sealedTicket, out _, out _)); // its key was removed
        Assert.False(codec.TryOpen("other" + sealedTicket[6..], out _, out _)); // moved to another secret
        Assert.False(codec.TryOpen(codec.Seal("secret", Ticket() with { ExpiresAt = Time.GetUtcNow() }), out _, out _));
    }

    [Fact]
    public void Hostile_input_never_throws_and_never_opens()
    {
        var codec = Codec(("k1", new string('a', 40)));
        var original = Ticket();
        var valid = codec.Seal("secret", original);
        var random = new Random(13);
        for (var i = 0; i < 3000; i++)
        {
            var chars = valid.ToCharArray();
            chars[random.Next(chars.Length)] = "A.-_=+/x"[random.Next(8)];
            var mutated = new string(chars);
            // A changed character may only open if it decodes to the very same bytes (a base64 character's spare bits).
            if (mutated != valid && codec.TryOpen(mutated, out var secret, out var opened))
            {
                Assert.Equal("secret", secret);
                Assert.Equal(original, opened);
            }

            var bytes = new byte[random.Next(0, 300)];
            random.NextBytes(bytes);
            Assert.False(codec.TryOpen(System.Text.Encoding.Latin1.GetString(bytes), out _, out _));
        }

        Assert.False(codec.TryOpen(null, out _, out _));
        Assert.False(codec.TryOpen(new string('.', ResumeTicketCodec.MaxLength + 1), out _, out _));
    }
}
