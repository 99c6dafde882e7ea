using System.Diagnostics;
using Confide.Core;
using Confide.Core.Triage;
using Confide.Documents.Pdf;

namespace Confide.Documents.Tests;

/// <summary>
/// Renders every PDF kind to PNG (pdftoppm, from Debian's poppler-utils) into
/// <c>test-artifacts/documents/</c> so a person can look at them: US Letter with details, A4 without.
/// </summary>
public sealed class RenderedPagesTests
{
    public static TheoryData<DocumentKind> Kinds() => new(Enum.GetValues<DocumentKind>());

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Render_EveryKind_ToPng(DocumentKind kind)
    {
        var pdftoppm = FindOnPath("pdftoppm");
        Assert.True(pdftoppm is not null, "pdftoppm is missing: install poppler-utils (scripts/test.sh does)");
        var scenario = Scenarios.Pairs().First(p => p.Kind == kind).Scenario;
        var artifacts = RepoPaths.Artifacts("documents").FullName;

        foreach (var (paper, withDetails) in new[] { (PaperSize.Letter, true), (PaperSize.A4, false) })
        {
            var model = DocumentComposer.Compose(kind, Scenarios.Context(scenario, withDetails));
            var stem = $"{Wire<DocumentKind>.Name(kind)}-{(paper == PaperSize.A4 ? "a4-blank" : "letter")}";
            var pdfPath = Path.Combine(artifacts, stem + ".pdf");
            foreach (var old in Directory.GetFiles(artifacts, stem + "-*.png"))
            {
                File.Delete(old);
            }
            var pdf = new PdfRenderer(paper).Render(model);
            await File.WriteAllBytesAsync(pdfPath, pdf, TestContext.Current.CancellationToken);

            var start = new ProcessStartInfo(pdftoppm!) { RedirectStandardError = true, UseShellExecute = false };
            foreach (var arg in new[] { "-r", "60", "-png", pdfPath, Path.Combine(artifacts, stem) })
            {
                start.ArgumentList.Add(arg);
            }
            using var process = Process.Start(start)!;
            var error = await process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
            await process.WaitForExitAsync(TestContext.Current.CancellationToken);
            Assert.True(process.ExitCode == 0, $"pdftoppm failed on {pdfPath}: {error}");

            var pages = ReadBack.Pdf(pdf).Pages.Count;
            var pngs = Directory.GetFiles(artifacts, stem + "-*.png");
            Assert.Equal(pages, pngs.Length);
            Assert.All(pngs, png => Assert.True(new FileInfo(png).Length > 1000, $"{png} is empty"));
        }
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);
}
