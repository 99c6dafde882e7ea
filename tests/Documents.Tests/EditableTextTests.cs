using Confide.Core.Triage;
using Confide.Documents.Docx;
using Confide.Documents.Pdf;

namespace Confide.Documents.Tests;

/// <summary>The editable text of a document: every kind turns into text and back, and edited text renders through the same renderers.</summary>
public sealed class EditableTextTests
{
    public static TheoryData<string, DocumentKind> Pairs() => [.. Scenarios.Pairs().DistinctBy(p => p.Kind).Select(p => (p.Scenario, p.Kind))];

    [Theory]
    [MemberData(nameof(Pairs))]
    public void EveryKind_TextRoundTrips_AndRendersTheSameWords(string scenario, DocumentKind kind)
    {
        var model = DocumentComposer.Compose(kind, Scenarios.Context(scenario, withDetails: true));
        var text = EditableText.ToText(model);
        var parsed = EditableText.Parse(text, model);

        Assert.Equal(text, EditableText.ToText(parsed));
        Assert.Equal((model.Kind, model.Title, model.Header), (parsed.Kind, parsed.Title, parsed.Header));
        Assert.Equal(ReadBack.Pdf(new PdfRenderer(PaperSize.Letter).Render(model)).Text, ReadBack.Pdf(new PdfRenderer(PaperSize.Letter).Render(parsed)).Text);
        Assert.Equal(ReadBack.Docx(new DocxRenderer(PaperSize.Letter).Render(model)), ReadBack.Docx(new DocxRenderer(PaperSize.Letter).Render(parsed)));
    }

    [Fact]
    public void EditedText_RendersThroughBothRenderers_WithTheEdit()
    {
        var model = DocumentComposer.Compose(DocumentKind.PrivilegeAssertionLetter, Scenarios.Context(Scenarios.Pairs().First(p => p.Kind == DocumentKind.PrivilegeAssertionLetter).Scenario, withDetails: true));
        var text = EditableText.ToText(model) + "\nA sentence the clinician added EDITMARK42, with **bold words** and _a title_.\n\n- a new point\n- another point\n";
        var edited = EditableText.Parse(text, model);

        Assert.Contains("EDITMARK42", ReadBack.Pdf(new PdfRenderer(PaperSize.Letter).Render(edited)).Text, StringComparison.Ordinal);
        Assert.Contains("EDITMARK42", ReadBack.Docx(new DocxRenderer(PaperSize.A4).Render(edited)), StringComparison.Ordinal);
        var added = edited.Blocks.OfType<Paragraph>().Single(p => Inline.Join(p.Inlines).Contains("EDITMARK42", StringComparison.Ordinal));
        Assert.Contains(added.Inlines, i => i is TextRun { Bold: true, Text: "bold words" });
        Assert.Contains(added.Inlines, i => i is TextRun { Italic: true, Text: "a title" });
        Assert.Equal(["a new point", "another point"], edited.Blocks.OfType<ListBlock>().Last().Items.Select(Inline.Join));
    }

    [Theory]
    [InlineData("", "the text is empty")]
    [InlineData("\n\n  \n", "the text is empty")]
    [InlineData("Hello\n\n#: a subtitle without a title", "line 3: a subtitle (#:) must follow the title line (# )")]
    [InlineData("Hello\n[sign]   ", "line 2: a signature line ([sign]) needs a caption")]
    [InlineData("Some **bold without an end", "line 1: bold text needs ** on both sides")]
    public void BadText_NamesTheLine(string text, string message)
    {
        var model = DocumentComposer.Compose(DocumentKind.ClientNotice, Scenarios.Context(Scenarios.Pairs().First(p => p.Kind == DocumentKind.ClientNotice).Scenario, withDetails: true));
        var e = Assert.Throws<FormatException>(() => EditableText.Parse(text, model));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }
}
