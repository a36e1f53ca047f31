using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Parley.Compat.LiveKit.Webhooks;
using Parley.Signaling.Rooms;

namespace Parley.Server.Tests.LiveKit;

/// <summary>
/// A real Parley server in token mode whose webhooks go to a <see cref="WebhookCatcher"/> on loopback, with the
/// server's fake clock driving retries and timeouts. Events are driven through the server's own
/// <see cref="IRoomEvents"/>, as its rooms call it.
/// </summary>
internal sealed class WebhookRig : IAsyncDisposable
{
    public const string ApiKey = "parley-hooks";
    public const string Secret = "0123456789abcdef0123456789abcdef-hooks";

    /// <summary>The fake clock moves in steps this long while a test waits for something that needs time to pass.</summary>
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(100);

    private WebhookRig(ParleyServer server, WebhookCatcher catcher, RecordedLogs logs)
    {
        Server = server;
        Catcher = catcher;
        Logs = logs;
    }

    public ParleyServer Server { get; }

    public WebhookCatcher Catcher { get; }

    public RecordedLogs Logs { get; }

    public IRoomEvents Events => Server.Services.GetRequiredService<IRoomEvents>();

    /// <summary>The webhook queue of the one URL.</summary>
    public WebhookTarget Target => Server.Services.GetRequiredService<WebhookOutbox>().Targets.Single();

    public DateTimeOffset Now => Server.Time.GetUtcNow();

    public static async Task<WebhookRig> StartAsync(Dictionary<string, string?>? settings = null)
    {
        ParleyServer? server = null;
        var catcher = await WebhookCatcher.StartAsync(() => server!.Time.GetUtcNow());
        var logs = new RecordedLogs();
        var all = new Dictionary<string, string?>
        {
            [$"Auth:Keys:{ApiKey}"] = Secret,
            ["Webhooks:Urls:0"] = catcher.Url.ToString(),
            ["Webhooks:ApiKey"] = ApiKey,
        };
        foreach (var (key, value) in settings ?? [])
        {
            all[key] = value;
        }

        server = new ParleyServer(all, services => services.AddSingleton<ILoggerProvider>(logs));
        return new WebhookRig(server, catcher, logs);
    }

    /// <summary>What livekit-server-sdk's WebhookReceiver, with the right key and secret, makes of the requests.</summary>
    public static Task<IReadOnlyList<WebhookReceiverNode.Result>> ReceiveAsync(IEnumerable<CaughtWebhook> requests) =>
        WebhookReceiverNode.ReceiveAsync(ApiKey, Secret, requests.Select(request => (request.Body, request.Authorization)));

    /// <summary>Waits (10 s at most) until <paramref name="condition"/> holds, without moving the clock.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!condition())
        {
            Assert.False(timeout.IsCancellationRequested, $"timed out waiting until {what}");
            await Task.Delay(10, CancellationToken.None);
        }
    }

    /// <summary>
    /// Moves the fake clock in steps of 100 ms, letting real time pass between them for the delivery to act, until
    /// <paramref name="condition"/> holds; fails if it takes more than <paramref name="limit"/> of fake time.
    /// </summary>
    public async Task AdvanceUntilAsync(Func<bool> condition, TimeSpan limit, string what)
    {
        for (var advanced = TimeSpan.Zero; !condition(); advanced += Step)
        {
            Assert.True(advanced < limit, $"{what} did not happen within {limit.TotalSeconds} s of fake time");
            Server.Time.Advance(Step);
            for (var i = 0; i < 5 && !condition(); i++)
            {
                await Task.Delay(5);
            }
        }
    }

    /// <summary>
    /// Brings the next attempt of a failed event: waits until the delivery has logged its retry number
    /// <paramref name="retry"/> (event 4501, written just before it sets its timer), moves the clock on to just short
    /// of <paramref name="backoff"/> (no attempt may come yet), then to it, and waits for the attempt. The clock stands still while requests are under
    /// way, so each attempt's time is exact however slow the machine; if the timer was set after the move (a very
    /// busy machine), the clock then moves on in steps until the attempt comes.
    /// </summary>
    public async Task NextAttemptAsync(int retry, TimeSpan backoff)
    {
        await WaitUntilAsync(() => Logs.Messages(4501).Count >= retry, $"retry {retry} is scheduled");
        var before = Catcher.Caught.Count;
        await Task.Delay(50);
        Server.Time.Advance(backoff - Step);
        await Task.Delay(200);
        Assert.True(Catcher.Caught.Count == before, $"attempt {retry + 1} came before its back-off of {backoff.TotalSeconds} s");
        Server.Time.Advance(Step);
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        while (Catcher.Caught.Count == before && !wait.IsCancellationRequested)
        {
            await Task.Delay(10, CancellationToken.None);
        }

        await AdvanceUntilAsync(() => Catcher.Caught.Count > before, TimeSpan.FromSeconds(10), $"attempt {retry + 1}");
    }

    /// <summary>Moves the fake clock on by <paramref name="span"/> in steps, letting the delivery act between them.</summary>
    public async Task AdvanceAsync(TimeSpan span)
    {
        for (var advanced = TimeSpan.Zero; advanced < span; advanced += Step)
        {
            Server.Time.Advance(Step);
            await Task.Delay(5);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Server.Dispose();
        await Catcher.DisposeAsync();
    }
}
