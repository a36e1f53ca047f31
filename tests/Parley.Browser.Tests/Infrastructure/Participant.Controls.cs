namespace Parley.Browser.Tests.Infrastructure;

/// <summary>The voice controls of the page: deafen, input mode, push to talk, per-participant hearing, chat.</summary>
public sealed partial class Participant
{
    public ILocator DeafenButton => Page.GetByRole(AriaRole.Button, new() { Name = "Deafen", Exact = true });

    public ILocator InputMode => Page.GetByLabel("Input mode", new() { Exact = true });

    public ILocator PushToTalkButton => Page.GetByRole(AriaRole.Button, new() { Name = "Push to talk", Exact = true });

    /// <summary>The slider setting how loud this participant hears <paramref name="remote"/> (0-200 %).</summary>
    public ILocator VolumeFor(Participant remote) =>
        Page.GetByRole(AriaRole.Slider, new() { Name = $"Volume for {remote.Name}", Exact = true });

    /// <summary>The button muting <paramref name="remote"/> for this participant only.</summary>
    public ILocator LocalMuteFor(Participant remote) =>
        Page.GetByRole(AriaRole.Button, new() { Name = $"Mute {remote.Name}", Exact = true });

    public ILocator MessageBox => Page.GetByRole(AriaRole.Textbox, new() { Name = "Message", Exact = true });

    public ILocator SendButton => Page.GetByRole(AriaRole.Button, new() { Name = "Send", Exact = true });

    public ILocator ChatLog => Page.Locator("[aria-label=\"Chat\"]");

    public async Task ClickAsync(ILocator control, string what)
    {
        Log($"click {what}");
        await control.ClickAsync();
    }

    public async Task SelectInputModeAsync(string label)
    {
        Log($"input mode {label}");
        await InputMode.SelectOptionAsync(new SelectOptionValue { Label = label });
        // Leave the select: push to talk ignores keys typed into form fields.
        await Page.EvaluateAsync("() => document.activeElement?.blur()");
    }

    public async Task SetVolumeAsync(Participant remote, int percent)
    {
        Log($"volume for {remote.Name} {percent} %");
        await VolumeFor(remote).FillAsync(percent.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    public async Task SendChatAsync(string text)
    {
        Log($"send chat {text}");
        await MessageBox.FillAsync(text);
        await SendButton.ClickAsync();
    }

    /// <summary>Polls until every one of <paramref name="remotes"/> is silent in what this participant plays.</summary>
    public Task<IReadOnlyDictionary<string, ProbeResult>> WaitForSilenceFromAsync(params Participant[] remotes) =>
        WaitForAudioAsync(remotes, r => remotes.All(p => r[p.Name] is { Found: true } x && x.RmsDb <= SilentDb),
            "hear nothing from " + string.Join(", ", remotes.Select(p => p.Name)));
}
