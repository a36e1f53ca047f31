namespace Parley.Signaling.Protocol;

/// <summary>A request the server refused: a stable <see cref="ErrorCode"/> and a message for humans.</summary>
public readonly record struct ProtocolError(string Code, string Message)
{
    public static ProtocolError MalformedJson(string detail) => new(ErrorCode.MalformedJson, $"The message is not a valid JSON object: {detail}");

    public static ProtocolError Invalid(string message) => new(ErrorCode.InvalidMessage, message);
}
