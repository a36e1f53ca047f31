namespace Parley.Server.Hosting;

public static class InlineScheduling
{
    /// <summary>The runtime's switch for running socket completions on its epoll threads; read once, at the first socket.</summary>
    private const string InlineCompletionsVariable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    /// <summary>
    /// With <c>Server:InlineScheduling</c> (default true): socket completions and request code run on the socket
    /// engine's threads instead of hopping to the thread pool, as Node does on its one thread. Relaying a signaling
    /// message then costs about one context switch instead of dozens, which on this kind of small virtual machine
    /// cut the server's CPU per message by two thirds (docs/benchmarks.md). Safe because nothing in Parley blocks a
    /// thread: handlers take short locks and queue or send without waiting, and with several nodes what waits for Redis
    /// (a join's room and seat, the admin API) awaits it.
    /// </summary>
    public static WebApplicationBuilder UseParleyInlineScheduling(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ServerOptions>().BindConfiguration(ServerOptions.SectionName).ValidateOnStart();

        // Read before the services exist, as the transport is chosen now. A value that is no boolean is reported by
        // the start-up check (CheckedBuild) before anything listens; until then the default stands.
        var configured = builder.Configuration[ConfigurationPath.Combine(ServerOptions.SectionName, nameof(ServerOptions.InlineScheduling))];
        if (!(bool.TryParse(configured, out var inline) ? inline : new ServerOptions().InlineScheduling))
        {
            return builder;
        }

        // Both halves are needed: Kestrel's inline pipes alone still wait for a thread-pool socket completion,
        // and inline completions alone still hand the request to the thread pool.
        if (Environment.GetEnvironmentVariable(InlineCompletionsVariable) is null)
        {
            Environment.SetEnvironmentVariable(InlineCompletionsVariable, "1");
        }

        builder.WebHost.UseSockets(options => options.UnsafePreferInlineScheduling = true);
        return builder;
    }
}
