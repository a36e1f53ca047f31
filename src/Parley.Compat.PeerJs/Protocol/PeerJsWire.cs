using System.Text.Json;
using System.Text.Json.Serialization;

namespace Parley.Compat.PeerJs.Protocol;

/// <summary>
/// What a client sends: <c>{type, dst?, payload?}</c>; anything else in it (a <c>src</c> of its own) is ignored, as the
/// server stamps the sender itself.
/// </summary>
public sealed record PeerJsClientMessage(string? Type, string? Dst, JsonElement? Payload);

/// <summary>What the server sends: <c>{type, src?, dst?, payload?}</c>, absent members left out.</summary>
public sealed record PeerJsServerMessage(string Type, string? Src = null, string? Dst = null, JsonElement? Payload = null);

/// <summary>The payload of <c>ERROR</c> and <c>ID-TAKEN</c>.</summary>
public sealed record PeerJsMessagePayload(string Msg);

/// <summary>The wire types, serialized without reflection. Property names are camelCase as PeerJS's.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    // Anything but a string (a number as dst) is refused, not converted.
    NumberHandling = JsonNumberHandling.Strict,
    // Deeper payloads are refused: a client gains nothing from them and the reader's work stays bounded.
    MaxDepth = 32)]
[JsonSerializable(typeof(PeerJsClientMessage))]
[JsonSerializable(typeof(PeerJsServerMessage))]
[JsonSerializable(typeof(PeerJsMessagePayload))]
[JsonSerializable(typeof(string[]))]
internal sealed partial class PeerJsJsonContext : JsonSerializerContext;
