using Parley.Signaling.Protocol;
using Parley.Signaling.Rooms;

namespace Parley.Signaling.Tests.Access;

public class ModerationTests
{
    private static ParticipantKey Id(Participant participant) => new(participant.Id, ByIdentity: false);

    [Fact]
    public void A_server_mute_is_hard_and_lifting_it_leaves_the_participant_muted_until_it_unmutes_itself()
    {
        var access = new AccessFixture();
        var (mod, _) = access.Joined("mod", admin: true);
        var (bob, bobLink) = access.Joined("bob");
        var (_, cyLink) = access.Joined("cy");

        Assert.Null(access.Lobby.TryServerMute(mod, Id(bob), muted: true, out _));

        var seen = cyLink.Last("participant-updated").GetProperty("participant");
        Assert.True(seen.GetProperty("serverMuted").GetBoolean());
        Assert.True(seen.GetProperty("muted").GetBoolean());
        Assert.True(bobLink.Last("participant-updated").GetProperty("participant").GetProperty("serverMuted").GetBoolean());
        Assert.False(access.Lobby.UpdateState(bob, muted: false, speaking: true));
        Assert.True(bob.Muted);
        Assert.False(bob.Speaking);

        Assert.Null(access.Lobby.TryServerMute(mod, Id(bob), muted: false, out _));
        Assert.False(cyLink.Last("participant-updated").GetProperty("participant").TryGetProperty("serverMuted", out _));
        Assert.True(bob.Muted);
        Assert.True(access.Lobby.UpdateState(bob, muted: false, speaking: null));
        Assert.False(cyLink.Last("participant-state").GetProperty("muted").GetBoolean());
        Assert.Contains("participant_muted bob", access.Events.Names);
    }

    [Fact]
    public void Only_moderators_moderate_and_never_other_moderators()
    {
        var access = new AccessFixture();
        var (mod, _) = access.Joined("mod", admin: true);
        var (otherMod, _) = access.Joined("mod2", admin: true);
        var (bob, _) = access.Joined("bob");
        var (cy, _) = access.Joined("cy");

        Assert.Equal(ErrorCode.Forbidden, access.Lobby.TryServerMute(bob, Id(cy), true, out _)?.Code);
        Assert.Equal(ErrorCode.Forbidden, access.Lobby.TryServerMute(mod, Id(otherMod), true, out _)?.Code);
        Assert.Equal(ErrorCode.Forbidden, access.Moderation.Remove(access.Lobby, bob, Id(cy), TimeSpan.Zero)?.Code);
        Assert.Equal(ErrorCode.Forbidden, access.Moderation.Remove(access.Lobby, mod, Id(otherMod), TimeSpan.Zero)?.Code);
        Assert.Equal(ErrorCode.Forbidden, access.Lobby.TryLock(bob, true)?.Code);
        Assert.Equal(ErrorCode.UnknownParticipant, access.Lobby.TryServerMute(mod, new("p_nobody", false), true, out _)?.Code);
        Assert.False(cy.ServerMuted);
        Assert.Equal(4, access.Lobby.Count);
    }

    [Fact]
    public void Mute_all_mutes_everyone_but_the_moderators()
    {
        var access = new AccessFixture();
        var (mod, _) = access.Joined("mod", admin: true);
        var (otherMod, _) = access.Joined("mod2", admin: true);
        var (bob, _) = access.Joined("bob");
        var (cy, _) = access.Joined("cy");

        Assert.Null(access.Lobby.TryMuteAll(mod));

        Assert.True(bob.ServerMuted && cy.ServerMuted);
        Assert.False(mod.ServerMuted || otherMod.ServerMuted);
    }

    [Fact]
    public void A_removed_participant_is_closed_announced_evicted_from_TURN_and_kept_out_with_its_token_and_its_ticket()
    {
        var access = new AccessFixture();
        var (mod, _) = access.Joined("mod", admin: true);
        var bobToken = access.Token("bob");
        Assert.Null(access.Join(bobToken, out var bob, out var bobLink));
        var bobResume = bobLink.Last("joined").GetProperty("resumeToken").GetString()!;
        var (_, cyLink) = access.Joined("cy");

        Assert.Null(access.Moderation.Remove(access.Lobby, mod, Id(bob), TimeSpan.Zero));

        Assert.Equal([ErrorCode.Removed], bobLink.RemovedWith);
        var left = cyLink.Last("participant-left");
        Assert.Equal(bob.Id, left.GetProperty("id").GetString());
        Assert.Equal(ParticipantLeftMessage.ReasonRemoved, left.GetProperty("reason").GetString());
        Assert.Equal([bob.Id], access.Evictions.Evicted);
        Assert.Equal(ErrorCode.Banned, access.Join(bobToken, out _, out _));
        Assert.Equal(ErrorCode.Banned, access.Resume(bobResume, out _));
        Assert.True(access.Revocations.IsParticipantRevoked(bob.Id));

        // Without a ban, a new token from the app's backend lets the identity back in.
        Assert.Null(access.Join(access.Token("bob"), out _, out _));
        Assert.Equal(["participant_removed bob", "participant_left bob removed"],
            access.Events.Names.Where(name => name.Contains("bob removed", StringComparison.Ordinal) || name.StartsWith("participant_removed", StringComparison.Ordinal)));
    }

    [Fact]
    public void A_ban_keeps_the_identity_out_of_that_room_until_it_ends()
    {
        var access = new AccessFixture();
        var (mod, _) = access.Joined("mod", admin: true);
        var (bob, _) = access.Joined("bob");

        Assert.Null(access.Moderation.Remove(access.Lobby, mod, Id(bob), TimeSpan.FromMinutes(10)));

        Assert.Equal(ErrorCode.Banned, access.Join(access.Token("bob"), out _, out _));
        Assert.Null(access.Join(access.Token("bob", room: "other"), out _, out _));
        access.Time.Advance(TimeSpan.FromMinutes(11));
        Assert.Null(access.Join(access.Token("bob"), out _, out _));
    }

    [Fact]
    public void A_locked_room_refuses_newcomers_but_lets_members_resume_and_rejoin()
    {
        var access = new AccessFixture();
        var (mod, modLink) = access.Joined("mod", admin: true);
        var (_, bobLink) = access.Joined("bob");
        var bobResume = bobLink.Last("joined").GetProperty("resumeToken").GetString()!;

        Assert.Null(access.Lobby.TryLock(mod, true));

        Assert.True(modLink.Last("room-updated").GetProperty("locked").GetBoolean());
        Assert.Equal(ErrorCode.RoomLocked, access.Join(access.Token("cy"), out _, out _));
        Assert.Null(access.Resume(bobResume, out var bobBack));
        Assert.True(bobBack.Last("joined").GetProperty("locked").GetBoolean());
        Assert.Null(access.Join(access.Token("bob"), out _, out _));
        Assert.Null(access.Lobby.TryLock(mod, false));
        Assert.Null(access.Join(access.Token("cy"), out _, out _));
    }

    [Fact]
    public void A_room_the_admin_api_creates_starts_at_once_stays_open_empty_for_its_timeout_then_finishes()
    {
        var access = new AccessFixture();
        Assert.Equal(Parley.Signaling.Rooms.AdminStatus.Ok, access.Administration.CreateRoom("stage", 60, null, "{}").Status);
        Assert.Equal(["room_started"], access.Events.Names);

        access.Time.Advance(TimeSpan.FromSeconds(59));
        Assert.NotNull(access.Registry.Find("stage"));
        access.Time.Advance(TimeSpan.FromSeconds(2));
        Assert.Null(access.Registry.Find("stage"));
        Assert.Equal(["room_started", "room_finished"], access.Events.Names);
    }

    [Fact]
    public void Only_a_token_that_allows_it_may_change_its_own_name_and_metadata()
    {
        var access = new AccessFixture();
        var (bob, _) = access.Joined("bob");
        Assert.Null(access.Join(access.Token("cy", canUpdateOwnMetadata: true), out var cy, out _));
        var (_, modLink) = access.Joined("mod", admin: true);

        Assert.Equal(ErrorCode.Forbidden, access.Lobby.TryUpdateSelf(bob, "Robert", null)?.Code);
        Assert.Null(access.Lobby.TryUpdateSelf(cy, "Cyrus", "{\"team\":\"red\"}"));

        var updated = modLink.Last("participant-updated").GetProperty("participant");
        Assert.Equal("Cyrus", updated.GetProperty("name").GetString());
        Assert.Equal("{\"team\":\"red\"}", updated.GetProperty("metadata").GetString());
        Assert.Equal("bob", bob.Name);
    }

    [Fact]
    public void Room_events_come_in_the_order_the_room_changed()
    {
        var access = new AccessFixture();
        var (mod, modLink) = access.Joined("mod", admin: true);
        var (bob, _) = access.Joined("bob");
        access.Lobby.TryServerMute(mod, Id(bob), true, out _);
        access.Moderation.Remove(access.Lobby, mod, Id(bob), TimeSpan.Zero);
        access.Registry.Leave(access.Lobby, mod, modLink.AsConnection(mod), ParticipantLeftMessage.ReasonLeft);

        Assert.Equal(
            ["room_started", "participant_joined mod", "participant_joined bob", "participant_muted bob", "participant_removed bob",
             "participant_left bob removed", "participant_left mod left", "room_finished"],
            access.Events.Names);
    }
}

internal static class ConnectionOf
{
    public static IParticipantConnection AsConnection(this RecordingConnection connection, Participant participant) =>
        participant.Connection ?? connection;
}
