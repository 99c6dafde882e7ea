using Confide.Core.Triage;

namespace Confide.Documents;

/// <summary>The paper a document is laid out on.</summary>
public enum PaperSize
{
    /// <summary>US Letter, 8.5 x 11 in (612 x 792 pt).</summary>
    Letter,

    /// <summary>ISO A4, 210 x 297 mm (595 x 842 pt).</summary>
    A4,
}

/// <summary>
/// A document composed once, independent of its output format: every word a reader sees is here,
/// and the renderers only lay it out. Built by <see cref="DocumentComposer"/>.
/// </summary>
/// <param name="Kind">The document kind, or null for a report that is not one of the triage contract's documents (the accounting of disclosures).</param>
/// <param name="FileStem">The file name without extension: the kind's wire name.</param>
/// <param name="Title">The title, shown in the footer and the file's properties.</param>
/// <param name="Header">The running header printed at the top of every page.</param>
/// <param name="PageLabel">The words around the page number in the footer.</param>
/// <param name="Blocks">The content, in reading order.</param>
public sealed record DocumentModel(
    DocumentKind? Kind,
    string FileStem,
    string Title,
    string Header,
    PageLabel PageLabel,
    IReadOnlyList<Block> Blocks
)
{
    /// <summary>All the text of the document, in reading order (for checks and searching).</summary>
    public IEnumerable<string> Texts()
    {
        yield return Header;
        yield return Title;
        foreach (var block in Blocks)
        {
            foreach (var line in block.Lines())
            {
                yield return Inline.Join(line);
            }
        }
    }
}

/// <summary>The footer's page label: <c>Before</c> page <c>Between</c> pages, e.g. "Page 1 of 2".</summary>
public sealed record PageLabel(string Before, string Between);

/// <summary>A piece of a line of text.</summary>
public abstract record Inline
{
    /// <summary>The plain text of <paramref name="inlines"/>, checkboxes left out.</summary>
    public static string Join(IEnumerable<Inline> inlines) => string.Concat(inlines.OfType<TextRun>().Select(r => r.Text));
}

/// <summary>Text in one style.</summary>
public sealed record TextRun(string Text, bool Bold = false, bool Italic = false) : Inline;

/// <summary>A box to tick on a form, drawn as a square (ticked or empty).</summary>
public sealed record Checkbox(bool Checked) : Inline;

/// <summary>A block of content.</summary>
public abstract record Block
{
    /// <summary>The block's lines of text, for reading the model back.</summary>
    public abstract IEnumerable<IReadOnlyList<Inline>> Lines();
}

/// <summary>How a paragraph is set.</summary>
public enum ParagraphStyle
{
    /// <summary>Body text, with space after.</summary>
    Body,

    /// <summary>Body text with no space after: address lines, "Re:" lines, fields.</summary>
    Compact,

    /// <summary>Centered, no space after: the letterhead.</summary>
    Centered,

    /// <summary>Smaller text with space after: notes and citations.</summary>
    Small,

    /// <summary>Body text in a ruled box: a notice that must stand out.</summary>
    Boxed,
}

/// <summary>The document's title as printed on a form or record, with an optional subtitle.</summary>
public sealed record TitleBlock(string Text, string? Subtitle) : Block
{
    public override IEnumerable<IReadOnlyList<Inline>> Lines()
    {
        yield return [new TextRun(Text, Bold: true)];
        if (Subtitle is not null)
        {
            yield return [new TextRun(Subtitle, Italic: true)];
        }
    }
}

/// <summary>A section heading.</summary>
public sealed record Heading(string Text) : Block
{
    public override IEnumerable<IReadOnlyList<Inline>> Lines()
    {
        yield return [new TextRun(Text, Bold: true)];
    }
}

/// <summary>A paragraph of styled text.</summary>
public sealed record Paragraph(IReadOnlyList<Inline> Inlines, ParagraphStyle Style = ParagraphStyle.Body) : Block
{
    public override IEnumerable<IReadOnlyList<Inline>> Lines()
    {
        yield return Inlines;
    }
}

/// <summary>A bulleted or numbered list; each item is one paragraph.</summary>
public sealed record ListBlock(IReadOnlyList<IReadOnlyList<Inline>> Items, bool Numbered = false) : Block
{
    public override IEnumerable<IReadOnlyList<Inline>> Lines() => Items;
}

/// <summary>
/// A line to sign on, with its caption lines printed beneath it and, when <paramref name="DateCaption"/>
/// is given, a shorter line beside it for the date.
/// </summary>
public sealed record SignatureLine(IReadOnlyList<IReadOnlyList<Inline>> Caption, IReadOnlyList<Inline>? DateCaption = null) : Block
{
    public override IEnumerable<IReadOnlyList<Inline>> Lines() => DateCaption is null ? Caption : [.. Caption, DateCaption];
}

/// <summary>A horizontal rule across the text width (under a letterhead).</summary>
public sealed record Rule : Block
{
    public override IEnumerable<IReadOnlyList<Inline>> Lines() => [];
}

/// <summary>Extra vertical space.</summary>
public sealed record Spacer : Block
{
    public override IEnumerable<IReadOnlyList<Inline>> Lines() => [];
}
