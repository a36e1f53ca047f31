using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;

namespace Parley.Browser.Tests.Infrastructure;

/// <summary>
/// WAV files generated with sox for Chromium's fake microphone (<c>--use-file-for-fake-audio-capture</c>):
/// one pure tone per participant so a listener can tell who it hears by frequency. Chromium loops the file.
/// </summary>
public sealed class ToneFiles : IDisposable
{
    private ToneFiles(string directory) => Directory = directory;

    /// <summary>Temporary directory holding the files; deleted on dispose.</summary>
    public string Directory { get; }

    public string Tone(int hertz) => Path.Combine(Directory, string.Create(CultureInfo.InvariantCulture, $"tone{hertz}.wav"));

    public static async Task<ToneFiles> CreateAsync(IEnumerable<int> frequencies)
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("parley-tones-").FullName;
        var files = new ToneFiles(directory);
        try
        {
            var jobs = frequencies
                .Select(hz => SoxAsync(files.Tone(hz), "synth", "30", "sine", hz.ToString(CultureInfo.InvariantCulture), "vol", "0.5"));
            await Task.WhenAll(jobs);
            return files;
        }
        catch
        {
            files.Dispose();
            throw;
        }
    }

    /// <summary>
    /// <paramref name="silentSeconds"/> of digital silence, then <paramref name="toneSeconds"/> of <paramref name="hertz"/>:
    /// looped by Chromium, a microphone that is silent, then "talks", and so on.
    /// </summary>
    public async Task<string> SilenceThenToneAsync(int hertz, int silentSeconds, int toneSeconds)
    {
        var file = Path.Combine(Directory, string.Create(CultureInfo.InvariantCulture, $"silence{silentSeconds}-tone{hertz}.wav"));
        if (!File.Exists(file))
        {
            await SoxAsync(file, "synth", toneSeconds.ToString(CultureInfo.InvariantCulture), "sine",
                hertz.ToString(CultureInfo.InvariantCulture), "vol", "0.5", "pad", silentSeconds.ToString(CultureInfo.InvariantCulture), "0");
        }

        return file;
    }

    // sox -n -r 48000 -c 1 -b 16 OUT synth 30 sine HZ vol 0.5: 30 s of a pure tone at -6 dBFS peak, 48 kHz mono.
    private static async Task SoxAsync(string output, params string[] effects)
    {
        var start = new ProcessStartInfo("sox") { RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in (string[])["-n", "-r", "48000", "-c", "1", "-b", "16", output, .. effects])
        {
            start.ArgumentList.Add(argument);
        }

        Process? started;
        try
        {
            started = Process.Start(start);
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException("sox is needed to make the fake microphone tones: apt-get install -y sox", e);
        }

        using var sox = started ?? throw new InvalidOperationException("Could not start sox.");
        var errors = await sox.StandardError.ReadToEndAsync();
        await sox.WaitForExitAsync();
        if (sox.ExitCode != 0 || !File.Exists(output))
        {
            throw new InvalidOperationException($"sox failed for {output} (exit {sox.ExitCode}): {errors}");
        }
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A browser may still hold a file open; the temp directory is cleaned up by the OS eventually.
        }
    }
}
