using Confide.Core;
using Confide.Core.Law;
using Confide.Core.Triage;
using static Confide.Documents.Composition;

namespace Confide.Documents;

public static partial class DocumentComposer
{
    // ---------------------------------------------------------------- mandated-report-worksheet

    private static DocumentModel MandatedReportWorksheet(DocumentContext context)
    {
        var c = new Composition(context, Audience.Internal);
        var reporting = c.Profile.Reporting ?? c.Law.Baseline.Reporting!;
        var d = c.Details;

        c.Letterhead();
        c.Title(Vocabulary.Long(DocumentKind.MandatedReportWorksheet), "For the practice's file: the report itself shares only the facts it needs, never the record");

        c.Heading("Where and when to report");
        c.Field("Jurisdiction", $"{c.Profile.Name} ({c.Determination.Profile.Jurisdiction})");
        c.Field("Report to", reporting.Agency);
        c.Field("Deadline", reporting.Deadline);
        c.Field("Reporting law", c.Authority(reporting.Citations.FirstOrDefault()) ?? "the state's reporting statute (no state profile: check it)");
        c.Field("Prepared on", Vocabulary.Date(context.Date));
        c.Space();
        c.Para(
            $"Privilege does not stop a mandated report, and federal privacy rules permit it ({c.Authority("hipaa-164.512-b")}). Report only what the law requires: the facts that give rise to the suspicion, not the treatment record."
        );

        c.Heading("Reporter");
        c.Field("Name", c.ClinicianName());
        c.Field("Profession and license", Words.Profession(c.Request.Clinician.Profession), ", ", c.License());
        c.Field("Practice", c.PracticeName());
        c.Field("Telephone", Blank("telephone"));
        c.Space();

        c.Heading("The report");
        c.Field("Oral report made on", Blank("date"), " at ", Blank("time"));
        c.Field("Agency and person who took it", Blank("agency and intake worker's name"));
        c.Field("Reference number", Blank("reference number"));
        c.Field("Written report sent on", Blank("date"), " (see the deadline above)");
        c.Space();

        c.Heading("Only the facts the report needs");
        c.Field("Child's name", Blank("child's name"));
        c.Field("Age or date of birth", Blank("age or date of birth"));
        c.Field("Where the child is now", Blank("address or location"));
        c.Field("Parent or caregiver", Blank("name and contact"));
        c.Field("Person suspected, if known, and relationship to the child", Blank("name and relationship"));
        c.Field("Client whose care the information came from", Fill(d.ClientName, "client's name"));
        c.Compact(B("What was observed or disclosed, in the words used (facts only): "), Blank("facts"));
        c.Compact(Blank("facts, continued"));
        c.Field("When and where it happened, if known", Blank("date and place"));
        c.Field("Immediate danger to the child", Blank("yes or no, and why"));
        c.Space();
        c.Boxed(
            B("Leave out: "),
            "diagnoses, session content and history unrelated to the suspected abuse, psychotherapy notes, test data, and substance use disorder records. A report does not waive the privilege over the rest of the record, and SUD records stay protected under 42 C.F.R. Part 2 even after a report."
        );

        StepsWarningsAuthoritiesAndSignature(c, "Reporter's signature: ");
        return c.Build(DocumentKind.MandatedReportWorksheet);
    }

    // ---------------------------------------------------------------- duty-to-protect-record

    private static DocumentModel DutyToProtectRecord(DocumentContext context)
    {
        var c = new Composition(context, Audience.Internal);
        var duty = c.Profile.DutyFor(c.Request.Clinician.Profession) ?? c.Law.Baseline.DutyFor(c.Request.Clinician.Profession)!;
        var d = c.Details;

        c.Letterhead();
        c.Title(Vocabulary.Long(DocumentKind.DutyToProtectRecord), "For the practice's file: the threat, the assessment, whom you told, when and why");

        c.Heading("The rule here");
        c.Field("Jurisdiction", $"{c.Profile.Name} ({c.Determination.Profile.Jurisdiction})");
        c.Field(
            "Duty",
            duty.Duty switch
            {
                DutyKind.Mandatory => "mandatory: the clinician must act",
                DutyKind.Permissive => "permissive: the clinician may disclose to protect, but is not required to",
                DutyKind.None => "none recognized for this profession: a disclosure rests only on HIPAA's permission",
                DutyKind.Varies => "not known here: state law varies and no state rule applies",
            }
        );
        c.Field("State law", c.Authority(duty.Citations.FirstOrDefault()) ?? "no state profile: check the state's law");
        c.Field("Prepared on", Vocabulary.Date(context.Date));
        c.Space();
        c.Para(duty.Summary);
        c.Para(
            $"The protective privilege ends where the public peril begins ({c.Authority("tarasoff")}). Federal privacy rules permit a good-faith disclosure, to a person reasonably able to prevent or lessen a serious and imminent threat to the health or safety of a person or the public ({c.Authority("hipaa-164.512-j")}). Disclose only what is needed to prevent the harm."
        );

        c.Heading("The threat");
        c.Field("Client", Fill(d.ClientName, "client's name"));
        c.Field("Clinician", c.ClinicianName(), ", ", c.License());
        c.Field("Communicated on", Blank("date"), " at ", Blank("time"), ", in ", Blank("session, call or other"));
        c.Compact(B("The threat, in the client's words: "), Blank("words used"));
        c.Field("Intended victim", Blank("name, or how the victim is identifiable"));
        c.Field("Victim's contact details", Blank("address and telephone"));
        c.Space();

        c.Heading("Assessment");
        c.Field("Intent and plan", Blank("intent and plan"));
        c.Field("Means, including access to weapons", Blank("means"));
        c.Field("History of violence", Blank("history"));
        c.Field("Protective factors", Blank("protective factors"));
        c.Field("Consultation (with whom, when, what was advised)", Blank("consultation"));
        c.Field("Clinical judgment of the risk", Blank("judgment"));
        c.Space();

        c.Heading("Actions taken");
        c.Tick(false, "Warned the intended victim on ", Blank("date and time"), " by ", Blank("means"));
        c.Tick(false, "Notified law enforcement: ", Blank("agency, officer and report number"));
        c.Tick(false, "Increased sessions or made a safety plan with the client");
        c.Tick(false, "Arranged voluntary or involuntary hospitalization: ", Blank("where and when"));
        c.Tick(false, "Other: ", Blank("other action"));
        c.Field("What was disclosed, and to whom", Blank("only the threat, who is at risk and what they need to act"));
        c.Field("Why (or why no disclosure was made)", Blank("reasoning"));
        c.Space();

        StepsWarningsAuthoritiesAndSignature(c, "Clinician's signature: ");
        return c.Build(DocumentKind.DutyToProtectRecord);
    }

    // ---------------------------------------------------------------- protective-disclosure-record

    private static DocumentModel ProtectiveDisclosureRecord(DocumentContext context)
    {
        var c = new Composition(context, Audience.Internal);
        var d = c.Details;

        c.Letterhead();
        c.Title(Vocabulary.Long(DocumentKind.ProtectiveDisclosureRecord), "For the practice's file: a danger to the client themself, whom you told, what, when and why");

        c.Heading("The rule");
        c.Field("Jurisdiction", $"{c.Profile.Name} ({c.Determination.Profile.Jurisdiction})");
        c.Field("Prepared on", Vocabulary.Date(context.Date));
        c.Space();
        c.Para(
            $"Federal privacy rules permit a disclosure, in good faith, to a person reasonably able to prevent or lessen a serious and imminent threat to the health or safety of the client, including a family member ({c.Authority("hipaa-164.512-j")}). Tell only people who can act, and only what they need to act."
        );
        c.Para(
            "A disclosure is presumed to be in good faith when it rests on your actual knowledge or on a credible representation by a person with apparent knowledge or authority (45 CFR 164.512(j)(4)). Record that basis below."
        );

        c.Heading("The danger");
        c.Field("Client", Fill(d.ClientName, "client's name"));
        c.Field("Clinician", c.ClinicianName(), ", ", c.License());
        c.Field("Learned on", Blank("date"), " at ", Blank("time"), ", in ", Blank("session, call or other"));
        c.Compact(B("What the client said or did, in the words used: "), Blank("words used"));
        c.Field("Plan, means and access to them", Blank("plan and means"));
        c.Field("Clinical judgment of the risk", Blank("judgment"));
        c.Space();

        c.Heading("Who was told, what and when");
        c.Field("Who was told (name and relationship to the client)", Blank("name and relationship"));
        c.Field("Why that person can prevent or lessen the danger", Blank("reason"));
        c.Field("When", Blank("date"), " at ", Blank("time"), ", by ", Blank("telephone, in person or other"));
        c.Field("What was told (only what they needed to act)", Blank("what was said"));
        c.Field("Good-faith basis", Blank("actual knowledge, or whose credible representation"));
        c.Space();

        c.Heading("Mandatory reports and other actions");
        c.Tick(false, "A mandatory report was made: ", Blank("agency, date and reference number"));
        c.Tick(false, "No report was required here: ", Blank("why"));
        c.Tick(false, "Emergency services called: ", Blank("service, time and reference"));
        c.Tick(false, "Safety plan made with the client, or voluntary or involuntary hospitalization arranged: ", Blank("what and where"));
        c.Tick(false, "Logged for the accounting of disclosures (45 CFR 164.528): date, recipient, what was disclosed and the basis, 164.512(j)");
        c.Space();

        StepsWarningsAuthoritiesAndSignature(c, "Clinician's signature: ");
        return c.Build(DocumentKind.ProtectiveDisclosureRecord);
    }

    /// <summary>The closing of an internal record: the steps as a checklist, warnings, authorities, signature.</summary>
    private static void StepsWarningsAuthoritiesAndSignature(Composition c, string signatureLabel)
    {
        c.Heading("Steps");
        foreach (var step in c.Determination.Steps)
        {
            c.Tick(false, step);
        }
        c.Space();
        Warnings(c);
        c.AuthorityList("Authorities relied on");

        c.Heading("Signature");
        c.SignatureAndDate(signatureLabel, c.ClinicianName());
    }

    private static void Warnings(Composition c)
    {
        if (c.Determination.Warnings.Count == 0)
        {
            return;
        }
        c.Heading("Warnings");
        c.Bullets(c.Determination.Warnings.Select(w => Line(w)));
    }
}
