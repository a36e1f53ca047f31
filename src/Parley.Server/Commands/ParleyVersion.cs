using System.Reflection;

namespace Parley.Server.Commands;

/// <summary>The version <c>parley --version</c> prints: the assembly's informational version (Version in Parley.Server.csproj, and the commit).</summary>
internal static class ParleyVersion
{
    public static string Text { get; } =
        typeof(ParleyVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
}
