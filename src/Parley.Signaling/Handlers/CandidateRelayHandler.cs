using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Parley.Signaling.Protocol;
using Parley.Signaling.Sessions;

namespace Parley.Signaling.Handlers;

/// <summary>
/// <c>candidate</c>: relays one trickled ICE candidate (or <c>null</c>, end of candidates) to one
/// participant of the sender's room, stamped with the sender's id. Only the RTCIceCandidateInit fields
/// are forwarded.
/// </summary>
public sealed class CandidateRelayHandler : IMessageHandler
{
    // An ICE candidate line (RFC 8839 §5.1) is well under this; the cap keeps relayed frames small.
    private const int MaxCandidateLength = 1024;
    private const int MaxTokenLength = 256;

    public string Type => "candidate";

    public ProtocolError? Handle(SignalingSession session, ReadOnlySpan<byte> utf8Json)
    {
        if (session.Room is not { } room || session.Participant is not { } sender)
        {
            return NotJoined.Error;
        }

        if (!TryPrepare(utf8Json, sender.Id, out var to, out var relayed, out var error))
        {
            return error;
        }

        return room.TrySendTo(sender, to, relayed) ? null : UnknownParticipant.Error(to);
    }

    /// <summary>
    /// Checks a candidate from <paramref name="senderId"/> and makes what its recipient <paramref name="to"/> receives;
    /// the room is not consulted (<see cref="PeerRelay"/>).
    /// </summary>
    public static bool TryPrepare(ReadOnlySpan<byte> utf8Json, string senderId, out string to, out byte[] relayed, out ProtocolError error)
    {
        relayed = [];
        if (!TryRead(utf8Json, out var target, out var candidate, out error))
        {
            to = target ?? "";
            return false;
        }

        to = target;
        relayed = ProtocolJson.Serialize(new RelayedCandidateMessage(senderId, candidate), SignalingJsonContext.Default.RelayedCandidateMessage);
        return true;
    }

    /// <summary>Where to relay and what (null: end of candidates), or the error for the client. Internal for tests.</summary>
    internal static bool TryRead(ReadOnlySpan<byte> utf8Json, [NotNullWhen(true)] out string? to, out IceCandidate? candidate, out ProtocolError error)
    {
        // The usual shape in one pass; anything else as the serializer reads it, so its answers stay the same.
        if (!CandidateRelayFrame.TryRead(utf8Json, out to, out candidate))
        {
            if (!ProtocolJson.TryDeserialize(utf8Json, SignalingJsonContext.Default.CandidateRelayRequest, out var request, out error))
            {
                return false;
            }

            to = request.To;
            if (!string.IsNullOrEmpty(to) && !TryReadCandidate(request.Candidate, out candidate, out error))
            {
                return false;
            }
        }

        if (string.IsNullOrEmpty(to))
        {
            error = ProtocolError.Invalid("candidate needs 'to'.");
            return false;
        }

        error = default;
        if (candidate is not null && !IsAcceptable(candidate))
        {
            error = NotAcceptable;
            candidate = null;
            return false;
        }

        return true;
    }

    private static readonly ProtocolError NotAcceptable = ProtocolError.Invalid(
        $"An ICE candidate needs a 'candidate' string of at most {MaxCandidateLength} characters, and sdpMid/usernameFragment of at most {MaxTokenLength}.");

    private static bool IsAcceptable(IceCandidate candidate) =>
        candidate.Candidate is not null && candidate.Candidate.Length <= MaxCandidateLength
        && !(candidate.SdpMid?.Length > MaxTokenLength) && !(candidate.UsernameFragment?.Length > MaxTokenLength)
        && candidate.SdpMLineIndex is not (< 0 or > ushort.MaxValue);

    private static bool TryReadCandidate(JsonElement element, out IceCandidate? candidate, out ProtocolError error)
    {
        candidate = null;
        error = default;
        switch (element.ValueKind)
        {
            case JsonValueKind.Null:
                return true;
            case JsonValueKind.Object:
                break;
            default:
                error = ProtocolError.Invalid("candidate needs 'candidate': an RTCIceCandidateInit object, or null for end of candidates.");
                return false;
        }

        try
        {
            candidate = element.Deserialize(SignalingJsonContext.Default.IceCandidate);
        }
        catch (JsonException ex)
        {
            error = ProtocolError.MalformedJson(ex.Message);
            return false;
        }

        if (candidate is null)
        {
            error = NotAcceptable;
            return false;
        }

        return true;
    }
}
