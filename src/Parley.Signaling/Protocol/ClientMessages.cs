using System.Text.Json;

namespace Parley.Signaling.Protocol;

// The messages a client sends (docs/protocol.md, "Client to server"). Every field is nullable: the
// handlers report a missing field as invalid-message instead of letting the deserializer throw.

/// <summary>
/// <c>join</c>: enter a room by name with a display name; in token mode with an access <c>token</c>. <c>channel</c>
/// (open mode) sets the room's voice channel when this join opens the room. <c>offer</c>: the newcomer's first offer,
/// for whichever participant the join finds first (docs/protocol.md, "An offer with the join").
/// </summary>
public sealed record JoinRequest(int? Protocol, string? Room, string? Name, bool? Muted, string? Token = null, VoiceChannel? Channel = null,
    JoinOffer? Offer = null);

/// <summary>The offer a <c>join</c> carries: its SDP, as an <c>offer</c> message's.</summary>
public sealed record JoinOffer(string? Sdp);

/// <summary>
/// <c>resume</c>: come back to a room with the token of the last <c>joined</c>; <c>channel</c> repeats that
/// <c>joined</c>'s, for a room this server rebuilds (it restarted).
/// </summary>
public sealed record ResumeRequest(int? Protocol, string? Room, string? Token, string? Name, bool? Muted, VoiceChannel? Channel = null);

/// <summary><c>candidate</c>: one trickled ICE candidate, or <c>null</c> for end of candidates.</summary>
public sealed record CandidateRelayRequest(string? To, JsonElement Candidate);

/// <summary><c>state</c>: the sender's own mute and speaking flags; an absent field is unchanged.</summary>
public sealed record StateRequest(bool? Muted, bool? Speaking);

/// <summary><c>chat</c>: a text message for everyone in the room.</summary>
public sealed record ChatRequest(string? Text);

/// <summary><c>ping</c>: answered by <c>pong</c> with the same id.</summary>
public sealed record PingRequest(JsonElement Id);

/// <summary><c>peer-lost</c>: the sender's peer connection to participant <c>id</c> stopped working.</summary>
public sealed record PeerLostRequest(string? Id);

/// <summary>The browser's RTCIceCandidateInit, with the fields the server forwards.</summary>
public sealed record IceCandidate(string? Candidate, string? SdpMid, int? SdpMLineIndex, string? UsernameFragment);

/// <summary><c>mute-participant</c> (moderators): server-mute another participant, or lift it.</summary>
public sealed record MuteParticipantRequest(string? Id, bool? Muted);

/// <summary><c>remove-participant</c> (moderators): remove another participant, optionally banning it for a while.</summary>
public sealed record RemoveParticipantRequest(string? Id, int? BanSeconds);

/// <summary><c>lock-room</c> (moderators): refuse or allow new joins.</summary>
public sealed record LockRoomRequest(bool? Locked);

/// <summary><c>update-self</c>: change one's own name or metadata (token mode, with <c>canUpdateOwnMetadata</c>).</summary>
public sealed record UpdateSelfRequest(string? Name, string? Metadata);
