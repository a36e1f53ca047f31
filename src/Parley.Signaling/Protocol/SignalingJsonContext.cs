using System.Text.Json.Serialization;

namespace Parley.Signaling.Protocol;

/// <summary>Source-generated JSON for every wire type: no reflection, camelCase, nulls omitted.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Disallow,
    MaxDepth = 16)]
[JsonSerializable(typeof(JoinRequest))]
[JsonSerializable(typeof(ResumeRequest))]
[JsonSerializable(typeof(HeartbeatPingMessage))]
[JsonSerializable(typeof(GoAwayMessage))]
[JsonSerializable(typeof(CandidateRelayRequest))]
[JsonSerializable(typeof(StateRequest))]
[JsonSerializable(typeof(PingRequest))]
[JsonSerializable(typeof(PeerLostRequest))]
[JsonSerializable(typeof(ChatRequest))]
[JsonSerializable(typeof(ChatMessage))]
[JsonSerializable(typeof(IceCandidate))]
[JsonSerializable(typeof(HelloMessage))]
[JsonSerializable(typeof(JoinedMessage))]
[JsonSerializable(typeof(ParticipantJoinedMessage))]
[JsonSerializable(typeof(ParticipantLeftMessage))]
[JsonSerializable(typeof(ParticipantAwayMessage))]
[JsonSerializable(typeof(ParticipantStateMessage))]
[JsonSerializable(typeof(RelayedDescriptionMessage))]
[JsonSerializable(typeof(RelayedCandidateMessage))]
[JsonSerializable(typeof(PongMessage))]
[JsonSerializable(typeof(ErrorMessage))]
[JsonSerializable(typeof(ParticipantUpdatedMessage))]
[JsonSerializable(typeof(RoomUpdatedMessage))]
[JsonSerializable(typeof(DataMessage))]
[JsonSerializable(typeof(MuteParticipantRequest))]
[JsonSerializable(typeof(RemoveParticipantRequest))]
[JsonSerializable(typeof(LockRoomRequest))]
[JsonSerializable(typeof(UpdateSelfRequest))]
[JsonSerializable(typeof(VoiceChannel))]
internal sealed partial class SignalingJsonContext : JsonSerializerContext;
