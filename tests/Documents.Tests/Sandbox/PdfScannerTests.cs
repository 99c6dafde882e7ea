using System.Text;
using Confide.Documents.Sandbox;
using CsCheck;

namespace Confide.Documents.Tests.Sandbox;

/// <summary>The pre-scan's caps, each at and past its limit, on generated files; and random bytes never break it.</summary>
public sealed class PdfScannerTests
{
    private static readonly PdfLimits Defaults = new();

    [Fact]
    public void NestedArrayBomb_IsRefusedForNesting_WithoutOverflowingTheStack()
    {
        var result = PdfScanner.Scan(HostilePdfs.NestedArrays(20_000), Defaults);
        Assert.Equal("nesting", result.Refusal);
        Assert.Equal(Defaults.MaxNesting + 1, result.Depth);
        // Raised far past the bomb, the iterative scan still finishes and sees the whole depth.
        var raised = PdfScanner.Scan(HostilePdfs.NestedArrays(20_000), Defaults with { MaxNesting = 1_000_000 });
        Assert.True(raised.Passed, raised.Detail);
        Assert.Equal(20_001, raised.Depth); // the page dictionary, then 20,000 arrays
    }

    [Fact]
    public void PageTreeBomb_65536PagesFrom1600Bytes_IsRefusedForPages()
    {
        var bomb = HostilePdfs.PageTree(8, 4);
        Assert.True(bomb.Length < 2_000, $"{bomb.Length} bytes");
        var result = PdfScanner.Scan(bomb, Defaults);
        Assert.Equal("pages", result.Refusal);
        Assert.Equal(65_536, PdfScanner.Scan(bomb, Defaults with { MaxPages = 100_000 }).Pages);
    }

    [Fact]
    public void ZipBomb_IsRefusedForDecompressedSize_AtTheCap()
    {
        var bomb = HostilePdfs.ZipBomb(1);
        var result = PdfScanner.Scan(bomb, Defaults with { MaxDecompressedBytes = 64L * 1024 * 1024 });
        Assert.Equal("decompressed", result.Refusal);
        Assert.InRange(result.Decompressed, 64L * 1024 * 1024 + 1, 65L * 1024 * 1024);
        var enough = PdfScanner.Scan(bomb, Defaults with { MaxDecompressedBytes = 2L * 1024 * 1024 * 1024 });
        Assert.True(enough.Passed);
        Assert.Equal(1L << 30, enough.Decompressed);
    }

    [Fact]
    public void PageTreeThatLoops_IsRefused()
    {
        var loop = HostilePdfs.Build(["<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>", "<< /Type /Pages /Kids [2 0 R] /Count 1 >>"]);
        Assert.Equal("page-tree-loop", PdfScanner.Scan(loop, Defaults).Refusal);
        var inner = HostilePdfs.Build(["<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>", "<< /Type /Pages /Kids [4 0 R] /Count 1 >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>"]);
        Assert.Equal("page-tree-loop", PdfScanner.Scan(inner, Defaults).Refusal);
    }

    [Fact]
    public void ObjectsPastTheCap_AreRefused_AndAnOrdinaryFilePasses()
    {
        var many = HostilePdfs.Build([.. Enumerable.Range(0, 50).Select(i => $"<< /N {i} >>")]);
        Assert.Equal("objects", PdfScanner.Scan(many, Defaults with { MaxObjects = 49 }).Refusal);
        Assert.True(PdfScanner.Scan(many, Defaults with { MaxObjects = 50 }).Passed);
        var ordinary = HostilePdfs.ActiveContent("Visible", "Hidden");
        var scan = PdfScanner.Scan(ordinary, Defaults);
        Assert.True(scan.Passed, scan.Detail);
        Assert.Equal(1, scan.Pages);
    }

    [Fact]
    public void ANestingBombInsideACompressedObjectStream_IsFoundToo()
    {
        var inner = Encoding.ASCII.GetBytes($"5 0 {new string('[', 500)}{new string(']', 500)}");
        var header = Encoding.ASCII.GetBytes("5 0 ");
        using var compressed = new MemoryStream();
        using (var z = new System.IO.Compression.ZLibStream(compressed, System.IO.Compression.CompressionLevel.Optimal, leaveOpen: true))
        {
            z.Write(inner);
        }
        var pdf = HostilePdfs.Build(
            ["<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>", "<< /Type /Page /Parent 2 0 R >>", null],
            (4, compressed.ToArray(), $"/Type /ObjStm /N 1 /First {header.Length} /Filter /FlateDecode")
        );
        var result = PdfScanner.Scan(pdf, Defaults);
        Assert.Equal("nesting", result.Refusal);
        Assert.True(PdfScanner.Scan(pdf, Defaults with { MaxNesting = 600 }).Passed);
    }

    [Fact]
    public void Property_NestingIsRefusedExactlyPastTheCap()
    {
        Gen.Select(Gen.Int[1, 400], Gen.Int[1, 400]).Sample(
            (depth, cap) =>
            {
                var pdf = HostilePdfs.NestedArrays(depth);
                var result = PdfScanner.Scan(pdf, Defaults with { MaxNesting = cap });
                // the page dictionary is one level, its arrays the rest
                return (result.Refusal == "nesting") == (depth + 1 > cap);
            },
            iter: 200
        );
    }

    [Fact]
    public void Property_PagesAreTheExpandedTree_RefusedExactlyPastTheCap()
    {
        Gen.Select(Gen.Int[1, 6], Gen.Int[1, 5], Gen.Int[1, 5_000]).Sample(
            (levels, fanout, cap) =>
            {
                var pages = (long)Math.Pow(fanout, levels);
                var result = PdfScanner.Scan(HostilePdfs.PageTree(levels, fanout), Defaults with { MaxPages = cap });
                return (result.Refusal == "pages") == (pages > cap) && (result.Refusal is not null || result.Pages == pages);
            },
            iter: 300
        );
    }

    [Fact]
    public void Property_AnyBytes_FinishWithAResultAndNeverThrow()
    {
        var seeds = new[] { HostilePdfs.PageTree(3, 3), HostilePdfs.ActiveContent("a", "b"), HostilePdfs.NestedArrays(50) };
        Gen.Select(Gen.Int[0, seeds.Length - 1], Gen.Byte.Array[0, 64], Gen.Int[0, 4000], Gen.Int[0, 200]).Sample(
            (which, noise, at, cut) =>
            {
                var seed = seeds[which];
                var bytes = seed.ToArray();
                var start = Math.Min(at, bytes.Length);
                noise.AsSpan(0, Math.Min(noise.Length, bytes.Length - start)).CopyTo(bytes.AsSpan(start));
                var result = PdfScanner.Scan(bytes[..Math.Max(0, bytes.Length - cut)], Defaults with { MaxNesting = 20 });
                return result.Depth >= 0 && result.Objects >= 0;
            },
            iter: 2_000
        );
    }
}
