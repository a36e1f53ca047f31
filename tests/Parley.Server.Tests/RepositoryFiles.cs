namespace Parley.Server.Tests;

/// <summary>Files of the repository the tests read (the docs, the packaging): found above the test binaries.</summary>
internal static class RepositoryFiles
{
    /// <summary>The directory holding Parley.slnx.</summary>
    public static string Root { get; } = FindRoot();

    public static string PathOf(string relativePath) => Path.Combine(Root, relativePath);

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Parley.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Parley.slnx not found above " + AppContext.BaseDirectory);
    }
}
