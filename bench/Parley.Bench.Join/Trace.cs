using System.Globalization;
using System.Text.Json;

namespace Parley.Bench.Join;

/// <summary>One timestamped step of a run, in ms since the epoch (<c>performance.timeOrigin + now()</c>).</summary>
public sealed record Mark(double T, string Name);

/// <summary>The steps of one run, from the pages' <c>__bench.marks</c>, each named by who saw it.</summary>
public sealed class Trace
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly List<Mark> marks = [];

    public IReadOnlyList<Mark> Marks => marks;

    public void Add(string who, string marksJson)
    {
        foreach (var mark in JsonSerializer.Deserialize<List<Mark>>(marksJson, Json) ?? [])
        {
            marks.Add(mark with { Name = $"{who}: {mark.Name}" });
        }

        marks.Sort((a, b) => a.T.CompareTo(b.T));
    }

    /// <summary>First occurrence of each step, in ms after <paramref name="start"/>.</summary>
    public Dictionary<string, double> FirstTimes(double start)
    {
        var first = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var mark in marks)
        {
            first.TryAdd(mark.Name, mark.T - start);
        }

        return first;
    }

    public string Format(double start) => string.Join(Environment.NewLine,
        marks.Select(m => string.Create(CultureInfo.InvariantCulture, $"  {m.T - start,8:F1} ms  {m.Name}")));
}
