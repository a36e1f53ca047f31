using System.Text.Json.Serialization;

namespace Parley.Access;

/// <summary>
/// Source-generated JSON for token payloads and resume tickets: camelCase as LiveKit writes them, nulls omitted, unknown
/// claims ignored. Numbers must be JSON numbers and strings JSON strings (no lenient conversions), so a claim of the
/// wrong type is refused.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Disallow,
    MaxDepth = 16)]
[JsonSerializable(typeof(TokenClaims))]
[JsonSerializable(typeof(VideoClaim))]
[JsonSerializable(typeof(ParleyClaim))]
[JsonSerializable(typeof(ResumeTicket))]
[JsonSerializable(typeof(VideoGrant))]
internal sealed partial class AccessJsonContext : JsonSerializerContext;
