namespace Confide.Core.Tests;

/// <summary>Finds the repository root and the shared folder beside it.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary><c>../shared</c> from the repository root: the project's shared specs and cases.</summary>
    public static string Shared => Path.GetFullPath(Path.Combine(Root, "..", "shared"));

    public static string SharedCases => Path.Combine(Shared, "cases");

    public static string OwnCases => Path.Combine(Root, "tests", "Core.Tests", "Cases");

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
