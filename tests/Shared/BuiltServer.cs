namespace Parley.Tests.Shared;

/// <summary>
/// A build of Parley.Server that test.sh made besides the one under test (the arm64 build, the native AOT binary),
/// found through the environment variable test.sh sets; tests that need one are skipped, and counted so, without it.
/// </summary>
internal static class BuiltServer
{
    /// <summary>The executable named by <paramref name="variable"/>, if it exists.</summary>
    public static string? Find(string variable) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 } path && File.Exists(path) ? path : null;
}
