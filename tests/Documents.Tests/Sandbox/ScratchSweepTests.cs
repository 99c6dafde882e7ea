using Confide.Documents.Sandbox;

namespace Confide.Documents.Tests.Sandbox;

/// <summary>The scratch sweep at start removes what a stopped app left, never a job another instance sharing the data directory is still running.</summary>
public sealed class ScratchSweepTests
{
    [Fact]
    public void Sweep_RemovesOnlyEntriesOlderThanAChildCanLive()
    {
        using var dir = new TempDir();
        var root = Path.Combine(dir.Path, "scratch");
        var now = TimeProvider.System.GetUtcNow().UtcDateTime;
        var stale = Directory.CreateDirectory(Path.Combine(root, "job-stale"));
        File.WriteAllText(Path.Combine(stale.FullName, "in.pdf"), "x");
        stale.LastWriteTimeUtc = now.AddMinutes(-30);
        var staleFile = Path.Combine(root, "left.tmp");
        File.WriteAllText(staleFile, "x");
        File.SetLastWriteTimeUtc(staleFile, now.AddMinutes(-30));
        var live = Directory.CreateDirectory(Path.Combine(root, "job-live")); // another instance's child, started a moment ago

        var swept = PdfChildProcess.Sweep(root, TimeSpan.FromMinutes(6), now);

        Assert.Equal(2, swept);
        Assert.False(stale.Exists || Directory.Exists(stale.FullName));
        Assert.False(File.Exists(staleFile));
        Assert.True(Directory.Exists(live.FullName));
    }
}
