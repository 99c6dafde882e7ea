namespace Confide.Browser.Tests;

/// <summary>Where screenshots go: test-artifacts/browser/ at the repository root (git-ignored).</summary>
internal static class Artifacts
{
    /// <summary>The directory, emptied of the PNGs of an earlier run of <paramref name="prefix"/> (they would pass for this run's).</summary>
    public static DirectoryInfo Browser(string prefix)
    {
        var dir = RepoPaths.Artifacts("browser");
        foreach (var old in dir.EnumerateFiles($"{prefix}-*.png"))
        {
            old.Delete();
        }
        return dir;
    }
}
