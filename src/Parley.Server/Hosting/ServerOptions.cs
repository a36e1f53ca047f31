namespace Parley.Server.Hosting;

/// <summary>Settings of the host itself, bound from the <c>Server</c> configuration section.</summary>
internal sealed class ServerOptions
{
    public const string SectionName = "Server";

    /// <summary>
    /// Run socket completions and request code on the socket engine's threads instead of the thread pool
    /// (<see cref="Hosting.InlineScheduling.UseParleyInlineScheduling"/>). Defaults to <c>true</c>.
    /// </summary>
    public bool InlineScheduling { get; set; } = true;
}
