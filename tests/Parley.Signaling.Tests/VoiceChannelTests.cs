using System.Text.Json;
using Parley.Signaling.Protocol;
using Parley.Signaling.Rooms;
using Parley.Signaling.Tests.Access;

namespace Parley.Signaling.Tests;

/// <summary>
/// The room's voice channel (docs/protocol.md, "Positional rooms"): checked and defaulted as Vivox does, set by the
/// room's first participant (its <c>join.channel</c>, or its token's <c>parley.channel</c>), and told to every joiner.
/// </summary>
public class VoiceChannelTests
{
    private static readonly IceServer[] Ice = [new(["stun:127.0.0.1:3478"])];

    [Fact]
    public void A_positional_channel_gets_Vivox_defaults_for_what_it_leaves_out()
    {
        Assert.True(VoiceChannelRules.TryNormalize(new VoiceChannel("positional"), out var channel, out _));

        Assert.Equal(new VoiceChannel("positional", 32, 1, 1.0, "inverse"), channel);
    }

    [Fact]
    public void Non_positional_or_no_channel_is_a_plain_room()
    {
        Assert.True(VoiceChannelRules.TryNormalize((VoiceChannel?)null, out var none, out _));
        Assert.True(VoiceChannelRules.TryNormalize(new VoiceChannel("non-positional", -5), out var plain, out _));

        Assert.Null(none);
        Assert.Null(plain);
    }

    [Theory]
    [InlineData(null, null, null, null, null)]
    [InlineData("Positional", null, null, null, null)]
    [InlineData("positional", 0.0, null, null, null)]
    [InlineData("positional", -1.0, null, null, null)]
    [InlineData("positional", 1_000_001.0, null, null, null)]
    [InlineData("positional", 10.0, 0.0, null, null)]
    [InlineData("positional", 10.0, 11.0, null, null)]
    [InlineData("positional", null, null, -0.1, null)]
    [InlineData("positional", null, null, 100.5, null)]
    [InlineData("positional", null, null, null, "logarithmic")]
    [InlineData("positional", null, null, null, "InverseByDistance")]
    public void Out_of_bounds_channels_are_invalid_channel(string? type, double? audible, double? conversational, double? intensity, string? model)
    {
        Assert.False(VoiceChannelRules.TryNormalize(new VoiceChannel(type, audible, conversational, intensity, model), out var channel, out var error));

        Assert.Null(channel);
        Assert.Equal(ErrorCode.InvalidChannel, error.Code);
    }

    [Theory]
    [InlineData("\"positional\"")]
    [InlineData("[1]")]
    [InlineData("{\"type\":\"positional\",\"audibleDistance\":\"32\"}")]
    [InlineData("{\"type\":\"positional\",\"fadeIntensity\":-1}")]
    public void A_tokens_channel_claim_that_is_no_valid_channel_is_invalid_channel(string json)
    {
        using var document = JsonDocument.Parse(json);

        Assert.False(VoiceChannelRules.TryNormalize(document.RootElement, out _, out var error));
        Assert.Equal(ErrorCode.InvalidChannel, error.Code);
    }

    [Fact]
    public void The_first_joiner_sets_the_channel_and_later_joiners_get_it_whatever_they_asked_for()
    {
        var registry = RoomTests.Registry();
        var first = new VoiceChannel("positional", 50, 2, 0.5, "linear");
        var (ann, annLink) = Joiner("Ann", first);
        var (bob, bobLink) = Joiner("Bob", new VoiceChannel("positional", 10, 1, 1, "exponential"));
        var (cy, cyLink) = Joiner("Cy", null);

        Assert.True(registry.TryJoin("field", ann, Ice, out var room, out _));
        Assert.True(registry.TryJoin("field", bob, Ice, out _, out _));
        Assert.True(registry.TryJoin("field", cy, Ice, out _, out _));

        Assert.Equal(first, room.Channel);
        foreach (var link in new[] { annLink, bobLink, cyLink })
        {
            var channel = link.Last("joined").GetProperty("channel");
            Assert.Equal("positional", channel.GetProperty("type").GetString());
            Assert.Equal(50, channel.GetProperty("audibleDistance").GetDouble());
            Assert.Equal(2, channel.GetProperty("conversationalDistance").GetDouble());
            Assert.Equal(0.5, channel.GetProperty("fadeIntensity").GetDouble());
            Assert.Equal("linear", channel.GetProperty("fadeModel").GetString());
        }
    }

    [Fact]
    public void A_plain_room_sends_no_channel_even_to_a_joiner_who_asks_for_one()
    {
        var registry = RoomTests.Registry();
        var (ann, annLink) = Joiner("Ann", null);
        var (bob, bobLink) = Joiner("Bob", new VoiceChannel("positional", 32, 1, 1, "inverse"));

        Assert.True(registry.TryJoin("plain", ann, Ice, out var room, out _));
        Assert.True(registry.TryJoin("plain", bob, Ice, out _, out _));

        Assert.Null(room.Channel);
        Assert.False(annLink.Last("joined").TryGetProperty("channel", out _));
        Assert.False(bobLink.Last("joined").TryGetProperty("channel", out _));
    }

    [Fact]
    public void A_room_that_closed_empty_is_set_again_by_its_next_first_joiner()
    {
        var registry = RoomTests.Registry();
        var (ann, annLink) = Joiner("Ann", new VoiceChannel("positional", 32, 1, 1, "inverse"));
        Assert.True(registry.TryJoin("again", ann, Ice, out var room, out _));
        registry.Leave(room, ann, annLink, ParticipantLeftMessage.ReasonLeft);

        var (bob, bobLink) = Joiner("Bob", null);
        Assert.True(registry.TryJoin("again", bob, Ice, out var reopened, out _));

        Assert.Null(reopened.Channel);
        Assert.False(bobLink.Last("joined").TryGetProperty("channel", out _));
    }

    [Fact]
    public void In_token_mode_the_tokens_channel_decides_and_a_bad_one_is_refused()
    {
        var access = new AccessFixture();
        using var good = JsonDocument.Parse("""{"type":"positional","audibleDistance":20}""");
        using var bad = JsonDocument.Parse("""{"type":"positional","conversationalDistance":40}""");
        var token = access.Token("alice");
        access.Validator.Grants[token] = access.Validator.Grants[token] with { Channel = good.RootElement.Clone() };
        var badToken = access.Token("bob");
        access.Validator.Grants[badToken] = access.Validator.Grants[badToken] with { Channel = bad.RootElement.Clone() };

        // join.channel is ignored in token mode: the app's backend chose.
        var request = new JoinRequest(1, null, "ignored", false, token, new VoiceChannel("non-positional"));
        Assert.True(access.Admission.TryAdmitJoin(request, null, null, out var entry, out _));
        Assert.Equal(new VoiceChannel("positional", 20, 1, 1.0, "inverse"), entry.Channel);

        Assert.False(access.Admission.TryAdmitJoin(new JoinRequest(1, null, "ignored", false, badToken), null, null, out _, out var error));
        Assert.Equal(ErrorCode.InvalidChannel, error.Code);
    }

    [Fact]
    public void In_open_mode_a_bad_join_channel_is_refused_before_the_room_opens()
    {
        var access = new AccessFixture();
        var open = new Parley.Signaling.Access.Admission(
            Microsoft.Extensions.Options.Options.Create(new Parley.Access.AuthOptions()),
            Microsoft.Extensions.Options.Options.Create(new SignalingOptions()),
            access.Validator, access.Tickets, access.Revocations,
            new Parley.Signaling.Access.JoinRateLimiter(Microsoft.Extensions.Options.Options.Create(new SignalingOptions()), access.Time));

        Assert.False(open.TryAdmitJoin(new JoinRequest(1, "r", "Ann", false, null, new VoiceChannel("positional", FadeModel: "cubic")),
            null, null, out _, out var error));
        Assert.Equal(ErrorCode.InvalidChannel, error.Code);
        Assert.True(open.TryAdmitJoin(new JoinRequest(1, "r", "Ann", false, null, new VoiceChannel("positional")), null, null, out var entry, out _));
        Assert.Equal(32, entry.Channel!.AudibleDistance);
    }

    private static (Participant Participant, RecordingConnection Connection) Joiner(string name, VoiceChannel? channel)
    {
        var connection = new RecordingConnection();
        return (new Participant(ResumeToken.New(), name, false, connection) { RequestedChannel = channel }, connection);
    }
}
