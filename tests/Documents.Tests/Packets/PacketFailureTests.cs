using Confide.Core.Disclosure;
using Confide.Core.Requests;
using Confide.Core.Triage;
using Confide.Documents.Packets;

namespace Confide.Documents.Tests.Packets;

/// <summary>A packet that cannot be built leaves no file behind and says why.</summary>
public sealed class PacketFailureTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("confide-packet-fail-").FullName;

    private static readonly CategorySet Disclose = CategorySet.Of(Category.ProgressNotes, Category.Correspondence);

    [Fact]
    public void MissingPdftoppm_ClearError_NoFile()
    {
        var pdf = PacketFixture.Pdf(["one", "two"]);
        var request = PacketFixture.Request(
            [
                PacketFixture.Typed("note-1", Category.ProgressNotes, new DateOnly(2026, 2, 1), "Note", "text"),
                new AttachmentItem("pdf", Category.Correspondence, new DateOnly(2026, 2, 2), "Letter", null, () => new MemoryStream(pdf), AttachmentMode.Include, null, [new PageRegion(1, 10, 10, 50, 50)]),
            ],
            Disclose,
            null
        );
        var builder = new PacketBuilder(new PacketOptions { PdftoppmPath = "/nonexistent/poppler/pdftoppm" });
        var error = Assert.Throws<PdftoppmNotFoundException>(() => PacketFiles.Write(builder, request, Path.Combine(_dir, "packet.pdf"), cancellationToken: TestContext.Current.CancellationToken));
        Assert.Contains("pdftoppm", error.Message, StringComparison.Ordinal);
        Assert.Contains("/nonexistent/poppler/pdftoppm", error.Message, StringComparison.Ordinal);
        Assert.Contains("poppler-utils", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(_dir));

        // on PATH too: a name that is not there
        var byName = new PacketBuilder(new PacketOptions { PdftoppmPath = "pdftoppm-not-installed-here" });
        Assert.Throws<PdftoppmNotFoundException>(() => byName.Build(request, Stream.Null, cancellationToken: TestContext.Current.CancellationToken));
    }

    [Fact]
    public void ItemOutsideScope_Refused_NoFile()
    {
        var request = PacketFixture.Request(
            [PacketFixture.Typed("note-1", Category.ProgressNotes, new DateOnly(2026, 2, 1), "Note", "text"), PacketFixture.Typed("pn-1", Category.PsychotherapyNotes, new DateOnly(2026, 2, 1), "Process note", "private")],
            Disclose,
            null
        );
        var error = Assert.Throws<ArgumentException>(() => PacketFiles.Write(new PacketBuilder(), request, Path.Combine(_dir, "packet.pdf"), cancellationToken: TestContext.Current.CancellationToken));
        Assert.Contains("pn-1", error.Message, StringComparison.Ordinal);
        Assert.Contains("psychotherapy-notes", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(_dir));

        var outOfRange = PacketFixture.Request(
            [PacketFixture.Typed("note-1", Category.ProgressNotes, new DateOnly(2025, 2, 1), "Note", "text")],
            Disclose,
            new DateRange(new DateOnly(2026, 1, 1), null)
        );
        Assert.Throws<ArgumentException>(() => new PacketBuilder().Build(outOfRange, Stream.Null, cancellationToken: TestContext.Current.CancellationToken));
    }

    [Fact]
    public void BadRedactions_AndNonDisclosingBasis_Refused()
    {
        var span = PacketFixture.Request([PacketFixture.Typed("note-1", Category.ProgressNotes, new DateOnly(2026, 2, 1), "Note", "short", new TextSpan(3, 10))], Disclose, null);
        Assert.Throws<ArgumentException>(() => new PacketBuilder().Build(span, Stream.Null, cancellationToken: TestContext.Current.CancellationToken));

        var basis = PacketFixture.Request([PacketFixture.Typed("note-1", Category.ProgressNotes, new DateOnly(2026, 2, 1), "Note", "short")], Disclose, null) with { Basis = Outcome.AssertPrivilege };
        Assert.Throws<ArgumentException>(() => new PacketBuilder().Build(basis, Stream.Null, cancellationToken: TestContext.Current.CancellationToken));

        var pdf = PacketFixture.Pdf(["one"]);
        var page = PacketFixture.Request(
            [new AttachmentItem("pdf", Category.Correspondence, null, "Letter", null, () => new MemoryStream(pdf), AttachmentMode.Include, new HashSet<int> { 3 })],
            Disclose,
            null
        );
        Assert.Throws<ArgumentException>(() => PacketFiles.Write(new PacketBuilder(), page, Path.Combine(_dir, "p.pdf"), cancellationToken: TestContext.Current.CancellationToken));
        Assert.Empty(Directory.GetFileSystemEntries(_dir));
    }

    [Fact]
    public void BatesPrefix_Configurable()
    {
        var request = PacketFixture.Request([PacketFixture.Typed("note-1", Category.ProgressNotes, new DateOnly(2026, 2, 1), "Note", "text")], Disclose, null);
        using var output = new MemoryStream();
        var result = new PacketBuilder(new PacketOptions { BatesPrefix = "HC-", BatesStart = 41, BatesDigits = 4 }).Build(request, output, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal("HC-0041", result.BatesFirst);
        Assert.Equal("HC-0042", result.BatesLast);
        var text = LeakScan.ExtractedText(output.ToArray());
        Assert.Contains("HC-0041", text, StringComparison.Ordinal);
        Assert.Contains("HC-0042", text, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
            // a temp directory: best effort
        }
    }
}
