using System.Text.Json.Serialization;

namespace Parley.Compat.LiveKit.LiveKitJson;

/// <summary>
/// Source-generated JSON for LiveKit's messages as protojson writes them: lowerCamel names (protojson's default),
/// int64 fields as strings (each marked on its property), absent messages omitted.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    MaxDepth = 16)]
[JsonSerializable(typeof(LkWebhookEvent))]
[JsonSerializable(typeof(LkRoom))]
[JsonSerializable(typeof(LkParticipantInfo))]
[JsonSerializable(typeof(LkListRoomsResponse))]
[JsonSerializable(typeof(LkListParticipantsResponse))]
[JsonSerializable(typeof(LkMuteRoomTrackResponse))]
[JsonSerializable(typeof(LkEmpty))]
[JsonSerializable(typeof(Twirp.TwirpError))]
internal sealed partial class LiveKitJsonContext : JsonSerializerContext;
