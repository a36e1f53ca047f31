namespace Parley.Server.Hosting;

/// <summary>Settings of the browser app this server serves, bound from the <c>Web</c> configuration section.</summary>
internal sealed class WebOptions
{
    public const string SectionName = "Web";

    /// <summary>
    /// WebTorrent trackers (absolute <c>ws://</c> or <c>wss://</c> URLs) the page may meet through with
    /// <c>/?tracker=</c> (web/README.md): each one's origin is added to the page's Content-Security-Policy
    /// <c>connect-src</c>, which otherwise allows only this server. A link cannot make the page talk to any other
    /// host. Defaults to none.
    /// </summary>
    public string[] Trackers { get; set; } = [];

    /// <summary>Whether every tracker is an absolute ws:// or wss:// URL without spaces or quotes (it goes into a header).</summary>
    public static bool TrackersAreValid(WebOptions options) =>
        options.Trackers.All(static url =>
            Uri.TryCreate(url, UriKind.Absolute, out var uri)
            && (uri.Scheme == "ws" || uri.Scheme == "wss")
            && !url.Any(static c => char.IsWhiteSpace(c) || c is ';' or ',' or '\'' or '"'));

    /// <summary>The CSP source of each tracker: scheme, host and port (paths do not matter to the page's sockets).</summary>
    public IEnumerable<string> TrackerSources() =>
        Trackers.Select(static url => new Uri(url).GetLeftPart(UriPartial.Authority)).Distinct(StringComparer.Ordinal);
}
