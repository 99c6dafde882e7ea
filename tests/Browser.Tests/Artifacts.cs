namespace Confide.Browser.Tests;

/// <summary>Where screenshots go: test-artifacts/browser/ at the repository root (git-ignored).</summary>
internal static class Artifacts
{
    /// <summary>The directory, emptied of the PNGs of an earlier run of <paramref name="prefix"/> (they would pass for this run's).</summary>
    public static DirectoryInfo Browser(string prefix)
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Confide.slnx")))
        {
            root = root.Parent;
        }
        if (root is null)
        {
            throw new InvalidOperationException($"no Confide.slnx above {AppContext.BaseDirectory}");
        }
        var dir = Directory.CreateDirectory(Path.Combine(root.FullName, "test-artifacts", "browser"));
        foreach (var old in dir.EnumerateFiles($"{prefix}-*.png"))
        {
            old.Delete();
        }
        return dir;
    }
}
