using System.Net.WebSockets;

namespace Parley.Signaling.Transports;

/// <summary>
/// The wire under one signaling session, message by message: a WebSocket, or HTTP (an event stream or long polls
/// down, POSTs up). The session, its handlers and its room never see which one carries a participant
/// (docs/protocol.md, "Transports"); a new transport is one class that implements this.
/// </summary>
public interface ISignalingTransport
{
    /// <summary>What <c>signalingTransport</c> the client sees: <c>websocket</c>, <c>sse</c> or <c>long-poll</c>.</summary>
    string Name { get; }

    /// <summary>
    /// Hands each whole message the client sends to <paramref name="inbound"/>, one at a time and in the client's
    /// order, until the client closes, vanishes or <paramref name="cancellationToken"/> fires. Never throws for
    /// anything the client does.
    /// </summary>
    Task<TransportEnd> ReceiveAsync(IInboundMessages inbound, CancellationToken cancellationToken);

    /// <summary>
    /// Sends one message; false when the client can no longer be reached (the session then ends as dropped). One send
    /// at a time: the session's outbox never overlaps them. Throws <see cref="OperationCanceledException"/> when
    /// <paramref name="cancellationToken"/> fires (the session aborted it).
    /// </summary>
    ValueTask<bool> SendAsync(byte[] message, CancellationToken cancellationToken);

    /// <summary>Closes after the last message: a WebSocket close frame, or a <c>close</c> event over HTTP.</summary>
    ValueTask CloseAsync(WebSocketCloseStatus status, string reason, CancellationToken cancellationToken);
}

/// <summary>Where a transport delivers what the client sent.</summary>
public interface IInboundMessages
{
    /// <summary>One whole message; <paramref name="isText"/> false for a binary WebSocket frame.</summary>
    void OnMessage(ReadOnlySpan<byte> message, bool isText);

    /// <summary>A message over <see cref="SignalingOptions.MaxMessageBytes"/>: the session refuses it and closes.</summary>
    void OnTooLarge();

    /// <summary>True once the session is closing: a transport stops reading.</summary>
    bool IsClosing { get; }
}

/// <summary>How the client's side ended.</summary>
/// <param name="CloseReceived">The client closed on purpose (a close frame, a <c>DELETE</c>); false when it vanished.</param>
/// <param name="LeftCleanly">It meant to leave (1000, 1001 or no status), rather than to come back (4000 "reconnecting").</param>
public readonly record struct TransportEnd(bool CloseReceived, bool LeftCleanly)
{
    /// <summary>The client vanished: no close arrived.</summary>
    public static TransportEnd Vanished => default;

    /// <summary>The close status a client gives decides whether it left or keeps its place to resume.</summary>
    public static TransportEnd Closed(WebSocketCloseStatus? status) => new(true,
        status is null or WebSocketCloseStatus.Empty or WebSocketCloseStatus.NormalClosure or WebSocketCloseStatus.EndpointUnavailable);
}
