namespace Confide.TestInputs;

/// <summary>The repository's root (the directory holding Confide.slnx above the test assembly) and the test artifacts under it.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary><c>../shared</c> from the root: the project's shared spec and cases.</summary>
    public static string Shared => Path.GetFullPath(Path.Combine(Root, "..", "shared"));

    /// <summary>The shared scenario cases.</summary>
    public static string SharedCases => Path.Combine(Shared, "cases");

    /// <summary>Our own scenario cases, beside the Core tests.</summary>
    public static string OwnCases => Path.Combine(Root, "tests", "Core.Tests", "Cases");

    /// <summary><c>test-artifacts/<paramref name="kind"/></c> at the root (git-ignored), created when missing.</summary>
    public static DirectoryInfo Artifacts(string kind) => Directory.CreateDirectory(Path.Combine(Root, "test-artifacts", kind));

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
