using Microsoft.Playwright;

namespace Parley.Bench.Join;

/// <summary>A page in a browser context of its own; disposing it closes the context.</summary>
internal sealed record OpenPage(IBrowserContext Context, IPage Page) : IAsyncDisposable
{
    public async ValueTask DisposeAsync() => await Context.CloseAsync();
}
