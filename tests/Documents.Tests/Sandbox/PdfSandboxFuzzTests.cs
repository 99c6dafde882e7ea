using System.Diagnostics;
using System.Globalization;
using Confide.Documents.Sandbox;

namespace Confide.Documents.Tests.Sandbox;

/// <summary>
/// Fuzzes the pre-scan and the child process boundary with byte-mutated hostile and ordinary PDFs
/// (flipped bytes, inserted brackets, cut tails): the scan in this process always returns, and the
/// child always answers with a report or one <see cref="PdfNotSafeException"/>, never anything else,
/// leaving no job directory. A short seeded run in the suite; <c>scripts/fuzz.sh</c> runs it for
/// <c>CONFIDE_FUZZ_SECONDS</c> (seed in <c>CONFIDE_FUZZ_SEED</c>).
/// </summary>
public sealed class PdfSandboxFuzzTests : IDisposable
{
    private readonly TempDir _scratch = new();

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public async Task MutatedPdfs_ScanAlwaysReturns_ChildAlwaysAnswersOrFailsAsNotSafe()
    {
        var seconds = Environment.GetEnvironmentVariable("CONFIDE_FUZZ_SECONDS") is { Length: > 0 } s ? double.Parse(s, CultureInfo.InvariantCulture) : 0;
        var seed = Environment.GetEnvironmentVariable("CONFIDE_FUZZ_SEED") is { Length: > 0 } given
            ? int.Parse(given, CultureInfo.InvariantCulture)
            : seconds > 0 ? Environment.TickCount : 11;
        var random = new Random(seed);
        var limits = new PdfLimits { Timeout = TimeSpan.FromSeconds(20), MaxDecompressedBytes = 64L * 1024 * 1024 };
        var child = new PdfChildProcess(limits, Path.Combine(_scratch.Path, "scratch"));
        byte[][] seeds = [HostilePdfs.NestedArrays(300), HostilePdfs.PageTree(3, 5), HostilePdfs.ActiveContent("Visible", "Hidden"), HostilePdfs.ZipBomb(0)];
        var clock = Stopwatch.StartNew();
        var (read, refused) = (0, 0);
        for (var i = 0; seconds > 0 ? clock.Elapsed.TotalSeconds < seconds : i < 6; i++)
        {
            var bytes = Mutate(seeds[random.Next(seeds.Length)], random);
            var what = $"iteration {i} of seed {seed} (CONFIDE_FUZZ_SEED={seed}), {bytes.Length} bytes";
            var scan = PdfScanner.Scan(bytes, limits);
            Assert.True(scan.Objects >= 0 && scan.Depth >= 0, what);
            try
            {
                var report = await child.ScanAsync(bytes, TestContext.Current.CancellationToken);
                Assert.True(report.Scan.Passed, what);
                read++;
            }
            catch (PdfNotSafeException)
            {
                refused++;
            }
            Assert.True(!Directory.EnumerateFileSystemEntries(child.ScratchRoot).Any(), $"a job directory was left: {what}");
        }
        if (seconds > 0)
        {
            Console.WriteLine($"fuzz pdf sandbox: {read + refused} files ({read} read, {refused} not safe) in {clock.Elapsed.TotalSeconds:F0} s, seed {seed}, no failure");
        }
    }

    private static byte[] Mutate(byte[] seed, Random random)
    {
        var bytes = new List<byte>(seed);
        for (var n = random.Next(1, 8); n > 0; n--)
        {
            var at = random.Next(bytes.Count);
            switch (random.Next(4))
            {
                case 0:
                    bytes[at] = (byte)random.Next(256);
                    break;
                case 1:
                    bytes.InsertRange(at, Enumerable.Repeat((byte)"[<(/"[random.Next(4)], random.Next(1, 200)));
                    break;
                case 2:
                    bytes.RemoveRange(at, Math.Min(bytes.Count - at, random.Next(1, 64)));
                    break;
                default:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
            }
            if (bytes.Count == 0)
            {
                bytes.AddRange("%PDF-"u8.ToArray());
            }
        }
        return [.. bytes];
    }
}
