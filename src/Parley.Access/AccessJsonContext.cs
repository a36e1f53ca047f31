using System.Text.Json.Serialization;

namespace Parley.Access;

/// <summary>Source-generated JSON for what this project reads and writes: LiveKit's camelCase claims, tickets.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    MaxDepth = 16)]
[JsonSerializable(typeof(ResumeTicket))]
[JsonSerializable(typeof(VideoGrant))]
internal sealed partial class AccessJsonContext : JsonSerializerContext;
