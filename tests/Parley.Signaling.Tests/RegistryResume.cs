using Parley.Signaling.Protocol;
using Parley.Signaling.Rooms;

namespace Parley.Signaling.Tests;

/// <summary>An open-mode resume as the handler makes it: a participant for the token, created only if the room lost it.</summary>
internal static class RegistryResume
{
    public static bool TryResume(this RoomRegistry registry, string roomName, string resumeToken, string displayName, bool? muted,
        IParticipantConnection connection, IReadOnlyList<IceServer> iceServers, out Room room, out Participant participant, out ProtocolError error) =>
        registry.TryResume(roomName, new Participant(resumeToken, displayName, muted ?? false, connection), muted, connection, iceServers,
            static () => true, out room, out participant, out error);
}
