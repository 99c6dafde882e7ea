using Confide.Core;
using Confide.Core.Law;
using Confide.Core.Requests;
using Confide.Core.Triage;

namespace Confide.Documents;

/// <summary>Who a document is for: it decides how unverified law is treated.</summary>
internal enum Audience
{
    /// <summary>Sent outside the practice: UNVERIFIED citations are left out, never presented as settled.</summary>
    Outside,

    /// <summary>Kept in the practice's file: UNVERIFIED citations are shown and marked as such.</summary>
    Internal,
}

/// <summary>
/// Builds one document's blocks. Holds the shared pieces (letterhead, recipient, case lines,
/// blanks for missing details, citations resolved from the catalog) so each kind's composer
/// only says what is particular to it.
/// </summary>
internal sealed class Composition(DocumentContext context, Audience audience)
{
    /// <summary>The line printed where a detail is missing, followed by what belongs there.</summary>
    public const string BlankLine = "______________________";

    private const string UnverifiedMark = " [UNVERIFIED: not confirmed against the primary text; do not rely on it as settled law]";

    private readonly List<Block> _blocks = [];
    private readonly HashSet<string> _cited = new(StringComparer.Ordinal);

    public DocumentContext Context => context;

    public TriageRequest Request => context.Request;

    public RequestDetails Details => context.Details;

    public Determination Determination => context.Determination;

    public JurisdictionProfile Profile => context.Profile;

    public LawLibrary Law => context.Law;

    public Audience Audience => audience;

    // ---- inline helpers ----

    public static TextRun B(string text) => new(text, Bold: true);

    public static TextRun It(string text) => new(text, Italic: true);

    /// <summary>A blank to complete by hand, with what belongs on it: "______ (client's name)".</summary>
    public static Inline[] Blank(string hint) => [new TextRun(BlankLine), new TextRun($" ({hint})", Italic: true)];

    /// <summary>The detail's value, or a marked blank when the request did not give it.</summary>
    public static Inline[] Fill(string? value, string hint) =>
        string.IsNullOrWhiteSpace(value) ? Blank(hint) : [new TextRun(Clean(value))];

    /// <summary>A multi-line detail (an address) as its lines, or one marked blank.</summary>
    public static IReadOnlyList<Inline[]> FillLines(string? value, string hint) =>
        string.IsNullOrWhiteSpace(value)
            ? [Blank(hint)]
            : value
                .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(line => new Inline[] { new TextRun(Clean(line)) })
                .ToArray();

    /// <summary>Free text from a request, made safe to lay out: no control characters.</summary>
    public static string Clean(string text) =>
        new(text.Trim().Select(ch => char.IsControl(ch) ? ' ' : ch).ToArray());

    public static IReadOnlyList<Inline> Line(params object?[] parts)
    {
        var result = new List<Inline>();
        foreach (var part in parts)
        {
            switch (part)
            {
                case null:
                    break;
                case string s:
                    if (s.Length > 0)
                    {
                        result.Add(new TextRun(s));
                    }
                    break;
                case Inline inline:
                    result.Add(inline);
                    break;
                case IEnumerable<Inline> inlines:
                    result.AddRange(inlines);
                    break;
                default:
                    throw new ArgumentException($"cannot put a {part.GetType().Name} in a line", nameof(parts));
            }
        }
        return result;
    }

    // ---- citations ----

    /// <summary>
    /// The full text of citation <paramref name="id"/> from the catalog, or null when it may not be
    /// presented here: an UNVERIFIED citation is never sent outside the practice, and is marked
    /// inside it.
    /// </summary>
    public string? Authority(string? id)
    {
        if (id is null)
        {
            return null;
        }
        var citation = context.Law.Catalog.Get(id);
        if (citation.Status == VerificationStatus.Unverified && audience == Audience.Outside)
        {
            return null;
        }
        _cited.Add(id);
        return citation.Status == VerificationStatus.Unverified ? citation.Text + UnverifiedMark : citation.Text;
    }

    /// <summary>True when the determination relied on <paramref name="id"/>.</summary>
    public bool Relies(string? id) => id is not null && Determination.Citations.Contains(id, StringComparer.Ordinal);

    /// <summary>The determination's citations not yet mentioned that may be presented here.</summary>
    public IReadOnlyList<string> Unmentioned() =>
        Determination
            .Citations.Where(id => !_cited.Contains(id))
            .Where(id => audience == Audience.Internal || context.Law.Catalog.Get(id).Status != VerificationStatus.Unverified)
            .ToArray();

    /// <summary>In a letter: one sentence naming the authorities relied on that the letter has not cited yet.</summary>
    public void RemainingAuthorities(string lead)
    {
        var rest = Unmentioned().Select(id => Authority(id)!).ToList();
        if (rest.Count > 0)
        {
            Para($"{lead} {string.Join("; ", rest)}.");
        }
    }

    /// <summary>In an internal record: every citation the determination relied on, with its verification status.</summary>
    public void AuthorityList(string heading)
    {
        Heading(heading);
        var items = new List<IReadOnlyList<Inline>>();
        foreach (var id in Determination.Citations)
        {
            var citation = context.Law.Catalog.Get(id);
            _cited.Add(id);
            items.Add(
                Line(
                    B(citation.Text),
                    $" ({citation.StatusLabel}). {citation.Summary}",
                    citation.Status == VerificationStatus.Unverified ? It(UnverifiedMark.Trim()) : null
                )
            );
        }
        if (items.Count == 0)
        {
            Para("None.");
            return;
        }
        _blocks.Add(new ListBlock(items));
    }

    // ---- blocks ----

    public void Add(Block block) => _blocks.Add(block);

    public void Title(string text, string? subtitle = null) => _blocks.Add(new TitleBlock(text, subtitle));

    public void Heading(string text) => _blocks.Add(new Heading(text));

    public void Para(params object?[] parts) => _blocks.Add(new Paragraph(Line(parts)));

    public void Compact(params object?[] parts) => _blocks.Add(new Paragraph(Line(parts), ParagraphStyle.Compact));

    public void Small(params object?[] parts) => _blocks.Add(new Paragraph(Line(parts), ParagraphStyle.Small));

    public void Boxed(params object?[] parts) => _blocks.Add(new Paragraph(Line(parts), ParagraphStyle.Boxed));

    public void Space() => _blocks.Add(new Spacer());

    /// <summary>"Label: value" on one compact line.</summary>
    public void Field(string label, params object?[] value) => Compact([B(label + ": "), .. value]);

    /// <summary>A form line to tick.</summary>
    public void Tick(bool ticked, params object?[] text) => Compact([new Checkbox(ticked), " ", .. text]);

    public void Bullets(IEnumerable<IReadOnlyList<Inline>> items) => AddList(items, numbered: false);

    public void Numbered(IEnumerable<IReadOnlyList<Inline>> items) => AddList(items, numbered: true);

    private void AddList(IEnumerable<IReadOnlyList<Inline>> items, bool numbered)
    {
        var list = items.ToArray();
        if (list.Length > 0)
        {
            _blocks.Add(new ListBlock(list, numbered));
        }
    }

    public void Signature(params IReadOnlyList<Inline>[] caption) => _blocks.Add(new SignatureLine(caption));

    /// <summary>A line to sign with a line beside it for the date.</summary>
    public void SignatureAndDate(string caption, params object?[] signer) =>
        _blocks.Add(new SignatureLine([Line([caption, .. signer])], Line("Date")));

    /// <summary>A multi-line detail on one line, its lines joined by commas, or one marked blank.</summary>
    public static IReadOnlyList<Inline> FillInline(string? value, string hint) =>
        FillLines(value, hint).SelectMany((line, i) => i == 0 ? line : line.Prepend(new TextRun(", "))).ToArray();

    // ---- letter pieces ----

    /// <summary>The practice's letterhead: name, address, clinician and license, then a rule.</summary>
    public void Letterhead()
    {
        Inline[] name = string.IsNullOrWhiteSpace(Details.PracticeName) ? Blank("practice name") : [B(Clean(Details.PracticeName))];
        _blocks.Add(new Paragraph(name, ParagraphStyle.Centered));
        foreach (var line in FillLines(Details.PracticeAddress, "practice address"))
        {
            _blocks.Add(new Paragraph(line, ParagraphStyle.Centered));
        }
        _blocks.Add(new Paragraph(Line(ClinicianName(), ", ", License()), ParagraphStyle.Centered));
        _blocks.Add(new Rule());
    }

    public Inline[] ClinicianName() => Fill(Details.ClinicianName, "clinician's name");

    public Inline[] License() =>
        string.IsNullOrWhiteSpace(Details.ClinicianLicense)
            ? Blank("license type and number")
            : [new TextRun(Clean(Details.ClinicianLicense))];

    public Inline[] PracticeName() => Fill(Details.PracticeName, "practice name");

    public void DateLine()
    {
        Compact(Vocabulary.Date(context.Date));
        Space();
    }

    /// <summary>The requester's name and address.</summary>
    public void Recipient()
    {
        Compact(Fill(Details.RequesterName, "recipient's name"));
        foreach (var line in FillLines(Details.RequesterAddress, "recipient's address"))
        {
            Compact(line);
        }
        Space();
    }

    /// <summary>The case the request belongs to, when there is one (or the request named one).</summary>
    public void CaseLines()
    {
        if (Request.Proceeding is null && Details.CaseCaption is null && Details.CaseNumber is null && Details.Court is null)
        {
            return;
        }
        Field("Case", Fill(Details.CaseCaption, "case caption"));
        Field("Case No.", Fill(Details.CaseNumber, "case number"));
        Field("Court", Fill(Details.Court, "court"));
    }

    public void ReferenceLine()
    {
        if (!string.IsNullOrWhiteSpace(Details.Reference))
        {
            Field("Your reference", Clean(Details.Reference));
        }
    }

    /// <summary>The case as a phrase: "Doe v. Roe, No. 24-1, in the Superior Court" with blanks where unknown.</summary>
    public IReadOnlyList<Inline> CasePhrase() =>
        Line(Fill(Details.CaseCaption, "case caption"), ", Case No. ", Fill(Details.CaseNumber, "case number"), ", ", Fill(Details.Court, "court"));

    public string Salutation() =>
        !string.IsNullOrWhiteSpace(Details.RequesterName) ? $"Dear {Clean(Details.RequesterName)}:"
        : Request.Requester == Requester.Attorney ? "Dear Counsel:"
        : Request.Requester == Requester.Court ? "To the Court:"
        : "To whom it may concern:";

    /// <summary>"Sincerely," and the clinician's signature block.</summary>
    public void Closing(string valediction = "Sincerely,")
    {
        Space();
        Compact(valediction);
        var profession = Words.Profession(Request.Clinician.Profession);
        Signature(Line(ClinicianName()), Line(char.ToUpperInvariant(profession[0]) + profession[1..], ", ", License()), Line(PracticeName()));
    }

    /// <summary>"received on November 3, 2026" or nothing.</summary>
    public string Received(string prefix = ", received on ") => Request.ReceivedOn is { } d ? prefix + Vocabulary.Date(d) : "";

    /// <summary>The requester's name, or who they are.</summary>
    public string RequesterPhrase() =>
        string.IsNullOrWhiteSpace(Details.RequesterName) ? Words.Requester(Request.Requester) : Clean(Details.RequesterName);

    /// <summary>The document, titled with its kind's name (<see cref="Vocabulary.Long(DocumentKind)"/>).</summary>
    public DocumentModel Build(DocumentKind kind) =>
        new(
            kind,
            Confide.Core.Wire<DocumentKind>.Name(kind),
            Vocabulary.Long(kind),
            audience == Audience.Internal ? "CONFIDENTIAL: INTERNAL RECORD, NOT FOR DISCLOSURE" : "CONFIDENTIAL",
            new PageLabel("Page ", " of "),
            _blocks.ToArray()
        );
}
