using System.Text.RegularExpressions;
using Confide.Core;
using Confide.Core.Requests;
using Confide.Core.Triage;
using Confide.Documents.Packets;
using Confide.Documents.Pdf;
using UglyToad.PdfPig;

namespace Confide.Documents.Tests;

/// <summary>
/// One vocabulary (issue 11, item 6): a packet's cover sheet and the cover letter sent with it name
/// the same records the same way and write dates one way, and no project keeps labels of its own.
/// </summary>
public sealed partial class VocabularyTests
{
    /// <summary>A release covering the categories whose names used to differ between the cover and the letter; psychotherapy notes withheld.</summary>
    private const string Release = """
        { "jurisdiction": "US-TX", "receivedOn": "2026-06-10", "requester": "provider", "instrument": "letter",
          "clinician": { "profession": "psychologist" },
          "requested": ["intake", "treatment-plan", "test-data", "attendance", "billing", "psychotherapy-notes"],
          "authorization": { "signed": true, "recipientCovered": true, "purposeCovered": true,
            "categories": ["intake", "treatment-plan", "test-data", "attendance", "billing"], "clientUnderstandingConfirmed": true } }
        """;

    [Fact]
    public void PacketCover_AndItsCoverLetter_NameTheSameRecords()
    {
        var parsed = RequestParser.Parse(System.Text.Encoding.UTF8.GetBytes(Release));
        Assert.True(parsed.Success, string.Join("; ", parsed.Errors.Select(e => $"{e.Path}: {e.Message}")));
        var determination = Scenarios.Engine.Evaluate(parsed.Request!);
        Assert.Equal(Outcome.DiscloseWithAuthorization, determination.Outcome);
        Assert.Contains(DocumentKind.DisclosureCoverLetter, determination.Documents);
        var context = DocumentContext.Create(parsed.Request!, determination, Scenarios.Engine.Law, Scenarios.Engine.EvaluationDate(parsed.Request!));

        var letter = ReadBack.Pdf(new PdfRenderer(PaperSize.Letter).Render(DocumentComposer.Compose(DocumentKind.DisclosureCoverLetter, context))).Text;
        var cover = CoverText(determination);

        var disclosed = determination.Disclose.ToArray();
        Assert.Equal(5, disclosed.Length);
        Assert.Equal(disclosed, Named(cover));
        Assert.Equal(disclosed, Named(letter));
        // The dates of both read one way: no ISO date on either.
        Assert.DoesNotMatch(IsoDate(), cover);
        Assert.DoesNotMatch(IsoDate(), letter);
        Assert.Contains(Vocabulary.Date(new DateOnly(2026, 11, 29)), cover, StringComparison.Ordinal);
    }

    [Fact]
    public void NoLabelTable_OutsideCoresVocabulary()
    {
        // Every name the vocabulary gives, as a string literal anywhere else in src/, is a second table in the making.
        var labels = new[] { Vocabulary.Of<Category>(), Vocabulary.Of<Outcome>(), Vocabulary.Of<DocumentKind>() }
            .SelectMany(t => t.Values)
            .SelectMany(l => new[] { l.Short, l.Long })
            .Select(l => "\"" + l + "\"")
            .ToArray();
        var own = Path.Combine(RepoPaths.Root, "src", "Core", "Vocabulary.cs");
        var copies = Directory
            .EnumerateFiles(Path.Combine(RepoPaths.Root, "src"), "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".cshtml", StringComparison.Ordinal))
            .Where(f => f != own && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => labels.Where(l => File.ReadAllText(f).Contains(l, StringComparison.OrdinalIgnoreCase)).Select(l => $"{Path.GetRelativePath(RepoPaths.Root, f)}: {l}"))
            .ToList();
        Assert.True(copies.Count == 0, "labels written outside src/Core/Vocabulary.cs:\n" + string.Join("\n", copies));
    }

    /// <summary>The categories whose long name the text carries, in wire-name order.</summary>
    private static Category[] Named(string text) =>
        Categories.InNameOrder.Where(c => text.Contains(Vocabulary.Long(c), StringComparison.Ordinal)).ToArray();

    /// <summary>The text of the cover sheet of a packet holding one typed item of each disclosed category.</summary>
    private static string CoverText(Determination determination)
    {
        var items = determination.Disclose.ToArray()
            .Select((c, i) => (PacketItem)new TypedItem($"item-{i}", c, new DateOnly(2026, 5, 1 + i), $"Item {i + 1}", "Dr. Ada Byrne", $"Content of item {i + 1}.", []))
            .ToList();
        var request = new PacketRequest
        {
            Practice = "Harbor Counseling",
            DisclosedBy = "Dr. Ada Byrne, PsyD",
            Recipient = "Lakeside Clinic",
            Basis = determination.Outcome,
            BasisText = "the client's written authorization",
            Disclose = determination.Disclose,
            ClientName = "Jordan Q. Example",
            DisclosedOn = new DateOnly(2026, 11, 29),
            Items = items,
        };
        using var output = new MemoryStream();
        var result = new PacketBuilder().Build(request, output, cancellationToken: TestContext.Current.CancellationToken);
        using var pdf = PdfDocument.Open(output.ToArray());
        var words = pdf.GetPages().Take(result.Manifest.CoverPages).SelectMany(p => p.GetWords()).Select(w => w.Text);
        return string.Join(' ', words);
    }

    [GeneratedRegex(@"\b\d{4}-\d{2}-\d{2}\b")]
    private static partial Regex IsoDate();
}
