using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Parley.Scale.Bridges;
using Parley.Scale.Store;
using Parley.Signaling.Access;
using StackExchange.Redis;

namespace Parley.Scale.Admin;

/// <summary>
/// Admin API calls between nodes over their inboxes: a node asks the node that serves a room (or every node, to list
/// rooms) and waits, at most <see cref="RedisOptions.OperationTimeoutMilliseconds"/> twice over, for the answer; a node
/// asked runs the call on its own rooms (<see cref="RoomAdministration"/>) and answers the node that asked.
/// </summary>
internal sealed class AdminCalls(RedisLink link, IServiceProvider services, ILogger<AdminCalls> logger)
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource<AdminAnswer>> pending = new(StringComparer.Ordinal);
    private RoomAdministration? local;

    /// <summary>Resolved late: this node's own rooms, never the several-node administration (which calls this).</summary>
    private RoomAdministration Local => local ??= services.GetRequiredService<RoomAdministration>();

    private TimeSpan Timeout => TimeSpan.FromMilliseconds(2 * link.Options.OperationTimeoutMilliseconds);

    /// <summary>Runs <paramref name="call"/> at <paramref name="node"/>: its answer, or null if it is gone or did not answer in time.</summary>
    public async Task<AdminAnswer?> InvokeAsync(string node, AdminCall call) =>
        (await InvokeAllAsync([node], call).ConfigureAwait(false)).SingleOrDefault();

    /// <summary>Runs <paramref name="call"/> at each of <paramref name="nodes"/> at once: the answers that came in time.</summary>
    public async Task<IReadOnlyList<AdminAnswer>> InvokeAllAsync(IReadOnlyList<string> nodes, AdminCall call)
    {
        var request = JsonSerializer.SerializeToUtf8Bytes(call, ScaleJsonContext.Default.AdminCall);
        var waits = new List<(string Id, Task<AdminAnswer> Answer)>(nodes.Count);
        try
        {
            var sends = new List<Task>(nodes.Count);
            foreach (var node in nodes)
            {
                var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(BridgeFrame.IdLength / 2));
                var answer = new TaskCompletionSource<AdminAnswer>(TaskCreationOptions.RunContinuationsAsynchronously);
                pending[id] = answer;
                waits.Add((id, answer.Task));
                var frame = BridgeFrame.Write(BridgeFrameKind.AdminRequest, 0, id, 0, link.NowMilliseconds, RequestPayload(link.NodeId, request));
                sends.Add(SendAsync(node, frame, answer));
            }

            await Task.WhenAll(sends).ConfigureAwait(false);
            await Task.WhenAll(waits.Select(wait => (Task)wait.Answer)).WaitAsync(Timeout).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or TaskCanceledException)
        {
            // Redis failed, a node did not answer in time, or one is gone: the answers that did come are used.
            if (ex is RedisException or RedisTimeoutException)
            {
                link.MarkUnreachable(ex.Message);
            }
        }
        finally
        {
            foreach (var (id, _) in waits)
            {
                pending.TryRemove(id, out _);
            }
        }

        return [.. waits.Where(wait => wait.Answer.IsCompletedSuccessfully).Select(wait => wait.Answer.Result)];
    }

    private async Task SendAsync(string node, byte[] frame, TaskCompletionSource<AdminAnswer> answer)
    {
        if (await link.Subscriber.PublishAsync(link.Keys.Inbox(node), frame).ConfigureAwait(false) == 0)
        {
            answer.TrySetCanceled(); // nobody listens there: the node is gone
        }
    }

    /// <summary>A call from another node: run here, off the inbox's reader, and answered.</summary>
    public void OnRequest(in BridgeFrame frame)
    {
        if (!TryReadRequest(frame.Payload, out var from, out var call))
        {
            return;
        }

        var id = Encoding.ASCII.GetString(frame.Id);
        ThreadPool.UnsafeQueueUserWorkItem(_ =>
        {
            var answer = AdminDispatch.Run(Local, call);
            var reply = BridgeFrame.Write(BridgeFrameKind.AdminReply, 0, id, 0, link.NowMilliseconds,
                JsonSerializer.SerializeToUtf8Bytes(answer, ScaleJsonContext.Default.AdminAnswer));
            try
            {
                _ = link.Subscriber.PublishAsync(link.Keys.Inbox(from), reply, CommandFlags.FireAndForget);
            }
            catch (RedisException ex)
            {
                ScaleLog.AdminReplyLost(logger, call.Method, from, ex.Message);
            }
        }, null);
    }

    public void OnReply(in BridgeFrame frame)
    {
        if (pending.TryRemove(Encoding.ASCII.GetString(frame.Id), out var waiting))
        {
            try
            {
                if (JsonSerializer.Deserialize(frame.Payload, ScaleJsonContext.Default.AdminAnswer) is { } answer)
                {
                    waiting.TrySetResult(answer);
                    return;
                }
            }
            catch (JsonException)
            {
            }

            waiting.TrySetCanceled();
        }
    }

    /// <summary>The asking node (a 1-byte length and ASCII), then the call as JSON.</summary>
    private static byte[] RequestPayload(string from, byte[] call)
    {
        var payload = new byte[1 + from.Length + call.Length];
        payload[0] = (byte)from.Length;
        Encoding.ASCII.GetBytes(from, payload.AsSpan(1));
        call.CopyTo(payload.AsSpan(1 + from.Length));
        return payload;
    }

    /// <summary>Never throws, whatever the bytes.</summary>
    internal static bool TryReadRequest(ReadOnlySpan<byte> payload, out string from, out AdminCall call)
    {
        from = "";
        call = null!;
        if (payload.IsEmpty || payload[0] == 0 || payload.Length < 1 + payload[0] || !Ascii.IsValid(payload.Slice(1, payload[0])))
        {
            return false;
        }

        from = Encoding.ASCII.GetString(payload.Slice(1, payload[0]));
        try
        {
            call = JsonSerializer.Deserialize(payload[(1 + payload[0])..], ScaleJsonContext.Default.AdminCall)!;
            return call is not null;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
