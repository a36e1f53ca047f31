using System.Net;

namespace Parley.Server.Tests;

public sealed class HostTests
{
    [Fact]
    public async Task Healthz_answers_ok()
    {
        using var server = new ParleyServer();
        using var http = new HttpClient { BaseAddress = server.BaseAddress };

        var response = await http.GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok\n", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_web_app_is_served_with_headers_that_lock_it_down()
    {
        using var server = new ParleyServer();
        using var http = new HttpClient { BaseAddress = server.BaseAddress };

        var response = await http.GetAsync("/?room=x&name=y");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<script type=\"module\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("script-src 'self'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());

        var sdk = await http.GetAsync("/sdk/index.js");
        Assert.Equal(HttpStatusCode.OK, sdk.StatusCode);
        Assert.Equal("text/javascript", sdk.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task The_page_may_connect_only_to_its_own_origin_and_to_the_trackers_of_Web_Trackers()
    {
        using (var plain = new ParleyServer())
        using (var http = new HttpClient { BaseAddress = plain.BaseAddress })
        {
            var csp = (await http.GetAsync("/")).Headers.GetValues("Content-Security-Policy").Single();
            Assert.Contains("connect-src 'self';", csp, StringComparison.Ordinal);
        }

        using var server = new ParleyServer(new()
        {
            ["Web:Trackers:0"] = "wss://tracker.example/announce",
            ["Web:Trackers:1"] = "ws://127.0.0.1:8000",
            ["Web:Trackers:2"] = "wss://tracker.example/other",
        });
        using var client = new HttpClient { BaseAddress = server.BaseAddress };
        var policy = (await client.GetAsync("/?room=x&tracker=wss://tracker.example/announce")).Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("connect-src 'self' wss://tracker.example ws://127.0.0.1:8000;", policy, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_signaling_path_over_plain_http_says_it_wants_a_websocket()
    {
        using var server = new ParleyServer();
        using var http = new HttpClient { BaseAddress = server.BaseAddress };

        var response = await http.GetAsync("/ws");

        Assert.Equal(HttpStatusCode.UpgradeRequired, response.StatusCode);
    }

    [Theory]
    [InlineData("Signaling:MaxParticipantsPerRoom", "1", "MaxParticipantsPerRoom")]
    [InlineData("Signaling:MaxMessageBytes", "10", "MaxMessageBytes")]
    [InlineData("Signaling:MessagesPerSecond", "0", "MessagesPerSecond")]
    [InlineData("Signaling:MessageBurst", "1", "MessageBurst")]
    [InlineData("Signaling:IceServers:0:Urls:0", "http://example.org", "Signaling:IceServers:0:Urls")]
    [InlineData("Signaling:Path", "no-slash", "Path")]
    [InlineData("Web:Trackers:0", "https://tracker.example", "Web:Trackers")]
    [InlineData("Web:Trackers:0", "wss://tracker.example/a;b", "Web:Trackers")]
    public void Invalid_options_stop_the_server_at_start_with_a_message_naming_them(string key, string value, string named)
    {
        var error = Assert.ThrowsAny<Exception>(() => new ParleyServer(new() { [key] = value }).Dispose());

        var messages = string.Join(" | ", Flatten(error).Select(e => e.Message));
        Assert.Contains(named, messages, StringComparison.Ordinal);
    }

    private static IEnumerable<Exception> Flatten(Exception error)
    {
        for (Exception? e = error; e is not null; e = e.InnerException)
        {
            yield return e;
            if (e is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions.SelectMany(Flatten))
                {
                    yield return inner;
                }
            }
        }
    }

    [Theory]
    [InlineData("http://localhost:8080", "http://localhost:8080", true)]
    [InlineData("http://0.0.0.0:8080", "http://localhost:8080", false)]
    [InlineData("http://[::]:8080", "http://localhost:8080", false)]
    [InlineData("http://+:8080", "http://localhost:8080", false)]
    [InlineData("http://127.0.0.1:5000", "http://127.0.0.1:5000", true)]
    [InlineData("http://192.0.2.10:8080", "http://192.0.2.10:8080", false)]
    [InlineData("https://0.0.0.0:8443", "https://localhost:8443", true)]
    public void Startup_links_point_a_browser_somewhere_it_can_open(string address, string link, bool microphoneWorks)
    {
        Assert.Equal(link, Parley.Server.Hosting.StartupAddresses.BrowserLink(address));
        Assert.Equal(microphoneWorks, Parley.Server.Hosting.StartupAddresses.IsLoopbackOrHttps(address));
    }
}
