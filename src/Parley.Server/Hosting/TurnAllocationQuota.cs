using Microsoft.Extensions.Options;
using Parley.Signaling;
using Parley.Turn;

namespace Parley.Server.Hosting;

/// <summary>
/// Resolves an automatic Turn:MaxAllocationsPerUser (unset) from the room size, once, when the options are first
/// read at start. The host does it because it alone knows both sides: how many peers a participant has
/// (Signaling:MaxParticipantsPerRoom) and how many TURN URIs it hands each of them; the TURN server knows neither.
/// </summary>
internal sealed class TurnAllocationQuota(IOptions<SignalingOptions> signaling, IConfiguration configuration)
    : IPostConfigureOptions<TurnOptions>
{
    /// <summary>
    /// Room for one ICE restart of every peer connection: a restart gathers, and so allocates, anew, and the
    /// allocations it replaces live on until the browser deallocates them or they expire (RFC 8656 §7.2).
    /// </summary>
    internal const int IceRestartHeadroom = 2;

    public void PostConfigure(string? name, TurnOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.MaxAllocationsPerUser is not null)
        {
            return;
        }

        int roomSize;
        try
        {
            roomSize = signaling.Value.MaxParticipantsPerRoom;
        }
        catch (Exception error) when (error is OptionsValidationException or InvalidOperationException)
        {
            // Signaling's options do not bind or validate: their own check stops the start and says why, and the Turn
            // section's problems must still be found and said beside them, so this step leaves the quota unresolved.
            return;
        }

        options.MaxAllocationsPerUser = ForRoom(
            roomSize, TurnIceServerProvider.TurnUris("host", options, TurnTls.IsConfigured(options, configuration)).Count);
    }

    /// <summary>
    /// What one participant of a full room needs: in a full mesh it has a peer connection to each of the other
    /// <paramref name="maxParticipantsPerRoom"/> − 1, and each connection allocates once per TURN URI.
    /// </summary>
    internal static int ForRoom(int maxParticipantsPerRoom, int turnUris) =>
        (maxParticipantsPerRoom - 1) * turnUris * IceRestartHeadroom;
}
