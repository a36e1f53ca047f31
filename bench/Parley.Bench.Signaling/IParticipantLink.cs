namespace Parley.Bench.Signaling;

/// <summary>
/// The connection one participant's frames travel over: a WebSocket (<see cref="WebSocketLink"/>) or an HTTP session
/// (<see cref="HttpLink"/>). <see cref="Participant"/> keeps the queue, the timing and the protocol; a link only moves
/// whole frames.
/// </summary>
internal interface IParticipantLink : IDisposable
{
    /// <summary>True while frames can flow both ways.</summary>
    bool IsOpen { get; }

    /// <summary>Opens the connection (the socket, or the HTTP session).</summary>
    Task ConnectAsync(CancellationToken cancellationToken);

    /// <summary>Hands every frame the server sends to <see cref="Participant.OnFrame"/> until the server closes; returns why.</summary>
    Task<string> ReceiveAsync(Participant participant, CancellationToken cancellationToken);

    /// <summary>Sends one frame; one at a time (the participant's send loop never overlaps them).</summary>
    ValueTask SendAsync(byte[] frame, CancellationToken cancellationToken);

    /// <summary>Closes on purpose, so that the server frees the participant at once; waits at most the timeout.</summary>
    Task CloseAsync(TimeSpan timeout);
}
