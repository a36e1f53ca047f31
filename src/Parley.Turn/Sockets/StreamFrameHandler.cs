using Microsoft.Extensions.Logging;
using Parley.Stun;
using Parley.Turn.Relay;

namespace Parley.Turn.Sockets;

/// <summary>
/// Cuts STUN messages and padded ChannelData out of a TURN client's byte stream (RFC 8656 §12.5,
/// <see cref="StunFraming"/>) and hands each to the request handler, answering on the same stream. Shared by the
/// async stream connections (TLS, and TCP off Linux) and the event loop's TCP connections.
/// </summary>
internal static class StreamFrameHandler
{
    /// <summary>
    /// Handles every complete frame in <paramref name="data"/>; returns the bytes consumed (a partial frame is left
    /// for the next read), or -1 when the stream holds neither STUN nor ChannelData and cannot be resynchronised.
    /// <paramref name="beforeAnswer"/> runs before each answer is sent; <paramref name="frames"/> counts the frames.
    /// </summary>
    public static int HandleAll<TConnection>(TurnServer server, ILogger logger, in FiveTuple tuple, TConnection connection,
        Span<byte> data, Span<byte> response, Action? beforeAnswer, out int frames)
        where TConnection : IClientTransport, IClientSender
    {
        int consumed = 0;
        frames = 0;
        while (StunFraming.TryGetFrameLength(data[consumed..], out _, out int frameLength))
        {
            if (data.Length - consumed < frameLength)
            {
                return consumed;
            }

            frames++;
            int length = HandleOne(server, logger, tuple, connection, data.Slice(consumed, frameLength), response);
            if (length > 0)
            {
                beforeAnswer?.Invoke();
                connection.Send(response[..length]);
                response[..length].Clear();
            }

            consumed += frameLength;
        }

        return data.Length - consumed >= 4 ? -1 : consumed;
    }

    private static int HandleOne(TurnServer server, ILogger logger, in FiveTuple tuple, IClientTransport transport,
        ReadOnlySpan<byte> frame, Span<byte> response)
    {
        try
        {
            return server.Handler.HandleClientPacket(frame, tuple, transport, response);
        }
#pragma warning disable CA1031 // One bad message never ends the connection.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            TurnLog.PacketFailed(logger, ex, tuple.Client);
            return 0;
        }
    }
}
