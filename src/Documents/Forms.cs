using Confide.Core;
using Confide.Core.Releases;
using Confide.Core.Requests;
using Confide.Core.Triage;
using static Confide.Documents.Composition;

namespace Confide.Documents;

public static partial class DocumentComposer
{
    /// <summary>The categories an ordinary authorization may release: psychotherapy notes and SUD records each need their own form.</summary>
    private static readonly Category[] GeneralCategories = Categories
        .All.Where(category => category is not (Category.PsychotherapyNotes or Category.SudRecords))
        .ToArray();

    // ---------------------------------------------------------------- authorization-form, psychotherapy-notes-authorization-form

    /// <summary>A HIPAA authorization with every core element and required statement of 45 CFR 164.508(c).</summary>
    private static DocumentModel HipaaAuthorizationForm(DocumentContext context, bool psychotherapyNotes)
    {
        var c = new Composition(context, Audience.Outside);
        var r = c.Request;
        var d = c.Details;
        var rule = c.Authority("hipaa-164.508");
        var title = psychotherapyNotes ? "Authorization to Disclose Psychotherapy Notes" : "Authorization to Use or Disclose Health Information";
        // 740 ILCS 110/5: an Illinois release states more rights and is witnessed.
        var illinois = c.Determination.Profile.Jurisdiction == "US-IL";

        c.Letterhead();
        c.Title(
            title,
            psychotherapyNotes
                ? $"A separate authorization for psychotherapy notes only ({c.Authority("hipaa-164.508-a2")})"
                : $"Prepared under {rule}"
        );
        PlainSummary(c);

        c.Heading("1. Client");
        c.Field("Client's name", Fill(d.ClientName, "client's name"));
        c.Field("Date of birth", Blank("date of birth"));
        c.Space();

        c.Heading("2. Who may disclose");
        c.Para(
            Line("I authorize ", c.ClinicianName(), ", ", c.PracticeName(), ", ", FillInline(d.PracticeAddress, "practice address"), ", to disclose the information described in section 4.")
        );

        c.Heading("3. Recipient");
        c.Field("Name", Fill(d.RequesterName, "recipient's name"));
        c.Field("Address", FillInline(d.RequesterAddress, "recipient's address"));
        c.Space();

        c.Heading("4. Information to be disclosed");
        if (psychotherapyNotes)
        {
            c.Tick(true, B(Vocabulary.Long(Category.PsychotherapyNotes)), " only: the notes the clinician named in section 2 recorded, in any form, documenting or analyzing the contents of conversation during private, joint, group or family counseling sessions, and kept separate from the rest of the record.");
            c.Small(
                "Psychotherapy notes do not include medication records, session start and stop times, the kinds and frequency of treatment, the results of clinical tests, or summaries of diagnosis, functional status, treatment plan, symptoms, prognosis and progress. Those are part of the ordinary record and need the general authorization form."
            );
        }
        else
        {
            c.Para("Only the information ticked below:");
            foreach (var category in GeneralCategories)
            {
                c.Tick(r.Requested.Contains(category), Vocabulary.Long(category));
            }
            c.Tick(false, "Other (describe specifically): ", Blank("description"));
            c.Space();
        }
        DatesCovered(c, "Dates of service covered");
        if (!psychotherapyNotes)
        {
            c.Small(
                "This authorization does not cover psychotherapy notes or substance use disorder records protected by 42 C.F.R. Part 2. Each of those requires a separate form of its own."
            );
        }

        c.Heading("5. Purpose");
        PurposeTicks(c);

        c.Heading("6. Expiration");
        if (c.Context.Release is { } release)
        {
            c.Para($"This authorization expires {ReleaseWords.Until(release)}. After that it can no longer be used.");
        }
        else
        {
            c.Para(
                Line(
                    "This authorization expires on ",
                    Blank("date"),
                    " or when the following event occurs, whichever comes first: ",
                    r.Proceeding is not null ? "the final conclusion of the legal proceeding named in section 5." : Blank("event")
                )
            );
        }

        c.Heading("7. Your rights");
        var rights = new List<IReadOnlyList<Inline>>
        {
            Line(
                B("You may revoke this authorization"),
                " at any time by writing to ",
                c.PracticeName(),
                " at ",
                FillInline(d.PracticeAddress, "practice address"),
                ". A revocation must be in writing. It takes effect when we receive it and does not undo anything we disclosed in reliance on this authorization before then. Our Notice of Privacy Practices describes your rights further."
            ),
            Line(
                B("Your treatment will not be conditioned on signing."),
                " We will not condition your treatment, payment, enrollment in a health plan or eligibility for benefits on whether you sign this authorization. You may refuse to sign it."
            ),
            Line(
                B("Information disclosed may be redisclosed."),
                " Information disclosed under this authorization may be redisclosed by the recipient and may then no longer be protected by federal privacy law."
            ),
            Line(B("You will receive a copy"), " of this authorization once it is signed."),
        };
        if (illinois)
        {
            rights.Add(Line(B("You may inspect and copy the information to be disclosed"), " before it is disclosed."));
            rights.Add(
                Line(
                    B("If you refuse to sign,"),
                    " the information will not be disclosed under this authorization. Any other consequence of refusing: ",
                    Blank("none, or the consequence"),
                    "."
                )
            );
            rights.Add(Line(B("This authorization expires"), " on the date or event stated in section 6, unless you revoke it sooner."));
        }
        if (psychotherapyNotes)
        {
            rights.Add(
                Line(
                    B("This authorization stands alone."),
                    " It is for psychotherapy notes only. Federal law does not allow it to be combined with an authorization for any other information; it may be combined only with another authorization for psychotherapy notes."
                )
            );
        }
        c.Bullets(rights);

        c.Heading("8. Signature");
        c.Para("I have read this authorization, I understand it, and I sign it voluntarily.");
        if (SignedRelease(c))
        {
            c.Small($"Authority: {rule}.");
            return c.Build(psychotherapyNotes ? DocumentKind.PsychotherapyNotesAuthorizationForm : DocumentKind.AuthorizationForm);
        }
        c.SignatureAndDate("Signature of client or personal representative");
        c.Field("Printed name", Blank("printed name"));
        c.Compact(
            "If a personal representative signs, their authority to act for the client (for example, parent of a minor, guardian, or agent under a health care power of attorney): ",
            Blank("description of authority")
        );
        if (illinois)
        {
            c.SignatureAndDate("Signature of witness, who attests to the signer's identity");
            c.Field("Witness's printed name", Blank("witness's printed name"));
        }
        c.Space();

        ClinicianReview(c);
        var illinoisRule = illinois ? c.Authority("il-740-110-5") : null;
        c.Small(
            $"Authority: {rule}{(psychotherapyNotes ? $"; {c.Authority("hipaa-164.508-a2")}" : "")}{(illinoisRule is null ? "" : $"; {illinoisRule}")}."
        );
        return c.Build(psychotherapyNotes ? DocumentKind.PsychotherapyNotesAuthorizationForm : DocumentKind.AuthorizationForm);
    }

    /// <summary>The purpose lines: the proceeding (ticked) when there is one, the client's own request, or another stated purpose.</summary>
    private static void PurposeTicks(Composition c)
    {
        if (c.Context.Release is { } release)
        {
            c.Tick(release.Purpose == ReleasePurpose.AtClientRequest, "At my request.");
            if (!string.IsNullOrWhiteSpace(release.PurposeDescription))
            {
                c.Tick(true, "Purpose: ", Clean(release.PurposeDescription), ", and for no other purpose.");
            }
            c.Space();
            return;
        }
        if (c.Request.Proceeding is not null)
        {
            c.Tick(true, "For use in the legal proceeding ", c.CasePhrase(), ", and for no other purpose.");
        }
        c.Tick(false, "At my request.");
        c.Tick(false, "Other purpose (describe): ", Blank("purpose"));
        c.Space();
    }

    /// <summary>The clinician's confirmation that the client understood what the release shares (the seed's advice, and the rule's "understanding confirmed").</summary>
    private static void ClinicianReview(Composition c)
    {
        c.Heading("For the practice");
        c.Para("I reviewed this form with the client: what it will release, to whom, for what purpose and until when. The client told me they understand it.");
        c.SignatureAndDate("Clinician's signature: ", c.ClinicianName());
        c.Compact("Copy given to the client on ", Blank("date"), ".");
        c.Space();
    }

    // ---------------------------------------------------------------- sud-consent-form

    /// <summary>
    /// A 42 CFR 2.31 consent. In a proceeding it is the separate consent §2.31(d) requires for use in
    /// that proceeding, never combined with a consent for any other purpose.
    /// </summary>
    private static DocumentModel SudConsentForm(DocumentContext context)
    {
        var c = new Composition(context, Audience.Outside);
        var r = c.Request;
        var d = c.Details;
        var inProceeding = r.Proceeding is not null;
        var rule = c.Authority("cfr42-2.31");
        var title = inProceeding
            ? "Consent to Use or Disclose Substance Use Disorder Records in a Legal Proceeding"
            : "Consent to Disclose Substance Use Disorder Records";

        c.Letterhead();
        c.Title(title, inProceeding ? $"A separate consent for use in a proceeding only ({rule}, paragraph (d))" : $"Prepared under {rule}");
        c.Small(
            "This form is only for records of substance use disorder diagnosis, treatment or referral protected by federal law (42 C.F.R. Part 2). It cannot be used for other health information, which needs its own authorization form."
        );
        PlainSummary(c);

        c.Heading("1. Patient");
        c.Field("Patient's name", Fill(d.ClientName, "patient's name"));
        c.Field("Date of birth", Blank("date of birth"));
        c.Space();

        c.Heading("2. Who may use or disclose");
        c.Para(Line("I consent to ", c.ClinicianName(), ", ", c.PracticeName(), ", using or disclosing the information described in section 3."));

        c.Heading("3. How much and what kind of information");
        if (c.Context.Release is { } sudRelease)
        {
            c.Para(Line("Only this substance use disorder information: ", Clean(sudRelease.InformationDescription ?? ""), "."));
        }
        else
        {
            c.Para("Only the substance use disorder information ticked below:");
            c.Tick(false, "Dates of admission, attendance and discharge");
            c.Tick(false, "Substance use disorder diagnosis");
            c.Tick(false, "Treatment plan and progress in treatment");
            c.Tick(false, "Medications prescribed for substance use disorder");
            c.Tick(false, "Results of drug or alcohol tests and screenings");
            c.Tick(false, "Discharge summary");
            c.Tick(false, "Other (describe specifically): ", Blank("description"));
        }
        DatesCovered(c, "Dates covered");
        c.Small("Substance use disorder counseling notes kept separately from the record are not covered: they need a separate consent of their own.");

        c.Heading("4. Recipient, by name");
        c.Field("Name", Fill(d.RequesterName, "recipient's name"));
        c.Field("Address", FillInline(d.RequesterAddress, "recipient's address"));
        c.Space();

        c.Heading("5. Purpose");
        if (c.Context.Release is { } purposeRelease)
        {
            c.Para(
                Line(
                    "The purpose of this disclosure is: ",
                    purposeRelease.Purpose == ReleasePurpose.AtClientRequest && string.IsNullOrWhiteSpace(purposeRelease.PurposeDescription)
                        ? "at my request"
                        : Clean(purposeRelease.PurposeDescription ?? ""),
                    ". Only the information needed for that purpose may be disclosed."
                )
            );
        }
        else if (inProceeding)
        {
            c.Para(
                Line(
                    "Use or disclosure of the records described in section 3, or of testimony that relays their contents, in the legal proceeding ",
                    c.CasePhrase(),
                    ", and for no other purpose. Only the information needed for that purpose may be used or disclosed."
                )
            );
            c.Boxed(
                B("This consent is for use in the proceeding named above only. "),
                "Federal law requires a consent to use substance use disorder records in a civil, criminal, administrative or legislative proceeding to be separate: it cannot be combined with a consent for any other purpose. Without this consent or a court order issued under 42 C.F.R. Part 2, these records, and testimony about their contents, may not be used against you in such a proceeding."
            );
        }
        else
        {
            c.Para(Line("The purpose of this disclosure is: ", Blank("purpose"), ". Only the information needed for that purpose may be disclosed."));
        }

        c.Heading("6. Expiration");
        if (c.Context.Release is { } expiryRelease)
        {
            c.Para($"This consent expires {ReleaseWords.Until(expiryRelease)}. After that it can no longer be used.");
        }
        else
        {
            c.Para(
                Line(
                    "This consent expires on ",
                    Blank("date"),
                    " or on the following event or condition, whichever comes first: ",
                    inProceeding ? "the final conclusion of the proceeding named in section 5." : Blank("event or condition")
                )
            );
        }

        c.Heading("7. Your rights");
        c.Bullets(
            [
                Line(
                    B("You may revoke this consent in writing"),
                    " at any time, by writing to ",
                    c.PracticeName(),
                    " at ",
                    FillInline(d.PracticeAddress, "practice address"),
                    ". Revocation does not undo any use or disclosure already made in reliance on this consent."
                ),
                Line(
                    B("You may refuse to sign."),
                    " Your treatment, payment, enrollment in a health plan or eligibility for benefits will not be conditioned on whether you sign this consent."
                ),
                Line(
                    B("Redisclosure."),
                    " Records disclosed under this consent go with a notice that federal law prohibits their further disclosure except as 42 C.F.R. Part 2 permits. If the recipient is itself covered by the federal health privacy rules (HIPAA) and receives the records for treatment, payment or health care operations, it may redisclose them as those rules allow, and they may then no longer be protected by 42 C.F.R. Part 2."
                ),
                Line(B("You will receive a copy"), " of this consent once it is signed."),
            ]
        );

        c.Heading("8. Signature");
        c.Para("I have read this consent, I understand it, and I sign it voluntarily.");
        if (SignedRelease(c))
        {
            c.Small($"Authority: {rule}.");
            return c.Build(DocumentKind.SudConsentForm);
        }
        c.SignatureAndDate("Signature of patient or authorized representative");
        c.Field("Printed name", Blank("printed name"));
        c.Compact("If an authorized representative signs, their authority to act for the patient: ", Blank("description of authority"));
        c.Space();

        ClinicianReview(c);
        c.Small($"Authority: {rule}; {c.Authority("cfr42-2.32")}.");
        return c.Build(DocumentKind.SudConsentForm);
    }

    // ---------------------------------------------------------------- a client's stored release

    /// <summary>On a client's stored release: what it shares, with whom, why, until when, and that they may refuse and revoke, in plain words.</summary>
    private static void PlainSummary(Composition c)
    {
        if (c.Context.Release is not { } release)
        {
            return;
        }
        c.Heading("In plain words");
        var recipient = Clean(release.RecipientName ?? "");
        var what = release.Kind == ReleaseKind.Sud && !string.IsNullOrWhiteSpace(release.InformationDescription)
            ? $"{ReleaseWords.CategoryList(release.Categories)} ({Clean(release.InformationDescription)})"
            : ReleaseWords.CategoryList(release.Categories);
        var dates = release.Records is { } range ? $", only records dated {RangeWords(range)}" : "";
        var why = release.Purpose == ReleasePurpose.AtClientRequest && string.IsNullOrWhiteSpace(release.PurposeDescription)
            ? "because you asked for it"
            : $"for this purpose: {Clean(release.PurposeDescription ?? "")}";
        c.Bullets(
            [
                Line(B("What will be shared: "), what, dates, "."),
                Line(B("With whom: "), recipient, " only."),
                Line(B("Why: "), why, "."),
                Line(B("Until when: "), ReleaseWords.Until(release), "."),
                Line(B("You may refuse. "), "Your treatment does not depend on signing."),
                Line(B("You may revoke it "), "at any time, in writing. That stops future sharing; it does not undo sharing already done."),
            ]
        );
    }

    /// <summary>"Dates of service covered: from X to Y", the release's range, all dates, or blanks on a blank form.</summary>
    private static void DatesCovered(Composition c, string label)
    {
        if (c.Context.Release is { } release)
        {
            c.Para(release.Records is { } range ? $"{label}: {RangeWords(range)}." : $"{label}: all dates.");
            return;
        }
        c.Para(Line(label, ": from ", Blank("first date"), " to ", Blank("last date"), "."));
    }

    private static string RangeWords(Core.Disclosure.DateRange range) =>
        (range.From, range.Through) switch
        {
            ({ } f, { } t) => $"from {Vocabulary.Date(f)} to {Vocabulary.Date(t)}",
            ({ } f, null) => $"from {Vocabulary.Date(f)} on",
            (null, { } t) => $"up to {Vocabulary.Date(t)}",
            _ => "all dates",
        };

    /// <summary>
    /// On a stored release: the signing record (typed name, time, address, browser, the hash of the
    /// text shown) and the client's revocation link when signed, or how to sign when not yet. True
    /// when it wrote the signature section (the caller then skips the paper signature lines).
    /// </summary>
    private static bool SignedRelease(Composition c)
    {
        if (c.Context.Release is null)
        {
            return false;
        }
        if (c.Context.Signing is not { } s)
        {
            c.Para("You sign by typing your full name below, after answering a few questions that check this release says what you want.");
            return true;
        }
        c.Field("Signed electronically by", Clean(s.TypedName));
        c.Field("Signed at", Vocabulary.Time(s.At.UtcDateTime, seconds: true) + " UTC");
        c.Field("From address", Clean(s.IpAddress));
        c.Field("Browser", Clean(s.UserAgent));
        c.Field("Text signed (SHA-256)", s.TextSha256);
        c.Compact("The client answered the understanding check correctly before signing.");
        c.Space();
        c.Heading("To revoke this release");
        // No link here: this copy is often passed on to the recipient, and a link printed on it would let them revoke (issue 10).
        c.Para("Use the private revocation link you were given when you signed (it is not printed on this copy), or tell the practice in writing.");
        return true;
    }
}
