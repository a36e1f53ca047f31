using System.Diagnostics.CodeAnalysis;

namespace Parley.Signaling.Protocol;

/// <summary>
/// Reads back the server's own messages that name participants, for code that carries them to a client on another
/// node (several nodes: who the client has been told of). Never throws.
/// </summary>
public static class ServerMessageReader
{
    public static bool TryRead(ReadOnlySpan<byte> utf8Json, [NotNullWhen(true)] out JoinedMessage? message) =>
        ProtocolJson.TryDeserialize(utf8Json, SignalingJsonContext.Default.JoinedMessage, out message, out _);

    public static bool TryRead(ReadOnlySpan<byte> utf8Json, [NotNullWhen(true)] out ParticipantJoinedMessage? message) =>
        ProtocolJson.TryDeserialize(utf8Json, SignalingJsonContext.Default.ParticipantJoinedMessage, out message, out _);

    public static bool TryRead(ReadOnlySpan<byte> utf8Json, [NotNullWhen(true)] out ParticipantLeftMessage? message) =>
        ProtocolJson.TryDeserialize(utf8Json, SignalingJsonContext.Default.ParticipantLeftMessage, out message, out _);

    public static bool TryRead(ReadOnlySpan<byte> utf8Json, [NotNullWhen(true)] out ParticipantUpdatedMessage? message) =>
        ProtocolJson.TryDeserialize(utf8Json, SignalingJsonContext.Default.ParticipantUpdatedMessage, out message, out _);
}
