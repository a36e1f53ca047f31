using System.Diagnostics;
using System.Globalization;

namespace Parley.Browser.Tests.Infrastructure;

/// <summary>How <see cref="ReverseProxy"/> passes requests on.</summary>
public enum ProxyMode
{
    /// <summary>A plain <c>proxy_pass</c>, as old configurations are: no <c>Upgrade</c> passed, so no WebSocket.</summary>
    WithoutUpgrade,

    /// <summary>The documented configuration with <c>Upgrade</c> and <c>Connection</c> passed: WebSockets work.</summary>
    WithUpgrade,

    /// <summary>
    /// No WebSocket, and responses buffered whatever the server asks (<c>X-Accel-Buffering</c> ignored), as some
    /// corporate proxies do: an event stream arrives only when it ends.
    /// </summary>
    BufferingWithoutUpgrade,
}

/// <summary>
/// A real nginx (Debian's package, which test.sh installs) on a free loopback port in front of a <see cref="ParleyServer"/>,
/// in the foreground as a single process with everything under a temporary directory. Stopped on dispose.
/// </summary>
public sealed class ReverseProxy : IAsyncDisposable
{
    private const string Nginx = "/usr/sbin/nginx";
    private readonly Process process;
    private readonly string directory;

    private ReverseProxy(Process process, string directory, Uri baseAddress)
    {
        this.process = process;
        this.directory = directory;
        BaseAddress = baseAddress;
    }

    /// <summary><c>http://127.0.0.1:PORT/</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>Why the proxy cannot run here, or null.</summary>
    public static string? WhyUnavailable() => File.Exists(Nginx) ? null : $"{Nginx} is not installed (test.sh installs the nginx package)";

    /// <summary>The page URL through the proxy that prefills the join form.</summary>
    public Uri PageFor(string room, string name) =>
        new(BaseAddress, $"/?room={Uri.EscapeDataString(room)}&name={Uri.EscapeDataString(name)}");

    public static async Task<ReverseProxy> StartAsync(ParleyServer upstream, ProxyMode mode)
    {
        var directory = Directory.CreateTempSubdirectory("parley-nginx-").FullName;
        var port = ParleyServer.FreeLoopbackPort();
        var upstreamAuthority = upstream.BaseAddress.GetLeftPart(UriPartial.Authority);
        var passing = mode switch
        {
            ProxyMode.WithUpgrade => """
                proxy_http_version 1.1;
                proxy_set_header Upgrade $http_upgrade;
                proxy_set_header Connection $connection_upgrade;
                proxy_buffering off;
                """,
            ProxyMode.BufferingWithoutUpgrade => """
                proxy_buffering on;
                proxy_ignore_headers X-Accel-Buffering;
                proxy_buffers 8 64k;
                """,
            _ => "",
        };
        var configuration = string.Create(CultureInfo.InvariantCulture, $$"""
            daemon off;
            master_process off;
            error_log {{directory}}/error.log info;
            pid {{directory}}/nginx.pid;
            events { worker_connections 256; }
            http {
              access_log {{directory}}/access.log;
              client_body_temp_path {{directory}}/body;
              proxy_temp_path {{directory}}/proxy;
              fastcgi_temp_path {{directory}}/fastcgi;
              uwsgi_temp_path {{directory}}/uwsgi;
              scgi_temp_path {{directory}}/scgi;
              map $http_upgrade $connection_upgrade { default upgrade; '' close; }
              server {
                listen 127.0.0.1:{{port}};
                location / {
                  proxy_pass {{upstreamAuthority}};
                  proxy_set_header Host $host;
                  {{passing}}
                }
              }
            }
            """);
        var path = Path.Combine(directory, "nginx.conf");
        await File.WriteAllTextAsync(path, configuration);
        var process = Process.Start(new ProcessStartInfo(Nginx, ["-p", directory, "-c", path])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        })!;
        var proxy = new ReverseProxy(process, directory, new Uri(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}/")));
        await proxy.WaitUntilServingAsync();
        return proxy;
    }

    private async Task WaitUntilServingAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"nginx exited with {process.ExitCode}: {await process.StandardError.ReadToEndAsync()} {ErrorLog()}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri(BaseAddress, "/healthz"));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
            }

            if (deadline.Elapsed > TimeSpan.FromSeconds(20))
            {
                throw new TimeoutException($"nginx did not serve /healthz: {ErrorLog()}");
            }

            await Task.Delay(100);
        }
    }

    private string ErrorLog()
    {
        var log = Path.Combine(directory, "error.log");
        return File.Exists(log) ? File.ReadAllText(log) : "";
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>Skipped where nginx is not installed (test.sh installs it).</summary>
public sealed class ReverseProxyFactAttribute : FactAttribute
{
    public ReverseProxyFactAttribute()
    {
        if (ReverseProxy.WhyUnavailable() is { } reason)
        {
            Skip = "No reverse proxy: " + reason + ".";
        }
    }
}
