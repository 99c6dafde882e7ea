using Confide.Core.Triage;
using Confide.Documents.Docx;
using Confide.Documents.Pdf;

namespace Confide.Documents.Tests;

/// <summary>The document model itself: every kind composes from any determination, and forms stay separate.</summary>
public sealed class ComposerTests
{
    public static TheoryData<string, bool> ScenarioNames()
    {
        var data = new TheoryData<string, bool>();
        foreach (var name in Scenarios.All.Keys)
        {
            data.Add(name, true);
            data.Add(name, false);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(ScenarioNames))]
    public void Compose_AnyKindFromAnyScenario_HasNoPlaceholderAndRenders(string scenario, bool withDetails)
    {
        var context = Scenarios.Context(scenario, withDetails);
        foreach (var kind in Enum.GetValues<DocumentKind>())
        {
            var model = DocumentComposer.Compose(kind, context);
            var text = string.Join("\n", model.Texts());
            Assert.DoesNotContain("{", text, StringComparison.Ordinal);
            Assert.DoesNotContain("}", text, StringComparison.Ordinal);
            Assert.NotEmpty(new PdfRenderer(PaperSize.Letter).Render(model));
            Assert.NotEmpty(new DocxRenderer(PaperSize.A4).Render(model));
        }
    }

    [Fact]
    public void ComposeAll_FollowsTheDeterminationsList()
    {
        var context = Scenarios.Context("ca-wants-disclosure", withDetails: true);
        Assert.Equal(context.Determination.Documents, DocumentComposer.ComposeAll(context).Select(m => m.Kind!.Value));
    }

    [Fact]
    public void AuthorizationForm_NeverOffersPsychotherapyNotesOrSudRecords()
    {
        // 45 CFR 164.508(b)(3)(ii) and 42 CFR 2.31: those need forms of their own, never combined.
        var model = DocumentComposer.Compose(DocumentKind.AuthorizationForm, Scenarios.Context("ca-wants-disclosure", withDetails: true));
        var tickLines = model.Blocks.OfType<Paragraph>().Where(p => p.Inlines.OfType<Checkbox>().Any()).Select(p => Inline.Join(p.Inlines)).ToList();
        Assert.NotEmpty(tickLines);
        Assert.DoesNotContain(tickLines, line => line.Contains("Psychotherapy notes", StringComparison.Ordinal));
        Assert.DoesNotContain(tickLines, line => line.Contains("Substance use", StringComparison.Ordinal));
        // The requested categories the form may release are ticked.
        Assert.Contains(model.Blocks.OfType<Paragraph>(), p => p.Inlines is [Checkbox { Checked: true }, ..] && Inline.Join(p.Inlines).Contains("Progress notes", StringComparison.Ordinal));
    }

    [Fact]
    public void PsychotherapyNotesForm_ReleasesOnlyNotes()
    {
        var model = DocumentComposer.Compose(DocumentKind.PsychotherapyNotesAuthorizationForm, Scenarios.Context("ca-wants-disclosure", withDetails: true));
        var tickLines = model.Blocks.OfType<Paragraph>().Where(p => p.Inlines.OfType<Checkbox>().Any(c => c.Checked)).Select(p => Inline.Join(p.Inlines)).ToList();
        Assert.All(tickLines, line => Assert.DoesNotContain("Progress notes", line, StringComparison.Ordinal));
        Assert.Contains(tickLines, line => line.Contains("Psychotherapy notes", StringComparison.Ordinal));
    }

    [Fact]
    public void Writer_RenderFailure_WritesNothing()
    {
        var dir = Path.Combine(Path.GetTempPath(), "confide-writer-" + Guid.NewGuid().ToString("N"));
        var good = DocumentComposer.Compose(DocumentKind.ClientNotice, Scenarios.Context("ca-subpoena", withDetails: true));
        var bad = good with { Blocks = [.. good.Blocks, new UnknownBlock()] };
        Assert.Throws<NotSupportedException>(() => DocumentWriter.Write([good, bad], dir, PaperSize.Letter));
        Assert.False(Directory.Exists(dir));
    }

    private sealed record UnknownBlock : Block
    {
        public override IEnumerable<IReadOnlyList<Inline>> Lines() => [];
    }
}
