using System.Diagnostics;
using System.Globalization;
using System.Text;
using Confide.Core.Requests;
using Confide.Core.Triage;
using Confide.Documents.Packets;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace Confide.Bench;

/// <summary>
/// `packet`: builds a disclosure packet of about 1,000 pages of typed record content (about 3,000
/// characters a page) plus a 100-page PDF attachment made with PDFsharp, to a temporary file, and
/// prints the time and page count. Run it under `/usr/bin/time -v` for peak resident memory.
/// Options: --typed-pages N (default 1000), --attachment-pages N (default 100), --redact N (black out a
/// region on each of the first N attachment pages; default 0, needs pdftoppm), --keep (leave the file and print its path).
/// </summary>
internal static class PacketBench
{
    /// <summary>Characters a typed page holds with the packet's layout (measured: 10.5 pt DejaVu Serif on US Letter).</summary>
    private const int CharsPerPage = 3000;

    public static int Run(string[] args)
    {
        var typedPages = Option(args, "--typed-pages", 1000);
        var attachmentPages = Option(args, "--attachment-pages", 100);
        var redact = Option(args, "--redact", 0);
        var keep = args.Contains("--keep");

        var setup = Stopwatch.StartNew();
        var attachment = Attachment(attachmentPages);
        var items = new List<PacketItem>();
        // Items of 5 pages each: 200 progress notes of ~15,000 characters.
        const int PagesPerItem = 5;
        var random = new Random(42);
        var typedChars = 0L;
        for (var i = 0; i < typedPages / PagesPerItem; i++)
        {
            var content = Content(random, PagesPerItem * CharsPerPage);
            typedChars += content.Length;
            items.Add(new TypedItem($"note-{i + 1:0000}", Category.ProgressNotes, new DateOnly(2026, 1, 1).AddDays(i), $"Progress note {i + 1}", "A. Clinician, PhD", content, [new TextSpan(100, 40)]));
        }
        items.Add(
            new AttachmentItem(
                "attachment-1",
                Category.Correspondence,
                new DateOnly(2026, 6, 1),
                "Hospital discharge summary",
                null,
                () => new MemoryStream(attachment, writable: false),
                AttachmentMode.Include,
                null,
                [.. Enumerable.Range(1, redact).Select(p => new PageRegion(p, 72, 72, 200, 40))]
            )
        );
        var request = new PacketRequest
        {
            Practice = "Bench Practice",
            DisclosedBy = "A. Clinician, PhD",
            Recipient = "Records Department\nExample Insurer",
            Basis = Outcome.DiscloseWithAuthorization,
            BasisText = "Authorization signed 2026-11-01",
            Disclose = CategorySet.Of(Category.ProgressNotes, Category.Correspondence),
            DisclosedOn = new DateOnly(2026, 11, 29),
            Items = items,
        };
        setup.Stop();

        var path = Path.Combine(Path.GetTempPath(), $"confide-packet-bench-{Guid.NewGuid():N}.pdf");
        var builder = new PacketBuilder();
        var lastPercent = -1;
        var phases = new List<(string Stage, TimeSpan At)>();
        var clock = new Stopwatch();
        var progress = new SyncProgress(p =>
        {
            var phase = p.Stage.StartsWith("item ", StringComparison.Ordinal) ? "items" : p.Stage;
            if (phases.Count == 0 || phases[^1].Stage != phase)
            {
                phases.Add((phase, clock.Elapsed));
            }
            var whole = (int)p.Percent / 10 * 10;
            if (whole > lastPercent)
            {
                lastPercent = whole;
                Console.Error.WriteLine($"  {p.Percent,5:0.0}%  {p.Pages,5} pages  {p.Stage}");
            }
        });
        var timer = Stopwatch.StartNew();
        clock.Start();
        var (result, paths) = PacketFiles.Write(builder, request, path, progress);
        timer.Stop();

        var size = new FileInfo(paths.Pdf).Length;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"setup (inputs generated, not timed): {setup.Elapsed.TotalSeconds:0.00} s; typed characters {typedChars:N0}; attachment {attachment.Length:N0} bytes"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"packet: {result.PageCount} pages ({result.BatesFirst}-{result.BatesLast}), {size / 1048576.0:0.0} MiB, sha256 {result.Sha256}"));
        var typed = result.Manifest.Items.Where(i => i.Mode == "typed").Sum(i => i.Pages);
        var merged = result.Manifest.Items.Where(i => i.Mode != "typed").Sum(i => i.Pages);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"pages: cover sheet {result.Manifest.CoverPages}, typed {typed} ({typedChars / (double)typed:0} characters a page), merged PDF {merged} ({redact} blacked out, as images)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"build + write: {timer.Elapsed.TotalSeconds:0.00} s"));
        for (var i = 0; i < phases.Count; i++)
        {
            var end = i + 1 < phases.Count ? phases[i + 1].At : timer.Elapsed;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {phases[i].Stage,-26} {(end - phases[i].At).TotalSeconds,5:0.00} s"));
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"managed peak (GC): {GC.GetGCMemoryInfo().HeapSizeBytes / 1048576.0:0} MiB heap at end; process peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0:0} MiB"));
        if (keep)
        {
            Console.WriteLine("kept: " + paths.Pdf);
        }
        else
        {
            File.Delete(paths.Pdf);
            File.Delete(paths.ManifestJson);
            File.Delete(paths.ManifestText);
        }
        return 0;
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private static readonly string[] Words =
    [
        "client", "reported", "session", "sleep", "anxiety", "work", "family", "discussed", "plan", "goals", "progress", "noted", "mood",
        "affect", "stable", "appropriate", "coping", "skills", "homework", "reviewed", "week", "stress", "symptoms", "improved", "therapy",
        "cognitive", "behavioral", "exercise", "agreed", "continue", "follow", "up", "assessment", "risk", "denied", "ideation", "support",
    ];

    /// <summary>Note-like text: sentences in paragraphs, about <paramref name="length"/> characters.</summary>
    private static string Content(Random random, int length)
    {
        var s = new StringBuilder(length + 200);
        var sentence = 0;
        while (s.Length < length)
        {
            var n = random.Next(8, 20);
            for (var w = 0; w < n; w++)
            {
                var word = Words[random.Next(Words.Length)];
                s.Append(w == 0 ? char.ToUpperInvariant(word[0]) + word[1..] : word).Append(w == n - 1 ? ". " : " ");
            }
            if (++sentence % 6 == 0)
            {
                s.Length--;
                s.Append("\n\n");
            }
        }
        return s.ToString();
    }

    /// <summary>A text PDF of <paramref name="pages"/> pages made with PDFsharp (the packet builder's own fonts are installed by then).</summary>
    private static byte[] Attachment(int pages)
    {
        Confide.Documents.Pdf.EmbeddedFonts.Install();
        using var document = new PdfDocument();
        var font = new XFont(Confide.Documents.Pdf.EmbeddedFonts.Family, 10);
        var random = new Random(7);
        for (var p = 0; p < pages; p++)
        {
            var page = document.AddPage();
            using var gfx = XGraphics.FromPdfPage(page);
            for (var line = 0; line < 45; line++)
            {
                var text = string.Join(' ', Enumerable.Range(0, 12).Select(_ => Words[random.Next(Words.Length)]));
                gfx.DrawString($"{p + 1}.{line + 1} {text}", font, XBrushes.Black, new XPoint(60, 70 + line * 15));
            }
        }
        using var stream = new MemoryStream();
        document.Save(stream, closeStream: false);
        return stream.ToArray();
    }

    private sealed class SyncProgress(Action<PacketProgress> report) : IProgress<PacketProgress>
    {
        public void Report(PacketProgress value) => report(value);
    }
}
