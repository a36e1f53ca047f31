using System.Net;
using Microsoft.Extensions.Options;
using Parley.Access;
using Parley.Signaling.Handlers;
using Parley.Signaling.Protocol;
using Parley.Signaling.Rooms;

namespace Parley.Signaling.Access;

/// <summary>
/// Who may enter which room, as whom (docs/access.md). Token mode: the access token decides the room, the name and the
/// permissions, and a resume needs the server's ticket; removals keep people out. Open mode: anyone, by room name,
/// within <see cref="JoinRateLimiter"/>.
/// </summary>
public sealed class Admission(
    IOptions<AuthOptions> auth,
    IOptions<SignalingOptions> options,
    IAccessTokenValidator validator,
    ResumeTicketCodec tickets,
    AccessRevocations revocations,
    JoinRateLimiter joinLimit)
{
    /// <summary>The most characters of an identity or of metadata: both go to every room mate in every list.</summary>
    public const int MaxIdentityLength = 256;

    public const int MaxMetadataLength = 4096;

    private static readonly ProtocolError Removed = new(ErrorCode.Banned, "You were removed from this room.");
    private static readonly ProtocolError TooManyJoins = new(ErrorCode.RateExceeded, "Too many joins from your address; wait a minute.");
    private readonly SignalingOptions options = options.Value;

    public bool TokenMode { get; } = auth.Value.TokenMode;

    /// <summary>Decides a <c>join</c>: the room, the display name and, in token mode, what the token grants.</summary>
    public bool TryAdmitJoin(JoinRequest request, string? connectionToken, IPAddress? remoteAddress, out Entry entry, out ProtocolError error)
    {
        entry = default;
        if (!EntryRules.TryCheckProtocol("join", request.Protocol, out error))
        {
            return false;
        }

        if (!TokenMode)
        {
            if (!EntryRules.TryNormalizeNames(request.Room, request.Name, options, out var roomName, out var displayName, out error))
            {
                return false;
            }

            if (!VoiceChannelRules.TryNormalize(request.Channel, out var openChannel, out error))
            {
                return false;
            }

            if (!joinLimit.TryTake(remoteAddress))
            {
                error = TooManyJoins;
                return false;
            }

            entry = new Entry(roomName, displayName, null, openChannel);
            return true;
        }

        if (!validator.TryValidate(request.Token ?? connectionToken, out var grant, out var refusal))
        {
            error = new ProtocolError(refusal.Code, refusal.Message);
            return false;
        }

        if (!grant.Video.RoomJoin || string.IsNullOrWhiteSpace(grant.Video.Room))
        {
            error = new ProtocolError(ErrorCode.TokenNoGrant, "The token does not grant joining a room (video.roomJoin and video.room).");
            return false;
        }

        if (!NameRules.TryNormalizeRoomName(grant.Video.Room, options.MaxRoomNameLength, out var room, out error))
        {
            return false;
        }

        if (request.Room is not null && !IsSameRoom(request.Room, room))
        {
            error = new ProtocolError(ErrorCode.TokenWrongRoom, "The token is for another room.");
            return false;
        }

        if (revocations.IsTokenRevoked(grant.TokenHash) || revocations.IsBanned(room, grant.Identity))
        {
            error = Removed;
            return false;
        }

        // Token mode: the token's parley.channel decides; join.channel is ignored (the app's backend chooses).
        if (!TryCheckIdentity(grant.Identity, grant.Metadata, out error)
            || !TryDisplayName(grant.Name, grant.Identity, out var name, out error)
            || !VoiceChannelRules.TryNormalize(grant.Channel, out var channel, out error))
        {
            return false;
        }

        var access = new ParticipantAccess(grant.ApiKey, grant.Identity, grant.Metadata ?? "", GrantPermissions.For(grant.Video, room),
            grant.TokenHash, grant.ExpiresAt);
        entry = new Entry(room, name, access, channel);
        return true;
    }

    /// <summary>
    /// Decides a <c>resume</c>: the participant's secret and, in token mode, who it is from its ticket. A new participant
    /// on this server (it restarted, or the grace period ended) counts as a join in open mode: see
    /// <see cref="MayCreate"/>.
    /// </summary>
    public bool TryAdmitResume(ResumeRequest request, out string secret, out Entry entry, out ProtocolError error)
    {
        secret = "";
        entry = default;
        if (!EntryRules.TryCheckProtocol("resume", request.Protocol, out error))
        {
            return false;
        }

        if (!TokenMode)
        {
            if (!EntryRules.TryNormalizeNames(request.Room, request.Name, options, out var roomName, out var displayName, out error))
            {
                return false;
            }

            if (!ParticipantId.TryFromResumeToken(request.Token, out var openId))
            {
                error = new ProtocolError(ErrorCode.InvalidToken, $"A resume token is the {ResumeToken.Length} base64url characters of joined.resumeToken.");
                return false;
            }

            if (revocations.IsParticipantRevoked(openId))
            {
                error = Removed;
                return false;
            }

            if (!VoiceChannelRules.TryNormalize(request.Channel, out var openChannel, out error))
            {
                return false;
            }

            secret = request.Token!;
            entry = new Entry(roomName, displayName, null, openChannel);
            return true;
        }

        if (!tickets.TryOpen(request.Token, out secret, out var ticket) || !ParticipantId.TryFromResumeToken(secret, out var id))
        {
            error = new ProtocolError(ErrorCode.InvalidToken, "Not a resume token of this server, or it expired: join again with an access token.");
            return false;
        }

        if (request.Room is not null && !IsSameRoom(request.Room, ticket.Room))
        {
            error = new ProtocolError(ErrorCode.TokenWrongRoom, "The resume token is for another room.");
            return false;
        }

        if (revocations.IsParticipantRevoked(id) || revocations.IsTokenRevoked(ticket.TokenHash) || revocations.IsBanned(ticket.Room, ticket.Identity))
        {
            error = Removed;
            return false;
        }

        // The ticket does not carry the channel: a room rebuilt after a restart takes the one the client repeats.
        if (!TryDisplayName(ticket.Name, ticket.Identity, out var name, out error)
            || !VoiceChannelRules.TryNormalize(request.Channel, out var channel, out error))
        {
            return false;
        }

        var access = new ParticipantAccess(ticket.ApiKey, ticket.Identity, ticket.Metadata ?? "", GrantPermissions.For(ticket.Video, ticket.Room),
            ticket.TokenHash, ticket.ExpiresAt);
        entry = new Entry(ticket.Room, name, access, channel);
        return true;
    }

    /// <summary>Whether a resume from <paramref name="remoteAddress"/> may create a participant this server does not hold.</summary>
    public bool MayCreate(IPAddress? remoteAddress) => TokenMode || joinLimit.TryTake(remoteAddress);

    private bool IsSameRoom(string requested, string granted) =>
        NameRules.TryNormalizeRoomName(requested, options.MaxRoomNameLength, out var room, out _)
        && string.Equals(room, granted, StringComparison.OrdinalIgnoreCase);

    private static bool TryCheckIdentity(string identity, string? metadata, out ProtocolError error)
    {
        error = default;
        if (identity.Length > MaxIdentityLength)
        {
            error = new ProtocolError(AccessRefusal.NoIdentity, $"The token's identity is longer than {MaxIdentityLength} characters.");
            return false;
        }

        if (metadata?.Length > MaxMetadataLength)
        {
            error = ProtocolError.Invalid($"The token's metadata is longer than {MaxMetadataLength} characters.");
            return false;
        }

        return true;
    }

    /// <summary>The token's name, else its identity, as a display name; an identity too long to show is cut.</summary>
    private bool TryDisplayName(string? name, string identity, out string displayName, out ProtocolError error)
    {
        if (NameRules.TryNormalizeDisplayName(string.IsNullOrWhiteSpace(name) ? identity : name, options.MaxDisplayNameLength, out displayName, out error))
        {
            return true;
        }

        var shortened = identity.Length > options.MaxDisplayNameLength ? identity[..options.MaxDisplayNameLength] : identity;
        return NameRules.TryNormalizeDisplayName(shortened, options.MaxDisplayNameLength, out displayName, out _);
    }

    /// <summary>
    /// Where a participant goes and as whom; <see cref="Access"/> is null in open mode. <see cref="Channel"/> is the voice
    /// channel it asks for (null: non-positional), which only a room's first participant sets.
    /// </summary>
    public readonly record struct Entry(string Room, string DisplayName, ParticipantAccess? Access, VoiceChannel? Channel = null);
}
