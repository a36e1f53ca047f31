using System.Text.Json;
using Parley.Signaling.Protocol;

namespace Parley.Signaling.Tests.Access;

public class TokenJoinTests
{
    [Fact]
    public void A_token_decides_the_room_the_name_and_the_permissions_that_everyone_is_told()
    {
        var access = new AccessFixture();
        Assert.Null(access.Join(access.Token("alice", name: "Alice A."), out var alice, out var aliceLink, room: "LOBBY"));
        Assert.Null(access.Join(access.Token("bob", canPublish: false), out _, out var bobLink));

        var self = aliceLink.Last("joined").GetProperty("self");
        Assert.Equal("Alice A.", self.GetProperty("name").GetString());
        Assert.Equal("alice", self.GetProperty("identity").GetString());
        Assert.Equal("lobby", aliceLink.Last("joined").GetProperty("room").GetString());
        var bobSeen = aliceLink.Last("participant-joined").GetProperty("participant");
        Assert.False(bobSeen.GetProperty("permissions").GetProperty("canPublish").GetBoolean());
        Assert.True(bobSeen.GetProperty("muted").GetBoolean());
        Assert.True(bobLink.Last("joined").GetProperty("participants")[0].GetProperty("permissions").GetProperty("canPublish").GetBoolean());
        Assert.Equal(alice.Id, access.Lobby.Find(new("alice", ByIdentity: true))!.Id);
    }

    [Theory]
    [InlineData("elsewhere", ErrorCode.TokenWrongRoom)]
    [InlineData(null, null)]
    [InlineData("Lobby", null)]
    public void Join_room_must_be_the_tokens_room_if_given(string? room, string? expected)
    {
        var access = new AccessFixture();
        Assert.Equal(expected, access.Join(access.Token("alice"), out _, out _, room));
    }

    [Fact]
    public void A_token_without_a_room_or_join_grant_is_refused_with_no_fallback_to_the_requested_room()
    {
        var access = new AccessFixture();
        var noRoom = access.Token("alice", room: "");
        Assert.Equal(ErrorCode.TokenNoGrant, access.Join(noRoom, out _, out _, room: "lobby"));
        var noJoin = access.Token("bob");
        access.Validator.Grants[noJoin] = access.Validator.Grants[noJoin] with { Video = access.Validator.Grants[noJoin].Video with { RoomJoin = false } };
        Assert.Equal(ErrorCode.TokenNoGrant, access.Join(noJoin, out _, out _));
        Assert.Equal("token-signature", access.Join("forged", out _, out _));
        Assert.Null(access.Registry.Find("lobby"));
    }

    [Fact]
    public void The_same_identity_joining_again_replaces_the_older_connection()
    {
        var access = new AccessFixture();
        var (first, firstLink) = access.Joined("alice");
        var (_, bobLink) = access.Joined("bob");

        Assert.Null(access.Join(access.Token("alice"), out var second, out _));

        Assert.Equal([ErrorCode.DuplicateIdentity], firstLink.RemovedWith);
        var left = bobLink.Last("participant-left");
        Assert.Equal(first.Id, left.GetProperty("id").GetString());
        Assert.Equal(ParticipantLeftMessage.ReasonReplaced, left.GetProperty("reason").GetString());
        Assert.Equal(second.Id, bobLink.Last("participant-joined").GetProperty("participant").GetProperty("id").GetString());
        Assert.Equal(2, access.Lobby.Count);
    }

    [Fact]
    public void A_hidden_participant_is_in_no_list_and_no_announcement_and_cannot_reach_anyone()
    {
        var access = new AccessFixture();
        var (alice, aliceLink) = access.Joined("alice");
        var (ghost, ghostLink) = access.Joined("ghost", hidden: true);

        Assert.DoesNotContain("participant-joined", aliceLink.Types);
        Assert.Equal(alice.Id, ghostLink.Last("joined").GetProperty("participants")[0].GetProperty("id").GetString());
        Assert.False(access.Lobby.TrySendTo(ghost, alice.Id, [(byte)'{', (byte)'}']));
        Assert.False(access.Lobby.TrySendTo(alice, ghost.Id, [(byte)'{', (byte)'}']));
        Assert.False(ghost.MayPublish);

        access.Joined("bob");
        Assert.Single(access.Registry.Find("lobby")!.Participants(), p => p.Identity == "ghost");
        Assert.DoesNotContain(ghostLink.Received, message => message.GetProperty("type").GetString() == "participant-joined"
            && message.GetProperty("participant").GetProperty("identity").GetString() == "ghost");
    }

    [Fact]
    public void A_resume_needs_no_access_token_and_comes_back_as_the_same_identity_after_the_token_expired()
    {
        var access = new AccessFixture();
        var (alice, aliceLink) = access.Joined("alice", admin: true);
        var resumeToken = aliceLink.Last("joined").GetProperty("resumeToken").GetString()!;
        Assert.StartsWith(alice.ResumeSecret + ".", resumeToken, StringComparison.Ordinal);
        access.Validator.Grants.Clear(); // the app's token no longer validates (expired)
        access.Time.Advance(TimeSpan.FromHours(2));

        // A restarted server (a fresh registry) honours the ticket: same id, identity and permissions.
        var restarted = new AccessFixture();
        restarted.Validator.Grants.Clear();
        Assert.Null(restarted.Resume(resumeToken, out var back));
        var self = back.Last("joined").GetProperty("self");
        Assert.Equal(alice.Id, self.GetProperty("id").GetString());
        Assert.Equal("alice", self.GetProperty("identity").GetString());
        Assert.True(self.GetProperty("permissions").GetProperty("admin").GetBoolean());
    }

    [Theory]
    [InlineData("not-a-ticket")]
    [InlineData("")]
    [InlineData("a.b.c")]
    public void A_resume_token_without_a_valid_ticket_is_refused(string token)
    {
        var access = new AccessFixture();
        Assert.Equal(ErrorCode.InvalidToken, access.Resume(token, out _));
    }

    [Fact]
    public void A_tampered_ticket_is_refused()
    {
        var access = new AccessFixture();
        var (_, aliceLink) = access.Joined("alice");
        var resumeToken = aliceLink.Last("joined").GetProperty("resumeToken").GetString()!;
        var parts = resumeToken.Split('.');
        var payload = JsonDocument.Parse(System.Buffers.Text.Base64Url.DecodeFromChars(parts[1])).RootElement.GetRawText()
            .Replace("\"roomAdmin\":false", "\"roomAdmin\":true", StringComparison.Ordinal)
            .Replace("\"identity\":\"alice\"", "\"identity\":\"mallory\"", StringComparison.Ordinal);
        var forged = parts[0] + "." + System.Buffers.Text.Base64Url.EncodeToString(System.Text.Encoding.UTF8.GetBytes(payload)) + "." + parts[2];

        Assert.Equal(ErrorCode.InvalidToken, access.Resume(forged, out _));
        Assert.Null(access.Resume(resumeToken, out _));
    }
}
