using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Parley.Server.Tests.LiveKit;

/// <summary>One request as the receiver got it, at the server's (fake) time.</summary>
internal sealed record CaughtWebhook(string Path, string? ContentType, string? Authorization, byte[] Body, DateTimeOffset At)
{
    public string Text => System.Text.Encoding.UTF8.GetString(Body);

    /// <summary>The <c>event</c> and <c>id</c> fields of the body, read without LiveKit's help.</summary>
    public string Event => System.Text.Json.JsonDocument.Parse(Body).RootElement.GetProperty("event").GetString()!;

    public string Id => System.Text.Json.JsonDocument.Parse(Body).RootElement.GetProperty("id").GetString()!;

    public string RoomName => System.Text.Json.JsonDocument.Parse(Body).RootElement.GetProperty("room").GetProperty("name").GetString()!;
}

/// <summary>
/// A webhook receiver on a real loopback Kestrel port: records every request and answers what <see cref="Answer"/>
/// says (a status code, or null to never answer until the sender gives up).
/// </summary>
internal sealed class WebhookCatcher : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ConcurrentQueue<CaughtWebhook> caught = new();
    private readonly CancellationTokenSource stopping = new();
    private readonly Func<DateTimeOffset> clock;
    private int open;

    private WebhookCatcher(Func<DateTimeOffset> clock)
    {
        this.clock = clock;
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(1));
        app = builder.Build();
        app.Run(HandleAsync);
    }

    /// <summary>Decides each answer: 200 unless a test says otherwise.</summary>
    public Func<CaughtWebhook, int?> Answer { get; set; } = _ => StatusCodes.Status200OK;

    public Uri Url { get; private set; } = null!;

    public IReadOnlyList<CaughtWebhook> Caught => caught.ToArray();

    /// <summary>Requests received and not answered yet.</summary>
    public int Open => Volatile.Read(ref open);

    /// <param name="clock">The time recorded with each request: the server's fake clock.</param>
    public static async Task<WebhookCatcher> StartAsync(Func<DateTimeOffset> clock)
    {
        var catcher = new WebhookCatcher(clock);
        await catcher.app.StartAsync();
        var address = catcher.app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        catcher.Url = new Uri(new Uri(address), "/hooks/livekit");
        return catcher;
    }

    /// <summary>Waits (10 s at most) until <paramref name="count"/> requests have come.</summary>
    public async Task<IReadOnlyList<CaughtWebhook>> WaitForAsync(int count)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (caught.Count < count)
        {
            await Task.Delay(10, timeout.Token);
        }

        return Caught;
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        await app.StopAsync();
        await app.DisposeAsync();
        stopping.Dispose();
    }

    private async Task HandleAsync(HttpContext context)
    {
        Interlocked.Increment(ref open);
        try
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body, context.RequestAborted);
            var request = new CaughtWebhook(
                context.Request.Path,
                context.Request.ContentType,
                context.Request.Headers.Authorization.FirstOrDefault(),
                body.ToArray(),
                clock());
            caught.Enqueue(request);
            if (Answer(request) is { } status)
            {
                context.Response.StatusCode = status;
                return;
            }

            using var both = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping.Token);
            await Task.Delay(Timeout.Infinite, both.Token);
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            Interlocked.Decrement(ref open);
        }
    }
}
