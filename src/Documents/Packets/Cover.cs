using System.Globalization;
using Confide.Core;
using Confide.Core.Requests;
using Confide.Core.Triage;

namespace Confide.Documents.Packets;

/// <summary>The cover sheet: basis, scope, recipient, contents and the redisclosure notice.</summary>
internal static class Cover
{
    public static IEnumerable<Block> Blocks(PacketRequest request, IReadOnlyList<PacketItem> included, PacketOptions options)
    {
        yield return new TitleBlock("Disclosure of health information", "Confidential records released by " + request.Practice);
        yield return Field("To", request.Recipient);
        yield return Field("From", $"{request.DisclosedBy}, {request.Practice}");
        yield return Field("Date", Vocabulary.Date(request.DisclosedOn));
        if (!string.IsNullOrWhiteSpace(request.ClientName))
        {
            yield return Field("Client", request.ClientName);
        }
        yield return new Spacer();

        yield return new Heading("Basis for this disclosure");
        yield return Para(BasisName(request.Basis) + ": " + request.BasisText);

        yield return new Heading("Scope");
        var categories = request.Disclose.ToArray().Select(Vocabulary.Long).ToList();
        yield return Para("Categories of records: " + (categories.Count == 0 ? "none" : string.Join("; ", categories)) + ".");
        yield return Para("Dates: " + (request.Range is { } range ? Vocabulary.Period(range) : "all dates the " + InstrumentNoun(request.Basis) + " covers") + ".");
        if (!string.IsNullOrWhiteSpace(request.ScopeText))
        {
            yield return Para(request.ScopeText);
        }

        yield return new Heading("Contents");
        var typedRedactions = included.OfType<TypedItem>().Any(t => t.Redactions.Any(r => r.Length > 0));
        var withheld = included.OfType<AttachmentItem>().Any(a => a.WithheldPages is { Count: > 0 });
        var blackedOut = included.OfType<AttachmentItem>().Any(a => a.Regions is { Count: > 0 });
        yield return Para(
            $"{included.Count} item{(included.Count == 1 ? "" : "s")}, each beginning on a new page. Every page carries a Bates number, starting with {options.Bates(0)} on this page. The manifest supplied with this packet lists each item with its pages and the packet's SHA-256 checksum."
                + (typedRedactions ? $" Where the text \"{TypedContent.Marker}\" appears, information about another person was removed." : "")
                + (withheld ? " Pages of uploaded documents that were withheld are replaced by a page saying so, which keeps their Bates number." : "")
                + (blackedOut ? " On pages of uploaded documents reproduced as images, black areas mark information that was removed." : "")
        );
        var n = 0;
        foreach (var item in included)
        {
            n++;
            yield return new Paragraph(
                [
                    new TextRun(n.ToString(CultureInfo.InvariantCulture) + ". "),
                    new TextRun(item.Title, Bold: true),
                    new TextRun(" \u2014 " + Vocabulary.Long(item.Category) + (item.Date is { } d ? ", " + Vocabulary.Date(d) : "")),
                ],
                ParagraphStyle.Compact
            );
        }

        yield return new Heading("Limits on redisclosure");
        yield return new Paragraph([new TextRun(RedisclosureNotice(request.Basis))], ParagraphStyle.Boxed);
        if (included.Any(i => i.Category == Category.SudRecords))
        {
            yield return new Heading("Notice required by 42 C.F.R. \u00a7 2.32");
            yield return new Paragraph(
                [
                    new TextRun(Part2Notice.ShortForm + " ", Bold: true),
                    new TextRun(Part2Notice.Explanation),
                ],
                ParagraphStyle.Boxed
            );
        }
    }

    public static string BasisName(Outcome basis) =>
        basis switch
        {
            Outcome.ComplyWithOrder => "Court order",
            Outcome.DiscloseWithAuthorization => "The client's written authorization",
            Outcome.ClientAccess => "The client's request for access to their own records",
            _ => throw new ArgumentException($"outcome {basis} does not disclose records", nameof(basis)),
        };

    private static string InstrumentNoun(Outcome basis) =>
        basis switch
        {
            Outcome.ComplyWithOrder => "order",
            Outcome.DiscloseWithAuthorization => "authorization",
            _ => "request",
        };

    private static string RedisclosureNotice(Outcome basis) =>
        basis switch
        {
            Outcome.ComplyWithOrder =>
                "These records are confidential mental health information produced under court order for use in the proceeding the order names only. Please keep them confidential, do not use or disclose them for any other purpose, and return or destroy them when the matter ends.",
            Outcome.DiscloseWithAuthorization =>
                "Information disclosed under an authorization may be redisclosed by its recipient and may then no longer be protected by federal privacy law. This practice therefore asks that you use these records only for the purpose the authorization states and disclose them to no one else, except as the law requires.",
            _ =>
                "These are your own records, provided at your request. Once they leave this practice, federal privacy law no longer protects the copy you hold: keep them somewhere safe, and share them only with people you choose.",
        };

    private static Paragraph Field(string name, string value) =>
        new([new TextRun(name + ": ", Bold: true), new TextRun(string.Join(", ", value.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))], ParagraphStyle.Compact);

    private static Paragraph Para(string text) => new([new TextRun(text)]);
}
