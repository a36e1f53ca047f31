using System.Text.Json.Serialization;

namespace Parley.Scale.Admin;

/// <summary>Admin calls between nodes, serialized without reflection (the native build).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(AdminCall))]
[JsonSerializable(typeof(AdminAnswer))]
internal sealed partial class ScaleJsonContext : JsonSerializerContext;
