using Parley.Signaling.Protocol;

namespace Parley.Signaling.Handlers;

/// <summary>What <c>join</c> and <c>resume</c> both check: the protocol version and, in open mode, the two names.</summary>
internal static class EntryRules
{
    public static readonly ProtocolError AlreadyJoined = new(ErrorCode.AlreadyJoined, "Already in a room; send leave first.");

    public static bool TryCheckProtocol(string type, int? protocol, out ProtocolError error)
    {
        error = default;
        if (protocol is not { } version)
        {
            error = ProtocolError.Invalid($"{type} needs 'protocol', the protocol version the client speaks.");
            return false;
        }

        if (!ProtocolVersion.IsSupported(version))
        {
            error = new ProtocolError(ErrorCode.UnsupportedProtocol, $"This server speaks protocol {ProtocolVersion.Current}, not {version}.");
            return false;
        }

        return true;
    }

    public static bool TryNormalizeNames(string? room, string? name, SignalingOptions options, out string roomName, out string displayName, out ProtocolError error)
    {
        displayName = "";
        return NameRules.TryNormalizeRoomName(room, options.MaxRoomNameLength, out roomName, out error)
            && NameRules.TryNormalizeDisplayName(name, options.MaxDisplayNameLength, out displayName, out error);
    }
}
