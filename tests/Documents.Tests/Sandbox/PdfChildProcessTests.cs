using System.Diagnostics;
using Confide.Core.Requests;
using Confide.Core.Triage;
using Confide.Documents.Packets;
using Confide.Documents.Sandbox;

namespace Confide.Documents.Tests.Sandbox;

/// <summary>
/// The child process boundary for real: hostile files scanned and built in the worker, the worker
/// crashing (a stack overflow), running out of time and out of memory, each one failure of its own
/// kind while this process carries on; the job directories are private and gone afterwards.
/// </summary>
public sealed class PdfChildProcessTests : IDisposable
{
    private readonly TempDir _scratch = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private PdfChildProcess Child(PdfLimits? limits = null) => new(limits ?? new PdfLimits { Timeout = TimeSpan.FromSeconds(60) }, Path.Combine(_scratch.Path, "scratch"));

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public async Task Scan_AnOrdinaryFile_CountsItsPages_AndLeavesNoJobDirectory()
    {
        var child = Child();
        var report = await child.ScanAsync(HostilePdfs.PageTree(2, 3), Ct);
        Assert.True(report.Scan.Passed);
        Assert.Equal(9, report.Pages);
        Assert.Empty(Directory.EnumerateFileSystemEntries(child.ScratchRoot));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(child.ScratchRoot));
        }
    }

    [Fact]
    public async Task Scan_Bombs_AreRefused_EachByItsCap()
    {
        var child = Child();
        Assert.Equal("refused-nesting", (await Assert.ThrowsAsync<PdfNotSafeException>(() => child.ScanAsync(HostilePdfs.NestedArrays(), Ct))).Reason);
        Assert.Equal("refused-pages", (await Assert.ThrowsAsync<PdfNotSafeException>(() => child.ScanAsync(HostilePdfs.PageTree(), Ct))).Reason);
        var zip = await Assert.ThrowsAsync<PdfNotSafeException>(() => Child(new PdfLimits { MaxDecompressedBytes = 100L * 1024 * 1024 }).ScanAsync(HostilePdfs.ZipBomb(1), Ct));
        Assert.Equal("refused-decompressed", zip.Reason);
        Assert.StartsWith("this PDF could not be read safely", zip.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scan_ATruncatedFile_PassesTheCaps_ButHasNoPageCount()
    {
        var whole = HostilePdfs.ActiveContent("Visible", "Hidden");
        var report = await Child().ScanAsync(HostilePdfs.Truncated(whole), Ct);
        Assert.True(report.Scan.Passed);
        Assert.Null(report.Pages); // PDFsharp cannot open it (it throws a plain Exception, caught in the child)
        Assert.Equal(1, (await Child().ScanAsync(whole, Ct)).Pages);
    }

    [Fact]
    public async Task Scan_AFileThatIsNoPdfInside_PassesWithoutAPageCount()
    {
        var report = await Child().ScanAsync("%PDF-1.4\n% only a comment\n%%EOF\n"u8.ToArray(), Ct);
        Assert.True(report.Scan.Passed);
        Assert.Null(report.Pages);
    }

    [Fact]
    public async Task Scan_WithTheNestingCapRaised_TheParserOverflowsItsStack_InTheChild_AndThisProcessCarriesOn()
    {
        var child = Child(new PdfLimits { MaxNesting = 1_000_000, Timeout = TimeSpan.FromSeconds(60) });
        var failure = await Assert.ThrowsAsync<PdfNotSafeException>(() => child.ScanAsync(HostilePdfs.NestedArrays(), Ct));
        Assert.Equal("crashed", failure.Reason);
        Assert.Contains("signal 6", failure.Detail, StringComparison.Ordinal); // SIGABRT: the runtime's answer to a stack overflow
        Assert.Empty(Directory.EnumerateFileSystemEntries(child.ScratchRoot));
        Assert.Equal(2, (await child.ScanAsync(HostilePdfs.PageTree(1, 2), Ct)).Pages); // the next file is read as usual
    }

    [Fact]
    public async Task Build_PastTheTimeout_IsKilled_AndFailsAsTimeout()
    {
        var child = Child(new PdfLimits { Timeout = TimeSpan.FromMilliseconds(1500), MaxPages = 10_000_000 });
        var watch = Stopwatch.StartNew();
        var failure = await Assert.ThrowsAsync<PdfNotSafeException>(() => child.BuildAsync(Request(HostilePdfs.PageTree(10, 4)), new PacketOptions(), null, Ct));
        Assert.Equal("timeout", failure.Reason);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), $"took {watch.Elapsed}");
        Assert.Empty(Directory.EnumerateFileSystemEntries(child.ScratchRoot));
    }

    [Fact]
    public async Task Build_PastTheMemoryLimit_FailsAsMemory()
    {
        var child = Child(new PdfLimits { MemoryMegabytes = 64, MaxPages = 10_000_000, Timeout = TimeSpan.FromMinutes(3) });
        var failure = await Assert.ThrowsAsync<PdfNotSafeException>(() => child.BuildAsync(Request(HostilePdfs.PageTree(10, 4)), new PacketOptions(), null, Ct));
        Assert.Equal("memory", failure.Reason);
    }

    [Fact]
    public async Task Build_AnOrdinaryRequest_CrossesTheBoundary_WithProgress_AndDropsActiveContent()
    {
        var progress = new List<PacketProgress>();
        var (result, pdf) = await Child().BuildAsync(Request(HostilePdfs.ActiveContent("VisibleWordKept", "ZqxHiddenActive77")), new PacketOptions(), new Sink(progress), Ct);
        Assert.Equal(2, result.PageCount); // the cover sheet and the page
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(pdf)), result.Sha256);
        Assert.Equal(100, progress[^1].Percent);
        Assert.Contains("VisibleWordKept", LeakScan.ExtractedText(pdf), StringComparison.Ordinal);
        Assert.Empty(LeakScan.Find(pdf, ["ZqxHiddenActive77", "JavaScript", "EmbeddedFile"]));
    }

    [Fact]
    public async Task Build_WithheldPagesAndRegions_CrossTheBoundary_AsTheBuilderTakesThem()
    {
        var request = Request(HostilePdfs.PageTree(1, 3));
        var redacting = request with
        {
            Items = [((AttachmentItem)request.Items[0]) with { WithheldPages = new HashSet<int> { 3 }, Regions = [new PageRegion(2, 10, 10, 100, 50)] }],
        };
        var (result, pdf) = await Child().BuildAsync(redacting, new PacketOptions(), null, Ct);
        var item = Assert.Single(result.Manifest.Items);
        Assert.Equal(("pdf", 3), (item.Mode, item.Pages));
        Assert.Equal([3], item.WithheldPages);
        Assert.Equal([2], item.BlackedOutPages);
        Assert.Equal(4, result.PageCount);
        Assert.Equal(result.Sha256, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(pdf)));
    }

    [Fact]
    public async Task Build_AHostileAttachment_IsRefusedBeforeAnyParserSeesIt_NamingTheItem()
    {
        var failure = await Assert.ThrowsAsync<PdfNotSafeException>(() => Child().BuildAsync(Request(HostilePdfs.NestedArrays()), new PacketOptions(), null, Ct));
        Assert.Equal("refused-nesting", failure.Reason);
        Assert.Contains("'scan'", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Build_ErrorsOfTheBuilder_CrossAsTheirOwnTypes()
    {
        await Assert.ThrowsAsync<InvalidDataException>(() => Child().BuildAsync(Request("%PDF-1.4 not a PDF"u8.ToArray()), new PacketOptions(), null, Ct));
        var excluded = Request(HostilePdfs.NestedArrays()) is var r ? r with { Items = [((AttachmentItem)r.Items[0]) with { Mode = AttachmentMode.Exclude }, new TypedItem("t", Category.Billing, null, "Invoice", null, "text", [])] } : null!;
        var (result, _) = await Child().BuildAsync(excluded, new PacketOptions(), null, Ct); // an excluded file is never opened, so never scanned
        Assert.Equal(2, result.PageCount);
        await Assert.ThrowsAsync<ArgumentException>(() => Child().BuildAsync(excluded with { Basis = Outcome.AssertPrivilege }, new PacketOptions(), null, Ct));
    }

    private static PacketRequest Request(byte[] pdf) =>
        new()
        {
            Practice = "Practice",
            DisclosedBy = "Clinician",
            Recipient = "Court",
            Basis = Outcome.ComplyWithOrder,
            BasisText = "Order",
            Disclose = CategorySet.Empty.With(Category.Billing),
            DisclosedOn = new DateOnly(2026, 6, 1),
            Items = [new AttachmentItem("scan", Category.Billing, null, "Scan", null, () => new MemoryStream(pdf), AttachmentMode.Include)],
        };

    private sealed class Sink(List<PacketProgress> seen) : IProgress<PacketProgress>
    {
        public void Report(PacketProgress value) => seen.Add(value);
    }
}
