namespace Confide.Documents.Tests;

/// <summary>Finds the repository root (where the test artifacts go).</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Artifacts => Path.Combine(Root, "test-artifacts", "documents");

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Confide.slnx")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("Confide.slnx not found above " + AppContext.BaseDirectory);
    }
}
