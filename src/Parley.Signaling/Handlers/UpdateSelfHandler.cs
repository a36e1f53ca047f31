using Parley.Signaling.Access;
using Parley.Signaling.Protocol;
using Parley.Signaling.Sessions;

namespace Parley.Signaling.Handlers;

/// <summary>
/// <c>update-self</c>: a participant whose token grants <c>canUpdateOwnMetadata</c> changes its own display name or
/// metadata, as LiveKit's clients may; the same rules as the names and metadata of a token apply.
/// </summary>
public sealed class UpdateSelfHandler(SignalingOptions options) : IMessageHandler
{
    public string Type => "update-self";

    public ProtocolError? Handle(SignalingSession session, ReadOnlySpan<byte> utf8Json)
    {
        if (session.Room is not { } room || session.Participant is not { } self)
        {
            return NotJoined.Error;
        }

        if (!ProtocolJson.TryDeserialize(utf8Json, SignalingJsonContext.Default.UpdateSelfRequest, out var request, out var error))
        {
            return error;
        }

        string? name = null;
        if (request.Name is not null && !NameRules.TryNormalizeDisplayName(request.Name, options.MaxDisplayNameLength, out name, out error))
        {
            return error;
        }

        if (request.Metadata?.Length > Admission.MaxMetadataLength)
        {
            return ProtocolError.Invalid($"metadata is longer than {Admission.MaxMetadataLength} characters.");
        }

        return room.TryUpdateSelf(self, name, request.Metadata);
    }
}
