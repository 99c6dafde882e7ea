using System.Text;
using Confide.Core;
using Confide.Core.Law;
using Confide.Core.Requests;
using Confide.Core.Triage;
using Confide.Documents.Docx;
using Confide.Documents.Pdf;

namespace Confide.Documents.Tests;

/// <summary>
/// Every document kind, composed from representative requests with and without details, rendered
/// as PDF (US Letter and A4) and DOCX, read back and checked for what it must say.
/// </summary>
public sealed class DocumentContentTests
{
    private static readonly CitationCatalog Catalog = LawLibrary.Embedded.Catalog;

    /// <summary>Letters sent outside the practice: they must carry the full text of every verified citation relied on.</summary>
    private static readonly DocumentKind[] Letters =
    [
        DocumentKind.PrivilegeAssertionLetter,
        DocumentKind.WrittenOrderRequest,
        DocumentKind.DisclosureCoverLetter,
        DocumentKind.ConfidentialityResponseLetter,
        DocumentKind.AccessResponseLetter,
        DocumentKind.OrderClarificationRequest,
        DocumentKind.AuthorityRequestLetter,
        DocumentKind.PrivilegeLog,
    ];

    public static TheoryData<string, DocumentKind, bool> Cases()
    {
        var data = new TheoryData<string, DocumentKind, bool>();
        foreach (var (scenario, kind) in Scenarios.Pairs())
        {
            data.Add(scenario, kind, true);
            data.Add(scenario, kind, false);
        }
        return data;
    }

    [Fact]
    public void Scenarios_CoverEveryDocumentKind()
    {
        var covered = Scenarios.Pairs().Select(p => p.Kind).ToHashSet();
        Assert.Equal(Enum.GetValues<DocumentKind>().ToHashSet(), covered);
    }

    [Theory]
    [InlineData("il-psychiatrist-subpoena", true)]
    [InlineData("ca-wants-disclosure", false)]
    public void AuthorizationForm_Illinois_IsWitnessedAndStatesTheRelease740Elements(string scenario, bool illinois)
    {
        // 740 ILCS 110/5: the right to inspect and copy, the consequences of refusing, the expiry, and a witness.
        var context = Scenarios.Context(scenario, withDetails: true);
        foreach (var kind in new[] { DocumentKind.AuthorizationForm, DocumentKind.PsychotherapyNotesAuthorizationForm })
        {
            var text = ReadBack.Pdf(new PdfRenderer(PaperSize.Letter).Render(DocumentComposer.Compose(kind, context))).Text;
            Assert.Contains("This authorization expires on", text, StringComparison.Ordinal);
            foreach (var element in new[]
            {
                "You may inspect and copy the information to be disclosed",
                "If you refuse to sign, the information will not be disclosed under this authorization. Any other consequence of refusing: " + DocumentComposer.BlankLine,
                "Signature of witness, who attests to the signer's identity",
                "Witness's printed name: " + DocumentComposer.BlankLine,
                Cite("il-740-110-5"),
            })
            {
                Assert.Equal(illinois, text.Contains(element, StringComparison.Ordinal));
            }
        }
    }

    [Theory]
    [InlineData("or-client-access-denied")]
    [InlineData("ca-parent-detriment")]
    public void AccessDenialScenarios_AreDenials(string scenario)
    {
        // The denial form of the access letter is exercised only if the engine really denies.
        Assert.Equal(Outcome.DenyAccess, Scenarios.Context(scenario, withDetails: true).Determination.Outcome);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Render_EveryKind_ReadsBackWithItsRequiredContent(string scenario, DocumentKind kind, bool withDetails)
    {
        var context = Scenarios.Context(scenario, withDetails);
        Assert.Equal(Scenarios.All[scenario].Kinds, context.Determination.Documents);
        var model = DocumentComposer.Compose(kind, context);
        Assert.Equal(kind, model.Kind);
        Assert.Equal(Core.Wire<DocumentKind>.Name(kind), model.FileStem);

        var letterPdf = new PdfRenderer(PaperSize.Letter).Render(model);
        var a4Pdf = new PdfRenderer(PaperSize.A4).Render(model);
        var docx = new DocxRenderer(PaperSize.Letter).Render(model);
        var letter = ReadBack.Pdf(letterPdf);
        var a4 = ReadBack.Pdf(a4Pdf);

        Assert.All(letter.Pages, p => AssertSize(612, 792, p));
        Assert.All(a4.Pages, p => AssertSize(595, 842, p));
        Assert.Empty(ReadBack.DocxErrors(docx));
        Assert.Equal((12240u, 15840u), ReadBack.DocxPageSize(docx));
        Assert.Equal((11906u, 16838u), ReadBack.DocxPageSize(new DocxRenderer(PaperSize.A4).Render(model)));
        for (var i = 0; i < letter.Footers.Count; i++)
        {
            Assert.EndsWith($"Page {i + 1} of {letter.Footers.Count}", letter.Footers[i], StringComparison.Ordinal);
        }
        AssertFontsEmbedded(letterPdf, letter);
        AssertFontsEmbedded(a4Pdf, a4);

        foreach (var (format, text) in new[] { ("PDF Letter", letter.Text), ("PDF A4", a4.Text), ("DOCX", ReadBack.Docx(docx)) })
        {
            try
            {
                AssertContent(kind, context, withDetails, text);
            }
            catch (Exception ex) when (ex is Xunit.Sdk.IAssertionException)
            {
                throw new Xunit.Sdk.XunitException($"{format} of {scenario}/{kind} (details: {withDetails}): {ex.Message}\n--- text ---\n{text}");
            }
        }
    }

    private static void AssertSize(double width, double height, (double Width, double Height) page)
    {
        Assert.InRange(page.Width, width - 0.5, width + 0.5);
        Assert.InRange(page.Height, height - 0.5, height + 0.5);
    }

    private static void AssertFontsEmbedded(byte[] pdf, ReadBack.PdfInfo info)
    {
        // An embedded TrueType font program is referenced from its descriptor as /FontFile2.
        Assert.Contains("/FontFile2", Encoding.Latin1.GetString(pdf), StringComparison.Ordinal);
        Assert.NotEmpty(info.FontNames);
        Assert.All(info.FontNames, name => Assert.Contains("DejaVu", name, StringComparison.Ordinal));
    }

    private static string Cite(string id) => ReadBack.Normalize(Catalog.Get(id).Text);

    private static void AssertContent(DocumentKind kind, DocumentContext context, bool withDetails, string text)
    {
        var d = context.Determination;
        var r = context.Request;

        // Never a raw template placeholder.
        Assert.DoesNotContain("{", text, StringComparison.Ordinal);
        Assert.DoesNotContain("}", text, StringComparison.Ordinal);
        Assert.StartsWith("CONFIDENTIAL", text, StringComparison.Ordinal);

        if (withDetails)
        {
            Assert.Contains(Scenarios.ClinicianName, text, StringComparison.Ordinal);
            Assert.Contains(Scenarios.PracticeName, text, StringComparison.Ordinal);
        }
        else
        {
            // A missing detail is a clearly marked blank line, saying what belongs there.
            Assert.Contains(DocumentComposer.BlankLine + " (practice name)", text, StringComparison.Ordinal);
            Assert.Contains(DocumentComposer.BlankLine + " (clinician's name)", text, StringComparison.Ordinal);
            Assert.DoesNotContain(Scenarios.ClientName, text, StringComparison.Ordinal);
        }

        var outside = DocumentComposer.IsSentOutside(kind);
        foreach (var citation in Catalog.All.Where(c => c.Status == VerificationStatus.Unverified))
        {
            if (outside)
            {
                // Unverified law is never presented as settled outside the practice.
                Assert.DoesNotContain(ReadBack.Normalize(citation.Text), text, StringComparison.Ordinal);
            }
            else if (d.Citations.Contains(citation.Id))
            {
                Assert.Contains(ReadBack.Normalize(citation.Text) + " [UNVERIFIED", text, StringComparison.Ordinal);
            }
        }
        if (Letters.Contains(kind) || !outside)
        {
            foreach (var id in d.Citations.Where(id => Catalog.Get(id).Status != VerificationStatus.Unverified))
            {
                Assert.Contains(Cite(id), text, StringComparison.Ordinal);
            }
        }

        switch (kind)
        {
            case DocumentKind.PrivilegeAssertionLetter:
                Assert.DoesNotContain("my client", text, StringComparison.OrdinalIgnoreCase);
                Assert.DoesNotContain("my patient", text, StringComparison.OrdinalIgnoreCase);
                Assert.Contains("neither confirm nor deny", text, StringComparison.Ordinal);
                Assert.Contains("psychotherapist-patient (therapist-client) privilege", text, StringComparison.Ordinal);
                Assert.Contains(
                    "nothing will be produced, and no testimony will be given, without the written authorization of the person whose information is sought or an order of a court",
                    text,
                    StringComparison.Ordinal
                );
                if (withDetails)
                {
                    // The name appears once, only as the subject the subpoena names.
                    Assert.Equal(1, ReadBack.Count(text, Scenarios.ClientName));
                    Assert.Contains($"Records sought concerning: {Scenarios.ClientName} (as named in the subpoena)", text, StringComparison.Ordinal);
                    Assert.Contains("Case: Doe v. Roe", text, StringComparison.Ordinal);
                    Assert.Contains("Case No.: RG26-000000", text, StringComparison.Ordinal);
                }
                else
                {
                    Assert.Contains(DocumentComposer.BlankLine + " (name exactly as the subpoena gives it)", text, StringComparison.Ordinal);
                    Assert.Contains(DocumentComposer.BlankLine + " (case caption)", text, StringComparison.Ordinal);
                }
                AssertEthicsCode(context, text);
                if (r.Proceeding is { Forum: Forum.Federal })
                {
                    Assert.Contains(Cite("jaffee-v-redmond"), text, StringComparison.Ordinal);
                    Assert.Contains(Cite("fre-501"), text, StringComparison.Ordinal);
                }
                else
                {
                    Assert.Contains(Cite(context.Profile.PrivilegeFor(r.Clinician.Profession)!.Citations[0]), text, StringComparison.Ordinal);
                }
                Assert.Contains("Sincerely,", text, StringComparison.Ordinal);
                break;

            case DocumentKind.WrittenOrderRequest:
                Assert.Contains("written order", text, StringComparison.Ordinal);
                Assert.Contains("states that the privilege is pierced", text, StringComparison.Ordinal);
                Assert.Contains("states the specific purpose for which disclosure is required", text, StringComparison.Ordinal);
                Assert.Contains("limits disclosure to what that purpose needs", text, StringComparison.Ordinal);
                Assert.Contains("under seal", text, StringComparison.Ordinal);
                Assert.Contains("in camera", text, StringComparison.Ordinal);
                Assert.Contains("best interests of the child", text, StringComparison.Ordinal);
                Assert.Contains(Cite("cfr42-2.64"), text, StringComparison.Ordinal);
                Assert.Contains(Cite("hipaa-164.508-a2"), text, StringComparison.Ordinal);
                AssertEthicsCode(context, text);
                break;

            case DocumentKind.ClientNotice:
                Assert.Contains("What was requested, and by whom", text, StringComparison.Ordinal);
                Assert.Contains("What I have done", text, StringComparison.Ordinal);
                Assert.Contains("What you can do", text, StringComparison.Ordinal);
                Assert.Contains("Talk to your attorney", text, StringComparison.Ordinal);
                Assert.Contains("Sign a release", text, StringComparison.Ordinal);
                Assert.Contains(d.Outcome == Outcome.ComplyWithOrder ? "Object to its scope" : "Object:", text, StringComparison.Ordinal);
                Assert.Contains(Vocabulary.Phrase(r.Requested, ""), text, StringComparison.Ordinal);
                Assert.Contains(
                    d.Outcome switch
                    {
                        Outcome.AssertPrivilege => "asserting the therapist-client privilege on your behalf",
                        Outcome.RequestWrittenOrder => "I asked the court for a written order",
                        Outcome.ComplyWithOrder => "I will send only what the order expressly covers",
                        _ => "I am getting legal advice",
                    },
                    text,
                    StringComparison.Ordinal
                );
                Assert.Contains(withDetails ? $"Dear {Scenarios.ClientName}:" : $"Dear {DocumentComposer.BlankLine} (client's name):", text, StringComparison.Ordinal);
                break;

            case DocumentKind.AuthorizationForm:
            case DocumentKind.PsychotherapyNotesAuthorizationForm:
                // 45 CFR 164.508(c)(1): core elements.
                Assert.Contains("Information to be disclosed", text, StringComparison.Ordinal);
                Assert.Contains("Dates of service covered", text, StringComparison.Ordinal);
                Assert.Contains("Who may disclose", text, StringComparison.Ordinal);
                Assert.Contains("Recipient", text, StringComparison.Ordinal);
                Assert.Contains("Purpose", text, StringComparison.Ordinal);
                Assert.Contains("This authorization expires on", text, StringComparison.Ordinal);
                Assert.Contains("Signature of client or personal representative", text, StringComparison.Ordinal);
                Assert.Contains("Date", text, StringComparison.Ordinal);
                Assert.Contains("their authority to act for the client", text, StringComparison.Ordinal);
                // 164.508(c)(2): required statements.
                Assert.Contains("You may revoke this authorization", text, StringComparison.Ordinal);
                Assert.Contains("A revocation must be in writing", text, StringComparison.Ordinal);
                Assert.Contains("does not undo anything we disclosed in reliance on this authorization", text, StringComparison.Ordinal);
                Assert.Contains(
                    "We will not condition your treatment, payment, enrollment in a health plan or eligibility for benefits on whether you sign this authorization",
                    text,
                    StringComparison.Ordinal
                );
                Assert.Contains(
                    "may be redisclosed by the recipient and may then no longer be protected by federal privacy law",
                    text,
                    StringComparison.Ordinal
                );
                Assert.Contains("You will receive a copy", text, StringComparison.Ordinal);
                Assert.Contains(Cite("hipaa-164.508"), text, StringComparison.Ordinal);
                Assert.Contains(withDetails ? $"Client's name: {Scenarios.ClientName}" : $"Client's name: {DocumentComposer.BlankLine} (client's name)", text, StringComparison.Ordinal);
                Assert.Contains(withDetails ? $"Name: {Scenarios.RequesterName}" : $"Name: {DocumentComposer.BlankLine} (recipient's name)", text, StringComparison.Ordinal);
                if (kind == DocumentKind.PsychotherapyNotesAuthorizationForm)
                {
                    Assert.Contains("Psychotherapy notes only", text, StringComparison.Ordinal);
                    Assert.Contains("may be combined only with another authorization for psychotherapy notes", text, StringComparison.Ordinal);
                    Assert.Contains(Cite("hipaa-164.508-a2"), text, StringComparison.Ordinal);
                }
                else
                {
                    Assert.Contains("does not cover psychotherapy notes or substance use disorder records", text, StringComparison.Ordinal);
                }
                break;

            case DocumentKind.SudConsentForm:
                // 42 CFR 2.31(a): the consent's elements.
                Assert.Contains(withDetails ? $"Patient's name: {Scenarios.ClientName}" : $"Patient's name: {DocumentComposer.BlankLine} (patient's name)", text, StringComparison.Ordinal);
                Assert.Contains("Who may use or disclose", text, StringComparison.Ordinal);
                Assert.Contains("How much and what kind of information", text, StringComparison.Ordinal);
                Assert.Contains("Recipient, by name", text, StringComparison.Ordinal);
                Assert.Contains("Purpose", text, StringComparison.Ordinal);
                Assert.Contains("You may revoke this consent in writing", text, StringComparison.Ordinal);
                Assert.Contains("does not undo any use or disclosure already made in reliance on this consent", text, StringComparison.Ordinal);
                Assert.Contains("This consent expires on", text, StringComparison.Ordinal);
                Assert.Contains("Signature of patient or authorized representative", text, StringComparison.Ordinal);
                Assert.Contains("will not be conditioned on whether you sign this consent", text, StringComparison.Ordinal);
                Assert.Contains("Redisclosure", text, StringComparison.Ordinal);
                Assert.Contains(Cite("cfr42-2.31"), text, StringComparison.Ordinal);
                if (r.Proceeding is not null)
                {
                    // 2.31(d): the separate consent for use in a proceeding.
                    Assert.Contains("Consent to Use or Disclose Substance Use Disorder Records in a Legal Proceeding", text, StringComparison.Ordinal);
                    Assert.Contains("it cannot be combined with a consent for any other purpose", text, StringComparison.Ordinal);
                    Assert.Contains("or of testimony that relays their contents", text, StringComparison.Ordinal);
                }
                else
                {
                    Assert.DoesNotContain("in a Legal Proceeding", text, StringComparison.Ordinal);
                }
                break;

            case DocumentKind.DisclosureCoverLetter:
                Assert.Contains("Basis for this disclosure", text, StringComparison.Ordinal);
                Assert.Contains("What is enclosed", text, StringComparison.Ordinal);
                Assert.Contains("Limits on redisclosure", text, StringComparison.Ordinal);
                foreach (var category in d.Disclose.ToArray())
                {
                    Assert.Contains(Vocabulary.Long(category), text, StringComparison.Ordinal);
                }
                if (d.Disclose.Contains(Category.SudRecords))
                {
                    // The 2024 2.32(a) short form; the 2018 wording is gone.
                    Assert.Contains("42 CFR part 2 prohibits unauthorized use or disclosure of these records.", text, StringComparison.Ordinal);
                    Assert.DoesNotContain("prohibits unauthorized disclosure of these records", text, StringComparison.Ordinal);
                    Assert.Contains(Cite("cfr42-2.32"), text, StringComparison.Ordinal);
                    if (d.Outcome == Outcome.DiscloseWithAuthorization)
                    {
                        // 2.32(b): a clear explanation of the consent's scope.
                        Assert.Contains("What the patient's consent covers: it permits disclosure of " + Vocabulary.Phrase(d.Disclose, ""), text, StringComparison.Ordinal);
                        Assert.Contains("It permits nothing else: no other records, no other recipient and no other purpose.", text, StringComparison.Ordinal);
                        Assert.Contains(withDetails ? " to " + Scenarios.RequesterName + ", for " : $" to {DocumentComposer.BlankLine} (recipient's name), for ", text, StringComparison.Ordinal);
                        if (r.Authorization?.ExpiresOn is { } until)
                        {
                            Assert.Contains(", until " + Vocabulary.Date(until) + ".", text, StringComparison.Ordinal);
                        }
                    }
                }
                else
                {
                    Assert.DoesNotContain("42 CFR part 2 prohibits", text, StringComparison.Ordinal);
                }
                Assert.Contains(
                    d.Outcome == Outcome.ComplyWithOrder ? "disclosed in compliance with the order" : "disclosed under the written authorization",
                    text,
                    StringComparison.Ordinal
                );
                break;

            case DocumentKind.MandatedReportWorksheet:
                var reporting = context.Profile.Reporting ?? context.Law.Baseline.Reporting!;
                Assert.Contains(ReadBack.Normalize(reporting.Agency), text, StringComparison.Ordinal);
                Assert.Contains(ReadBack.Normalize(reporting.Deadline), text, StringComparison.Ordinal);
                Assert.Contains(Cite(reporting.Citations[0]), text, StringComparison.Ordinal);
                Assert.Contains("Only the facts the report needs", text, StringComparison.Ordinal);
                Assert.Contains("Reference number", text, StringComparison.Ordinal);
                break;

            case DocumentKind.DutyToProtectRecord:
                Assert.Contains(ReadBack.Normalize(context.Profile.DutyFor(r.Clinician.Profession)!.Summary), text, StringComparison.Ordinal);
                Assert.Contains("permissive", text, StringComparison.Ordinal);
                Assert.Contains(Cite("tarasoff"), text, StringComparison.Ordinal);
                Assert.Contains(Cite("hipaa-164.512-j"), text, StringComparison.Ordinal);
                Assert.Contains("The threat, in the client's words", text, StringComparison.Ordinal);
                Assert.Contains("Notified law enforcement", text, StringComparison.Ordinal);
                break;

            case DocumentKind.ConfidentialityResponseLetter:
                Assert.DoesNotContain("my client", text, StringComparison.OrdinalIgnoreCase);
                Assert.Contains("neither confirm nor deny", text, StringComparison.Ordinal);
                Assert.Contains("without that person's written authorization", text, StringComparison.Ordinal);
                Assert.Contains(Cite("hipaa-164.508"), text, StringComparison.Ordinal);
                AssertEthicsCode(context, text);
                break;

            case DocumentKind.AccessResponseLetter:
                Assert.NotNull(d.RespondBy);
                Assert.Contains("no later than " + Vocabulary.Date(d.RespondBy.Value), text, StringComparison.Ordinal);
                Assert.Contains(Cite("hipaa-164.524"), text, StringComparison.Ordinal);
                var access = context.Profile.Access ?? context.Law.Baseline.Access!;
                Assert.Contains(Cite(access.Citations[0]), text, StringComparison.Ordinal);
                Assert.Contains($"{access.DeadlineFor(r.AccessKind, r.Proceeding is not null).Days} days after we received your request", text, StringComparison.Ordinal);
                Assert.Contains("reasonable, cost-based fee", text, StringComparison.Ordinal);
                if (r.Requested.Contains(Category.PsychotherapyNotes))
                {
                    Assert.Contains("Psychotherapy notes", text, StringComparison.Ordinal);
                    // 164.524(a)(1)(i), (a)(2): the notes exclusion is never reviewable.
                    Assert.Contains("is not open to review (45 CFR 164.524(a)(1)(i), (a)(2))", text, StringComparison.Ordinal);
                }
                if (r.Requested.Contains(Category.SudRecords))
                {
                    Assert.Contains("substance use disorder treatment records are included", text, StringComparison.Ordinal);
                }
                if (d.Outcome == Outcome.DenyAccess)
                {
                    AssertDenial(context, text);
                }
                else
                {
                    Assert.DoesNotContain("How to complain", text, StringComparison.Ordinal);
                }
                break;

            case DocumentKind.OrderClarificationRequest:
                // Filed by counsel; unrepresented, to the court with copies to the parties.
                Assert.Contains("Filed by counsel before the deadline", text, StringComparison.Ordinal);
                Assert.Contains("to the court directly, with a copy to every party", text, StringComparison.Ordinal);
                Assert.Contains("state the specific purpose for which the privilege is pierced", text, StringComparison.Ordinal);
                Assert.Equal(
                    r.Proceeding?.Kind is ProceedingKind.Custody or ProceedingKind.ChildProtection,
                    text.Contains("find whether the records are necessary to determine the best interests of the child", StringComparison.Ordinal)
                );
                Assert.Contains("narrow the order", text, StringComparison.Ordinal);
                Assert.Contains("under seal", text, StringComparison.Ordinal);
                Assert.Contains("in camera", text, StringComparison.Ordinal);
                Assert.Contains("This request does not suspend the order.", text, StringComparison.Ordinal);
                Assert.Contains(
                    "Unless the Court changes the order by " + (r.RespondBy is { } due ? Vocabulary.Date(due) : DocumentComposer.BlankLine) + ", only what the order requires will be produced",
                    text,
                    StringComparison.Ordinal
                );
                AssertEthicsCode(context, text);
                break;

            case DocumentKind.ProtectiveDisclosureRecord:
                Assert.Contains("CONFIDENTIAL: INTERNAL RECORD", text, StringComparison.Ordinal);
                Assert.Contains(Cite("hipaa-164.512-j"), text, StringComparison.Ordinal);
                Assert.Contains("(45 CFR 164.512(j)(4))", text, StringComparison.Ordinal);
                Assert.Contains("Who was told (name and relationship to the client)", text, StringComparison.Ordinal);
                Assert.Contains("What was told (only what they needed to act)", text, StringComparison.Ordinal);
                Assert.Contains("When: " + DocumentComposer.BlankLine + " (date)", text, StringComparison.Ordinal);
                Assert.Contains("Good-faith basis", text, StringComparison.Ordinal);
                Assert.Contains("A mandatory report was made", text, StringComparison.Ordinal);
                break;

            case DocumentKind.AuthorityRequestLetter:
                Assert.DoesNotContain("my client", text, StringComparison.OrdinalIgnoreCase);
                Assert.Contains("neither confirms nor denies that the person you name is or has been a client", text, StringComparison.Ordinal);
                Assert.Contains("Nothing will be released before the proof arrives.", text, StringComparison.Ordinal);
                Assert.Contains(
                    r.Client?.Deceased == true ? "letters testamentary or letters of administration" : "authority over health-care information now",
                    text,
                    StringComparison.Ordinal
                );
                Assert.Contains(Cite("hipaa-164.502-g"), text, StringComparison.Ordinal);
                break;

            case DocumentKind.PrivilegeLog:
                Assert.Contains(Vocabulary.Long(DocumentKind.PrivilegeLog), text, StringComparison.Ordinal);
                Assert.Contains("Served through counsel under " + Cite("frcp-45"), text, StringComparison.Ordinal);
                Assert.Contains("without the log revealing any privileged information", text, StringComparison.Ordinal);
                Assert.Contains("Content is never described here.", text, StringComparison.Ordinal);
                Assert.NotNull(d.ObjectBy);
                Assert.Contains("Written objection served by: " + Vocabulary.Date(d.ObjectBy.Value), text, StringComparison.Ordinal);
                foreach (var category in (d.Withheld.IsEmpty ? r.Requested : d.Withheld).ToArray())
                {
                    Assert.Contains(Vocabulary.Short(category) + ": dated " + DocumentComposer.BlankLine, text, StringComparison.Ordinal);
                }
                break;
        }
    }

    /// <summary>A denial of access: its basis, review unless state law bars it, the rest of the record, and the complaint routes (45 CFR 164.524(a)(4), (d)).</summary>
    private static void AssertDenial(DocumentContext context, string text)
    {
        var d = context.Determination;
        Assert.Contains("We cannot provide the records you asked for.", text, StringComparison.Ordinal);
        Assert.Contains("You may still have any part of the records that this finding does not cover (45 CFR 164.524(d)(1))", text, StringComparison.Ordinal);
        // 164.524(d)(2)(iii): the practice (contact name or title, telephone) and HHS.
        Assert.Contains("How to complain", text, StringComparison.Ordinal);
        Assert.Contains($"contact {DocumentComposer.BlankLine} (contact name or title) at {DocumentComposer.BlankLine} (telephone)", text, StringComparison.Ordinal);
        Assert.Contains("U.S. Department of Health and Human Services, Office for Civil Rights", text, StringComparison.Ordinal);
        Assert.Contains(Cite("hipaa-164.524-d"), text, StringComparison.Ordinal);
        if (d.Citations.Contains("ca-hsc-123115"))
        {
            // A California parent's detriment denial rests on state law: no review is offered.
            Assert.Contains(Cite("ca-hsc-123115"), text, StringComparison.Ordinal);
            Assert.Contains("it is not open to review by another professional", text, StringComparison.Ordinal);
            Assert.DoesNotContain("Your right to a review", text, StringComparison.Ordinal);
        }
        else
        {
            Assert.Contains(Cite("hipaa-164.524-a3"), text, StringComparison.Ordinal);
            Assert.Contains("Your right to a review", text, StringComparison.Ordinal);
            Assert.Contains("licensed health care professional who took no part in the original decision (45 CFR 164.524(a)(4))", text, StringComparison.Ordinal);
        }
    }

    /// <summary>The clinician's ethics code, by its full citation, unless it is UNVERIFIED (then it is left out).</summary>
    private static void AssertEthicsCode(DocumentContext context, string text)
    {
        var code = Catalog.Get(context.Profile.EthicsCodeFor(context.Request.Clinician.Profession)!.Citations[0]);
        if (code.Status == VerificationStatus.Unverified)
        {
            Assert.DoesNotContain(ReadBack.Normalize(code.Text), text, StringComparison.Ordinal);
            Assert.Contains("My professional ethical obligations require me to safeguard patient confidences", text, StringComparison.Ordinal);
        }
        else
        {
            Assert.Contains("My professional code of ethics, " + ReadBack.Normalize(code.Text), text, StringComparison.Ordinal);
        }
    }
}
