using System.Net.WebSockets;

namespace Parley.Bench.Signaling;

/// <summary>A participant's own <see cref="ClientWebSocket"/>: one text frame per message each way.</summary>
internal sealed class WebSocketLink(Uri address) : IParticipantLink
{
    private const int MaxFrameBytes = 1 << 20;
    private readonly ClientWebSocket socket = new() { Options = { KeepAliveInterval = TimeSpan.Zero } };

    public bool IsOpen => socket.State == WebSocketState.Open;

    public Task ConnectAsync(CancellationToken cancellationToken) => socket.ConnectAsync(address, cancellationToken);

    public async Task<string> ReceiveAsync(Participant participant, CancellationToken cancellationToken)
    {
        byte[] buffer = new byte[8192];
        while (true)
        {
            int length = 0;
            ValueWebSocketReceiveResult result;
            do
            {
                if (length == buffer.Length)
                {
                    if (buffer.Length >= MaxFrameBytes)
                    {
                        return $"a frame over {MaxFrameBytes} bytes";
                    }

                    Array.Resize(ref buffer, buffer.Length * 2);
                }

                result = await socket.ReceiveAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
                length += result.Count;
            }
            while (!result.EndOfMessage);

            if (result.MessageType == WebSocketMessageType.Close)
            {
                return $"{socket.CloseStatus} {socket.CloseStatusDescription}";
            }

            participant.OnFrame(buffer.AsSpan(0, length));
        }
    }

    public ValueTask SendAsync(byte[] frame, CancellationToken cancellationToken) =>
        socket.SendAsync(frame.AsMemory(), WebSocketMessageType.Text, endOfMessage: true, cancellationToken);

    public async Task CloseAsync(TimeSpan timeout)
    {
        using var timer = new CancellationTokenSource(timeout);
        try
        {
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", timer.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or InvalidOperationException)
        {
        }
    }

    public void Dispose()
    {
        socket.Abort();
        socket.Dispose();
    }
}
