using Confide.Core;
using System.Globalization;
using System.Text;
using Confide.Core.Disclosure;

namespace Confide.Documents;

/// <summary>One line of an accounting or of the practice's disclosure log.</summary>
/// <param name="Entry">The disclosure.</param>
/// <param name="Client">The client it concerns, as the practice log names them (an identifier).</param>
/// <param name="DisclosedBy">Who made it.</param>
/// <param name="Sha256">The SHA-256 of the file sent, lower-case hex, if any.</param>
public sealed record AccountingLine(DisclosureEntry Entry, string Client, string DisclosedBy, string? Sha256);

/// <summary>
/// The accounting of disclosures (45 C.F.R. § 164.528) a client may ask for, and the practice's own
/// log of every disclosure, as a document (rendered by the same PDF renderer as the letters) and as
/// CSV (RFC 4180, safe to open in a spreadsheet). The selection is Core's
/// (<see cref="Accounting.ForClient"/>); this only lays out what it is given.
/// </summary>
public static class AccountingReport
{
    /// <summary>The CSV columns, in order.</summary>
    public static readonly IReadOnlyList<string> Columns =
        ["date", "client", "recipient", "recipient_address", "description", "purpose", "basis", "accounting_rule", "disclosed_by", "packet_sha256", "entry_id", "corrects_entry"];

    /// <summary>The lines as CSV: a header row, CRLF line ends, every field quoted, cells that a spreadsheet would run as a formula made text.</summary>
    public static string Csv(IEnumerable<AccountingLine> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var sb = new StringBuilder();
        Row(sb, Columns);
        foreach (var l in lines)
        {
            var e = l.Entry;
            Row(
                sb,
                [
                    e.DisclosedOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    l.Client,
                    e.Recipient,
                    e.RecipientAddress ?? "",
                    e.Description,
                    e.Purpose,
                    BasisName(e.Basis),
                    Accounting.Rule(e.Basis),
                    l.DisclosedBy,
                    l.Sha256 ?? "",
                    e.Id.ToString("D"),
                    e.Corrects?.ToString("D") ?? "",
                ]
            );
        }
        return sb.ToString();
    }

    /// <summary>
    /// One CSV field: quoted (RFC 4180: a quote doubled), and, when it begins with a character a
    /// spreadsheet reads as the start of a formula (= + - @, tab, carriage return), prefixed with an
    /// apostrophe so it is shown as text and never evaluated (OWASP CSV injection).
    /// </summary>
    public static string Field(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' or '\n')
        {
            value = "'" + value;
        }
        return "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }

    private static void Row(StringBuilder sb, IReadOnlyList<string> fields)
    {
        for (var i = 0; i < fields.Count; i++)
        {
            if (i > 0)
            {
                sb.Append(',');
            }
            sb.Append(Field(fields[i]));
        }
        sb.Append("\r\n");
    }

    /// <summary>The basis in a few words.</summary>
    public static string BasisName(DisclosureBasis basis) =>
        basis switch
        {
            DisclosureBasis.CourtOrder => "court order",
            DisclosureBasis.Subpoena => "subpoena",
            DisclosureBasis.AbuseReport => "mandated abuse report",
            DisclosureBasis.SeriousThreat => "serious threat to health or safety",
            DisclosureBasis.ClientAuthorization => "client's authorization",
            DisclosureBasis.ToClient => "to the client",
            DisclosureBasis.TreatmentPaymentOperations => "treatment, payment or operations",
            DisclosureBasis.InvolvedInCare => "person involved in care",
            DisclosureBasis.NationalSecurity => "national security",
            DisclosureBasis.Custody => "correctional custody",
            DisclosureBasis.LimitedDataSet => "limited data set",
            _ => throw new ArgumentOutOfRangeException(nameof(basis), basis, "unknown disclosure basis"),
        };

    /// <summary>
    /// A client's accounting as a document: the period, the practice, then each disclosure with the
    /// four things § 164.528(b)(2) asks for (date; recipient and address; what; purpose or basis).
    /// </summary>
    public static DocumentModel ClientAccounting(string practice, string client, DateOnly requestedOn, IReadOnlyList<AccountingLine> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var from = requestedOn.AddYears(-Accounting.Years);
        var blocks = new List<Block>
        {
            new TitleBlock("Accounting of disclosures", "45 C.F.R. § 164.528"),
            new Paragraph([new TextRun("Practice: ", Bold: true), new TextRun(practice)], ParagraphStyle.Compact),
            new Paragraph([new TextRun("Client: ", Bold: true), new TextRun(client)], ParagraphStyle.Compact),
            new Paragraph([new TextRun("Period: ", Bold: true), new TextRun($"{Vocabulary.Date(from)} to {Vocabulary.Date(requestedOn)}")], ParagraphStyle.Compact),
            new Spacer(),
            new Paragraph(
                [
                    new TextRun(
                        "This lists the disclosures of your health information that the law requires us to account for, made in the six years before the date above. "
                            + "As the rule provides, it leaves out disclosures to you, those you authorized in writing, and those for your treatment, payment for it and our operations, among others (45 C.F.R. § 164.528(a)(1))."
                    ),
                ]
            ),
        };
        AddLines(blocks, lines, withClient: false);
        return new DocumentModel(null, "accounting-of-disclosures", "Accounting of disclosures", "CONFIDENTIAL", new PageLabel("Page ", " of "), blocks);
    }

    /// <summary>The practice's log of every disclosure, accounted for or not, with what decides each.</summary>
    public static DocumentModel PracticeLog(string practice, DateOnly printedOn, IReadOnlyList<AccountingLine> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var blocks = new List<Block>
        {
            new TitleBlock("Disclosure log", "Every disclosure recorded, including those a client's accounting leaves out"),
            new Paragraph([new TextRun("Practice: ", Bold: true), new TextRun(practice)], ParagraphStyle.Compact),
            new Paragraph([new TextRun("Printed: ", Bold: true), new TextRun(Vocabulary.Date(printedOn))], ParagraphStyle.Compact),
            new Spacer(),
        };
        AddLines(blocks, lines, withClient: true);
        return new DocumentModel(null, "disclosure-log", "Disclosure log", "CONFIDENTIAL: INTERNAL RECORD, NOT FOR DISCLOSURE", new PageLabel("Page ", " of "), blocks);
    }

    private static void AddLines(List<Block> blocks, IReadOnlyList<AccountingLine> lines, bool withClient)
    {
        if (lines.Count == 0)
        {
            blocks.Add(new Paragraph([new TextRun("No disclosures in this period.", Italic: true)]));
            return;
        }
        var n = 0;
        foreach (var l in lines)
        {
            var e = l.Entry;
            blocks.Add(new Heading($"{++n}. {Vocabulary.Date(e.DisclosedOn)}: {e.Recipient}"));
            var fields = new List<(string, string)>();
            if (withClient)
            {
                fields.Add(("Client", l.Client));
            }
            fields.Add(("Recipient's address", e.RecipientAddress ?? "not known"));
            fields.Add(("What was disclosed", e.Description));
            fields.Add(("Purpose and basis", e.Purpose));
            if (withClient)
            {
                fields.Add(("Basis", $"{BasisName(e.Basis)} ({Accounting.Rule(e.Basis)})"));
                fields.Add(("Disclosed by", l.DisclosedBy));
                if (l.Sha256 is not null)
                {
                    fields.Add(("Packet SHA-256", l.Sha256));
                }
                if (e.Corrects is { } c)
                {
                    fields.Add(("Corrects entry", c.ToString("D")));
                }
                fields.Add(("Entry", e.Id.ToString("D")));
            }
            foreach (var (label, value) in fields)
            {
                blocks.Add(new Paragraph([new TextRun(label + ": ", Bold: true), new TextRun(value)], ParagraphStyle.Compact));
            }
            blocks.Add(new Spacer());
        }
    }
}
