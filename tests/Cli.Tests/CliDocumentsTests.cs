using Confide.Documents;
using Microsoft.Extensions.Time.Testing;

namespace Confide.Cli.Tests;

/// <summary><c>confide triage --documents DIR</c>, run in-process.</summary>
public sealed class CliDocumentsTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("confide-docs-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string RequestFile(string scenario, bool withDetails = true)
    {
        var path = Path.Combine(_root, scenario + ".json");
        File.WriteAllText(path, Scenarios.Json(scenario, withDetails));
        return path;
    }

    private static CliResult Run(params string[] args) => CliRunner.Run(args, time: new FakeTimeProvider(new DateTimeOffset(2026, 11, 29, 0, 0, 0, TimeSpan.Zero)));

    [Theory]
    [InlineData("ca-subpoena", "assert-privilege")]
    [InlineData("ca-wants-disclosure", "obtain-authorization")]
    [InlineData("ca-part2-order", "comply-with-order")]
    [InlineData("ca-client-access", "access-response-letter")]
    public void Documents_WritesEveryListedKind_AndStillPrintsTheDetermination(string scenario, string expected)
    {
        var dir = Path.Combine(_root, "out", "nested");
        var (exit, stdout, stderr) = Run("triage", "--format", "json", "--documents", dir, RequestFile(scenario));

        Assert.True(exit == 0, stderr);
        Assert.Contains(expected, stdout, StringComparison.Ordinal);
        var kinds = Scenarios.All[scenario].Kinds.Select(Core.Wire<Core.Triage.DocumentKind>.Name).ToArray();
        var expectedFiles = kinds.SelectMany(k => new[] { k + ".pdf", k + ".docx" }).Order(StringComparer.Ordinal);
        Assert.Equal(expectedFiles, Directory.GetFiles(dir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        foreach (var kind in kinds)
        {
            var pdf = ReadBack.Pdf(File.ReadAllBytes(Path.Combine(dir, kind + ".pdf")));
            Assert.All(pdf.Pages, p => Assert.Equal(612, p.Width, 0.5));
            Assert.Contains(Scenarios.PracticeName, pdf.Text, StringComparison.Ordinal);
            Assert.Contains(Scenarios.PracticeName, ReadBack.Docx(File.ReadAllBytes(Path.Combine(dir, kind + ".docx"))), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Documents_PaperA4_WritesA4Pages()
    {
        var dir = Path.Combine(_root, "a4");
        var (exit, stdout, stderr) = Run("triage", "--documents", dir, "--paper", "a4", RequestFile("ca-child-abuse"));

        Assert.True(exit == 0, stderr);
        Assert.StartsWith("Outcome: mandated-report", stdout, StringComparison.Ordinal);
        var pdf = ReadBack.Pdf(File.ReadAllBytes(Path.Combine(dir, "mandated-report-worksheet.pdf")));
        Assert.All(pdf.Pages, p => Assert.Equal((595, 842), (Math.Round(p.Width), Math.Round(p.Height))));
        Assert.Equal((11906u, 16838u), ReadBack.DocxPageSize(File.ReadAllBytes(Path.Combine(dir, "mandated-report-worksheet.docx"))));
    }

    [Fact]
    public void Documents_WithoutDetails_FillsMarkedBlanks()
    {
        var dir = Path.Combine(_root, "blank");
        var (exit, _, stderr) = Run("triage", "--documents", dir, RequestFile("family-letter", withDetails: false));

        Assert.True(exit == 0, stderr);
        var text = ReadBack.Docx(File.ReadAllBytes(Path.Combine(dir, "confidentiality-response-letter.docx")));
        Assert.Contains(DocumentComposer.BlankLine + " (recipient's name)", text, StringComparison.Ordinal);
        Assert.DoesNotContain("{", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Documents_SeveralFiles_IsExit2BeforeAnythingIsPrintedOrWritten()
    {
        var dir = Path.Combine(_root, "several");
        var (exit, stdout, stderr) = Run("triage", "--documents", dir, RequestFile("ca-subpoena"), RequestFile("family-letter"));

        Assert.Equal(2, exit);
        Assert.Equal("", stdout);
        Assert.Contains("--documents takes exactly one FILE", stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir));
    }

    [Theory]
    [InlineData("legal")]
    [InlineData("A4")]
    [InlineData("")]
    public void Documents_BadPaper_IsExit2(string paper)
    {
        var dir = Path.Combine(_root, "bad-paper");
        var (exit, stdout, stderr) = Run("triage", "--documents", dir, "--paper", paper, RequestFile("ca-subpoena"));

        Assert.Equal(2, exit);
        Assert.Equal("", stdout);
        Assert.Contains("--paper", stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir));
    }

    [Fact]
    public void Documents_InvalidRequest_IsExit2AndWritesNothing()
    {
        var dir = Path.Combine(_root, "invalid");
        var file = Path.Combine(_root, "bad.json");
        File.WriteAllText(file, """{ "jurisdiction": "US-CA" }""");
        var (exit, stdout, _) = Run("triage", "--documents", dir, file);

        Assert.Equal(2, exit);
        Assert.Equal("", stdout);
        Assert.False(Directory.Exists(dir));
    }

    [Fact]
    public void Documents_DirectoryIsARegularFile_IsExit1AndLeavesNoFile()
    {
        var dir = Path.Combine(_root, "taken");
        File.WriteAllText(dir, "not a directory");
        var before = Directory.GetFileSystemEntries(_root).Order(StringComparer.Ordinal).ToArray();
        var (exit, stdout, stderr) = Run("triage", "--documents", dir, RequestFile("ca-subpoena"));

        Assert.Equal(1, exit);
        Assert.StartsWith("Outcome: assert-privilege", stdout, StringComparison.Ordinal); // the determination is still printed
        Assert.Contains("could not write the documents", stderr, StringComparison.Ordinal);
        Assert.Equal("not a directory", File.ReadAllText(dir));
        var after = Directory.GetFileSystemEntries(_root).Where(p => !p.EndsWith("ca-subpoena.json", StringComparison.Ordinal)).Order(StringComparer.Ordinal);
        Assert.Equal(before, after);
    }

    [Fact]
    public void Documents_FailureWhilePlacingFiles_LeavesNoTempAndNoPartialSet()
    {
        var dir = Path.Combine(_root, "blocked");
        // The last file to be placed cannot be: a directory already has its name.
        Directory.CreateDirectory(Path.Combine(dir, "client-notice.docx"));
        var (exit, _, stderr) = Run("triage", "--documents", dir, RequestFile("ca-subpoena"));

        Assert.Equal(1, exit);
        Assert.Contains("nothing was written", stderr, StringComparison.Ordinal);
        Assert.Equal([Path.Combine(dir, "client-notice.docx")], Directory.GetFileSystemEntries(dir));
    }
}
