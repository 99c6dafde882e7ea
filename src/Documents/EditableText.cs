using System.Text;
using System.Text.RegularExpressions;

namespace Confide.Documents;

/// <summary>
/// A document as text a clinician edits before it is finalized, and back: the seam between
/// <see cref="DocumentComposer"/> (which writes every word) and the renderers (which lay the model
/// out), so an edited letter is rendered by the same PDF and DOCX renderers as a composed one.
/// One block per paragraph, blocks separated by a blank line; a line's first characters say what it
/// is: <c># </c> the title (<c>#: </c> its subtitle), <c>## </c> a heading, <c>- </c> a bullet,
/// <c>1. </c> a numbered item, <c>&gt; </c> a boxed notice, <c>~ </c> small print, <c>^ </c> centered,
/// <c>---</c> a rule, <c>[sign] </c> a signature line (caption lines separated by <c> | </c>, the date
/// caption after <c> || </c>), <c>[ ] </c> and <c>[x] </c> checkboxes; several lines in one block are
/// set as compact lines (an address); a line with only <c>.</c> is extra space. <c>**bold**</c> and
/// <c>_italic_</c> inside a line.
/// </summary>
public static partial class EditableText
{
    /// <summary>The longest edited text accepted (characters).</summary>
    public const int MaxLength = 100_000;

    /// <summary>The model as editable text.</summary>
    public static string ToText(DocumentModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var sb = new StringBuilder();
        var compactRun = false;
        foreach (var block in model.Blocks)
        {
            var compact = block is Paragraph { Style: ParagraphStyle.Compact };
            if (sb.Length > 0 && !(compact && compactRun))
            {
                sb.Append('\n');
            }
            compactRun = compact;
            switch (block)
            {
                case TitleBlock t:
                    sb.Append("# ").Append(t.Text).Append('\n');
                    if (t.Subtitle is not null)
                    {
                        sb.Append("#: ").Append(t.Subtitle).Append('\n');
                    }
                    break;
                case Heading h:
                    sb.Append("## ").Append(h.Text).Append('\n');
                    break;
                case Paragraph p:
                    sb.Append(
                            p.Style switch
                            {
                                ParagraphStyle.Boxed => "> ",
                                ParagraphStyle.Small => "~ ",
                                ParagraphStyle.Centered => "^ ",
                                _ => "",
                            }
                        )
                        .Append(Inlines(p.Inlines))
                        .Append('\n');
                    break;
                case ListBlock l:
                    for (var i = 0; i < l.Items.Count; i++)
                    {
                        sb.Append(l.Numbered ? $"{i + 1}. " : "- ").Append(Inlines(l.Items[i])).Append('\n');
                    }
                    break;
                case SignatureLine s:
                    sb.Append("[sign] ").Append(string.Join(" | ", s.Caption.Select(Inlines)));
                    if (s.DateCaption is not null)
                    {
                        sb.Append(" || ").Append(Inlines(s.DateCaption));
                    }
                    sb.Append('\n');
                    break;
                case Rule:
                    sb.Append("---\n");
                    break;
                case Spacer:
                    sb.Append(".\n");
                    break;
                default:
                    throw new InvalidOperationException($"no text form for a {block.GetType().Name}");
            }
        }
        return sb.ToString();
    }

    /// <summary>
    /// The edited text as a model with the original's kind, file name, title, header and page label.
    /// </summary>
    /// <exception cref="FormatException">The text is empty, too long, or a line cannot be read (the message names the line).</exception>
    public static DocumentModel Parse(string text, DocumentModel original)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(original);
        if (text.Length > MaxLength)
        {
            throw new FormatException($"the text is longer than {MaxLength} characters");
        }
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').Split('\n');
        var blocks = new List<Block>();
        var group = new List<(int Number, string Line)>();
        for (var i = 0; i <= lines.Length; i++)
        {
            var line = i < lines.Length ? lines[i].TrimEnd() : "";
            if (line.Length > 0)
            {
                group.Add((i + 1, line));
                continue;
            }
            if (group.Count > 0)
            {
                ParseGroup(group, blocks);
                group.Clear();
            }
        }
        if (blocks.Count == 0)
        {
            throw new FormatException("the text is empty");
        }
        return original with { Blocks = blocks };
    }

    private static void ParseGroup(List<(int Number, string Line)> group, List<Block> blocks)
    {
        var plain = new List<(int Number, string Line)>();
        void FlushPlain()
        {
            if (plain.Count == 1)
            {
                blocks.Add(new Paragraph(ParseInlines(plain[0].Line, plain[0].Number)));
            }
            else
            {
                blocks.AddRange(plain.Select(p => new Paragraph(ParseInlines(p.Line, p.Number), ParagraphStyle.Compact)));
            }
            plain.Clear();
        }
        List<IReadOnlyList<Inline>>? list = null;
        var numbered = false;
        void FlushList()
        {
            if (list is not null)
            {
                blocks.Add(new ListBlock(list, numbered));
                list = null;
            }
        }
        foreach (var (number, line) in group)
        {
            var item = NumberedItem().Match(line);
            var isBullet = line.StartsWith("- ", StringComparison.Ordinal);
            if (isBullet || item.Success)
            {
                FlushPlain();
                if (list is not null && numbered != item.Success)
                {
                    FlushList();
                }
                list ??= [];
                numbered = item.Success;
                list.Add(ParseInlines(isBullet ? line[2..] : line[item.Length..], number));
                continue;
            }
            FlushList();
            Block? special = line switch
            {
                _ when line.StartsWith("#: ", StringComparison.Ordinal) => null,
                _ when line.StartsWith("## ", StringComparison.Ordinal) => new Heading(line[3..].Trim()),
                _ when line.StartsWith("# ", StringComparison.Ordinal) => new TitleBlock(line[2..].Trim(), null),
                _ when line.StartsWith("> ", StringComparison.Ordinal) => new Paragraph(ParseInlines(line[2..], number), ParagraphStyle.Boxed),
                _ when line.StartsWith("~ ", StringComparison.Ordinal) => new Paragraph(ParseInlines(line[2..], number), ParagraphStyle.Small),
                _ when line.StartsWith("^ ", StringComparison.Ordinal) => new Paragraph(ParseInlines(line[2..], number), ParagraphStyle.Centered),
                "---" => new Rule(),
                "." => new Spacer(),
                _ when line.StartsWith("[sign]", StringComparison.Ordinal) => Signature(line[6..], number),
                _ => null,
            };
            if (line.StartsWith("#: ", StringComparison.Ordinal))
            {
                FlushPlain();
                if (blocks.Count == 0 || blocks[^1] is not TitleBlock { Subtitle: null } title)
                {
                    throw new FormatException($"line {number}: a subtitle (#:) must follow the title line (# )");
                }
                blocks[^1] = title with { Subtitle = line[3..].Trim() };
                continue;
            }
            if (special is null)
            {
                plain.Add((number, line));
                continue;
            }
            FlushPlain();
            blocks.Add(special);
        }
        FlushList();
        FlushPlain();
    }

    private static SignatureLine Signature(string rest, int number)
    {
        var parts = rest.Split(" || ", 2, StringSplitOptions.None);
        var caption = parts[0].Split(" | ").Select(p => p.Trim()).Where(p => p.Length > 0).Select(p => ParseInlines(p, number)).ToList();
        if (caption.Count == 0)
        {
            throw new FormatException($"line {number}: a signature line ([sign]) needs a caption, e.g. [sign] Name, title");
        }
        return new SignatureLine(caption, parts.Length > 1 ? ParseInlines(parts[1].Trim(), number) : null);
    }

    private static string Inlines(IEnumerable<Inline> inlines)
    {
        var sb = new StringBuilder();
        foreach (var inline in inlines)
        {
            switch (inline)
            {
                case Checkbox c:
                    sb.Append(c.Checked ? "[x] " : "[ ] ");
                    break;
                case TextRun { Bold: true } r when r.Text.Trim().Length > 0:
                    sb.Append(Wrap(r.Text, "**"));
                    break;
                case TextRun { Italic: true } r when r.Text.Trim().Length > 0:
                    sb.Append(Wrap(r.Text, "_"));
                    break;
                case TextRun r:
                    sb.Append(r.Text);
                    break;
            }
        }
        return sb.ToString();
    }

    /// <summary>Markers hug the words: leading and trailing spaces stay outside (<c>**Re:** </c>).</summary>
    private static string Wrap(string text, string marker)
    {
        var start = text.Length - text.TrimStart().Length;
        var end = text.Length - text.TrimEnd().Length;
        return text[..start] + marker + text.Trim() + marker + text[(text.Length - end)..];
    }

    private static List<Inline> ParseInlines(string line, int number)
    {
        var inlines = new List<Inline>();
        var at = 0;
        foreach (Match m in Styled().Matches(line))
        {
            if (m.Index > at)
            {
                inlines.Add(new TextRun(line[at..m.Index]));
            }
            inlines.Add(
                m.Groups["box"].Success ? new Checkbox(m.Groups["box"].Value != " ")
                : m.Groups["bold"].Success ? new TextRun(m.Groups["bold"].Value, Bold: true)
                : new TextRun(m.Groups["italic"].Value, Italic: true)
            );
            at = m.Index + m.Length;
        }
        if (at < line.Length)
        {
            inlines.Add(new TextRun(line[at..]));
        }
        if (inlines.OfType<TextRun>().Any(r => !r.Bold && r.Text.Contains("**", StringComparison.Ordinal)))
        {
            throw new FormatException($"line {number}: bold text needs ** on both sides");
        }
        return inlines;
    }

    [GeneratedRegex(@"^\d{1,3}\. ")]
    private static partial Regex NumberedItem();

    [GeneratedRegex(@"\[(?<box>[ xX])\](?: |$)|\*\*(?<bold>[^*]+)\*\*|(?<![\w])_(?<italic>[^_]+)_(?![\w])")]
    private static partial Regex Styled();
}
