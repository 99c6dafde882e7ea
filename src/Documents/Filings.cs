using Confide.Core;
using Confide.Core.Requests;
using Confide.Core.Triage;
using static Confide.Documents.Composition;

namespace Confide.Documents;

/// <summary>The papers counsel files or serves in the proceeding: the order-clarification request and the privilege log.</summary>
public static partial class DocumentComposer
{
    // ---------------------------------------------------------------- order-clarification-request

    private static DocumentModel OrderClarificationRequest(DocumentContext context)
    {
        var c = new Composition(context, Audience.Outside);
        var r = c.Request;
        var d = c.Details;
        var childCase = r.Proceeding?.Kind is ProceedingKind.Custody or ProceedingKind.ChildProtection;
        var jurisdiction = c.Determination.Profile.Jurisdiction;
        var records = Vocabulary.Phrase(r.Requested, "records");

        CourtCaption(c);
        c.Title("Request to Clarify and Narrow the Order for Mental Health Records", "Filed before the date for compliance");
        c.Field("Patient", Fill(d.ClientName, "patient's name"));
        c.Field("Records held by", c.ClinicianName(), ", ", c.PracticeName());
        c.Field("Filed by", Blank("counsel's name"), ", counsel for ", Blank("the patient or the records holder"));
        c.Small(
            "Filed by counsel before the deadline. Without counsel, the records holder sends it to the court directly, with a copy to every party."
        );
        c.Space();

        c.Para(
            Line(
                "The Court's order dated ",
                Blank("date of the order"),
                $", received{c.Received(" on ")}, directs the disclosure of {records} concerning the patient named above",
                OrderGaps(r.Order, childCase),
                "."
            )
        );
        c.Para(PrivilegeLaw(c) + " " + EthicsSentence(c));
        c.Para("So that any disclosure is no broader than the Court intends, the records holder respectfully asks the Court, before the date for compliance, to:");
        var asks = new List<IReadOnlyList<Inline>> { Line("state the specific purpose for which the privilege is pierced") };
        if (childCase)
        {
            asks.Add(Line("find whether the records are necessary to determine the best interests of the child"));
        }
        if (jurisdiction == "US-NC" && c.Profile.OrderFinding is { } finding)
        {
            var cite = finding.Citations.FirstOrDefault() is { } id && c.Relies(id) ? c.Authority(id) : null;
            asks.Add(Line("find that disclosure is necessary to a proper administration of justice", cite is null ? "" : $" ({cite})"));
        }
        if (jurisdiction == "US-MA" && r.Proceeding?.Kind == ProceedingKind.Custody)
        {
            asks.Add(Line("hold the hearing that G.L. c. 233, 20B(e) requires before the custody exception applies, and review the records personally, in chambers, rather than through a guardian ad litem"));
        }
        asks.Add(Line("narrow the order to the records that purpose needs, by category and date range"));
        asks.Add(Line("order that anything disclosed be filed under seal or kept subject to a protective order, and first review the records in camera to decide what, if anything, reaches the parties"));
        c.Numbered(asks.Select((item, i) => Line(item, i == asks.Count - 1 ? "." : i == asks.Count - 2 ? "; and" : ";")));
        c.Boxed(
            Line(
                B("This request does not suspend the order. "),
                "Unless the Court changes the order by ",
                r.RespondBy is { } due ? Vocabulary.Date(due) : Blank("date for compliance"),
                ", only what the order requires will be produced, by that date, and no more."
            )
        );
        c.RemainingAuthorities("Other authority:");
        c.Space();
        c.Compact("Respectfully submitted,");
        c.Signature(Line(Blank("counsel's name")), Line("Counsel for ", Blank("the patient or the records holder")), Line(Blank("address and telephone")));
        c.Space();
        c.Small("Copies to: all parties and counsel of record; the patient, through counsel if represented.");
        return c.Build(DocumentKind.OrderClarificationRequest);
    }

    // ---------------------------------------------------------------- privilege-log

    private static DocumentModel PrivilegeLog(DocumentContext context)
    {
        var c = new Composition(context, Audience.Outside);
        var r = c.Request;
        var det = c.Determination;
        var withheld = det.Withheld.IsEmpty ? r.Requested : det.Withheld;

        CourtCaption(c);
        var rule = c.Authority("frcp-45") ?? "Fed. R. Civ. P. 45(e)(2)(A)";
        c.Title(Vocabulary.Long(DocumentKind.PrivilegeLog), $"Served through counsel under {rule}");
        c.Field("Responding party", c.ClinicianName(), ", ", c.PracticeName());
        c.Field("Served by", Blank("counsel's name"), ", counsel for the responding party");
        c.Field("Subpoena served on", r.ReceivedOn is { } received ? Vocabulary.Date(received) : Blank("date of service"));
        c.Field("Written objection served by", det.ObjectBy is { } objectBy ? B(Vocabulary.Date(objectBy)) : Blank("date of the objection"));
        c.Space();
        c.Para(
            "The responding party withholds the documents described below as privileged. This log describes them by category and date range only, so that the parties can assess the claim without the log revealing any privileged information: it states nothing of what any communication or record says."
        );
        c.Para(PrivilegeLaw(c));

        c.Heading("Documents withheld");
        c.Numbered(
            withheld
                .ToArray()
                .Select(category =>
                    Line(
                        B(Vocabulary.Short(category)),
                        ": dated ",
                        Blank("first date"),
                        " to ",
                        Blank("last date"),
                        "; ",
                        Blank("number of pages"),
                        " pages; author: ",
                        c.ClinicianName(),
                        "; privilege claimed: psychotherapist-patient privilege."
                    )
                )
        );
        c.Para("Content is never described here. Nothing withheld will be produced without the written authorization of the holder of the privilege or an order of the court.");
        c.RemainingAuthorities("Other authority:");
        c.Space();
        c.SignatureAndDate("Counsel for the responding party: ", Blank("counsel's name"));
        return c.Build(DocumentKind.PrivilegeLog);
    }

    /// <summary>The court and the case, as at the head of a paper filed or served in it.</summary>
    private static void CourtCaption(Composition c)
    {
        c.Compact(B("In the "), Fill(c.Details.Court, "court"));
        c.Field("Case", Fill(c.Details.CaseCaption, "case caption"));
        c.Field("Case No.", Fill(c.Details.CaseNumber, "case number"));
        c.Space();
    }
}
