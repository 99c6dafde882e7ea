using System.Text.Json.Nodes;
using Confide.Core.Law;
using Confide.Core.Requests;
using Confide.Core.Triage;
using Confide.Documents;
using Microsoft.Extensions.Time.Testing;

namespace Confide.TestKit;

/// <summary>Representative requests: together they make the engine ask for every document kind.</summary>
public static class Scenarios
{
    public const string ClientName = "Jordan Q. Example";
    public const string ClinicianName = "Dr. Alex Rivera, PhD";
    public const string PracticeName = "Harbor Counseling Group";
    public const string RequesterName = "Casey Counsel, Esq.";

    /// <summary>The details object of the contract, every property given.</summary>
    public const string Details = """
        {
          "clientName": "Jordan Q. Example",
          "clinicianName": "Dr. Alex Rivera, PhD",
          "clinicianLicense": "License PSY 00000",
          "practiceName": "Harbor Counseling Group",
          "practiceAddress": "100 Example Street\nOakland, CA 94600",
          "requesterName": "Casey Counsel, Esq.",
          "requesterAddress": "200 Law Plaza, San Francisco, CA 94100",
          "court": "Superior Court of California, County of Alameda",
          "caseNumber": "RG26-000000",
          "caseCaption": "Doe v. Roe",
          "reference": "File 42"
        }
        """;

    /// <summary>Scenario name, the request (without details), and the document kinds it must produce.</summary>
    public static readonly IReadOnlyDictionary<string, (string Json, DocumentKind[] Kinds)> All = new Dictionary<string, (string, DocumentKind[])>
    {
        // An attorney's subpoena in a California civil case, notes and SUD records asked for, condition at issue.
        ["ca-subpoena"] = (
            """
            { "jurisdiction": "US-CA", "receivedOn": "2026-11-02", "respondBy": "2026-11-23", "requester": "attorney", "instrument": "subpoena",
              "clinician": { "profession": "psychologist" }, "requested": ["progress-notes", "psychotherapy-notes", "test-data", "sud-records"],
              "proceeding": { "forum": "state", "kind": "civil", "mentalConditionAtIssue": true } }
            """,
            [DocumentKind.PrivilegeAssertionLetter, DocumentKind.ClientNotice]
        ),
        // A federal-question case: Jaffee and FRE 501; a social worker.
        ["federal-subpoena"] = (
            """
            { "jurisdiction": "US-NY", "receivedOn": "2026-10-01", "requester": "attorney", "instrument": "subpoena",
              "clinician": { "profession": "social-worker" }, "requested": ["intake", "progress-notes"],
              "proceeding": { "forum": "federal", "kind": "civil" } }
            """,
            // v2 (FRCP 45(e)(2)(A)): a federal subpoena's assertion of privilege adds the privilege log.
            [DocumentKind.PrivilegeAssertionLetter, DocumentKind.ClientNotice, DocumentKind.PrivilegeLog]
        ),
        // Illinois: a subpoena alone needs a judge's order; a psychiatrist, whose ethics citation is UNVERIFIED.
        ["il-psychiatrist-subpoena"] = (
            """
            { "jurisdiction": "US-IL", "receivedOn": "2026-09-15", "requester": "attorney", "instrument": "subpoena",
              "clinician": { "profession": "psychiatrist" }, "requested": ["treatment-plan"],
              "proceeding": { "forum": "state", "kind": "civil" } }
            """,
            [DocumentKind.PrivilegeAssertionLetter, DocumentKind.ClientNotice]
        ),
        // A judge insists from the bench in a Florida custody case.
        ["fl-verbal-order"] = (
            """
            { "jurisdiction": "US-FL", "receivedOn": "2026-08-20", "requester": "court", "instrument": "verbal-order",
              "clinician": { "profession": "marriage-family-therapist" }, "requested": ["progress-notes", "psychotherapy-notes", "sud-records"],
              "proceeding": { "forum": "state", "kind": "custody" } }
            """,
            [DocumentKind.WrittenOrderRequest, DocumentKind.ClientNotice]
        ),
        // A judge-signed Part 2 order in a California civil case: SUD records go out with the 2.32 notice.
        ["ca-part2-order"] = (
            """
            { "jurisdiction": "US-CA", "receivedOn": "2026-07-01", "respondBy": "2026-07-31", "requester": "court", "instrument": "court-order",
              "clinician": { "profession": "counselor" }, "requested": ["progress-notes", "billing", "sud-records", "psychotherapy-notes"],
              "proceeding": { "forum": "state", "kind": "civil" },
              "order": { "signedByJudge": true, "statesPurpose": true, "categories": ["progress-notes", "sud-records"], "part2": true } }
            """,
            [DocumentKind.DisclosureCoverLetter, DocumentKind.ClientNotice]
        ),
        // The client's valid release covers progress notes and SUD records (with Part 2 consent); no proceeding.
        ["tx-release"] = (
            """
            { "jurisdiction": "US-TX", "receivedOn": "2026-06-10", "requester": "provider", "instrument": "letter",
              "clinician": { "profession": "psychologist" }, "requested": ["progress-notes", "sud-records", "billing"],
              "authorization": { "signed": true, "recipientCovered": true, "purposeCovered": true, "categories": ["progress-notes", "sud-records"],
                "part2Consent": true, "expiresOn": "2027-06-10", "clientUnderstandingConfirmed": true } }
            """,
            [DocumentKind.DisclosureCoverLetter]
        ),
        // A release that covers progress notes only: no SUD records go out, so no 2.32 notice.
        ["fl-release"] = (
            """
            { "jurisdiction": "US-FL", "receivedOn": "2026-06-11", "requester": "insurer", "instrument": "letter",
              "clinician": { "profession": "social-worker" }, "requested": ["progress-notes", "psychotherapy-notes"],
              "authorization": { "signed": true, "recipientCovered": true, "purposeCovered": true, "categories": ["progress-notes", "psychotherapy-notes"],
                "clientUnderstandingConfirmed": true } }
            """,
            [DocumentKind.DisclosureCoverLetter]
        ),
        // The client wants their records shared in a proceeding: three separate forms.
        ["ca-wants-disclosure"] = (
            """
            { "jurisdiction": "US-CA", "receivedOn": "2026-05-05", "requester": "attorney", "instrument": "subpoena",
              "clinician": { "profession": "psychologist" }, "requested": ["intake", "progress-notes", "psychotherapy-notes", "sud-records"],
              "proceeding": { "forum": "state", "kind": "civil" }, "client": { "wantsDisclosure": true } }
            """,
            [DocumentKind.AuthorizationForm, DocumentKind.PsychotherapyNotesAuthorizationForm, DocumentKind.SudConsentForm]
        ),
        // The same wish with no proceeding: the SUD consent is the ordinary 2.31 consent.
        ["baseline-wants-disclosure"] = (
            """
            { "jurisdiction": "US-OR", "receivedOn": "2026-05-05", "requester": "employer", "instrument": "letter",
              "clinician": { "profession": "counselor" }, "requested": ["attendance", "sud-records"], "client": { "wantsDisclosure": true } }
            """,
            [DocumentKind.AuthorizationForm, DocumentKind.SudConsentForm]
        ),
        // Suspected child abuse in California.
        ["ca-child-abuse"] = (
            """
            { "jurisdiction": "US-CA", "receivedOn": "2026-04-04", "instrument": "report",
              "clinician": { "profession": "social-worker" }, "concerns": { "suspectedChildAbuse": true } }
            """,
            [DocumentKind.MandatedReportWorksheet]
        ),
        // A serious threat in Texas (permissive; its statute is UNVERIFIED).
        ["tx-threat"] = (
            """
            { "jurisdiction": "US-TX", "receivedOn": "2026-03-03", "instrument": "report",
              "clinician": { "profession": "counselor" }, "concerns": { "seriousThreat": true } }
            """,
            [DocumentKind.DutyToProtectRecord]
        ),
        // A family member writes, no proceeding, no release.
        ["family-letter"] = (
            """
            { "jurisdiction": "US-FL", "receivedOn": "2026-02-02", "requester": "family", "instrument": "letter",
              "clinician": { "profession": "marriage-family-therapist" }, "requested": ["progress-notes"] }
            """,
            [DocumentKind.ConfidentialityResponseLetter]
        ),
        // The client asks for their own records in California (15-day deadline); notes excluded.
        ["ca-client-access"] = (
            """
            { "jurisdiction": "US-CA", "receivedOn": "2026-01-05", "requester": "client", "instrument": "letter",
              "clinician": { "profession": "psychologist" }, "requested": ["progress-notes", "psychotherapy-notes", "sud-records"] }
            """,
            [DocumentKind.AccessResponseLetter]
        ),
        // A judge-signed California custody order that states its purpose but no best-interests finding: it binds, and counsel asks for the finding.
        ["ca-custody-order-no-finding"] = (
            """
            { "jurisdiction": "US-CA", "receivedOn": "2026-11-02", "respondBy": "2026-12-02", "requester": "court", "instrument": "court-order",
              "clinician": { "profession": "social-worker" }, "requested": ["progress-notes"],
              "proceeding": { "forum": "state", "kind": "custody" },
              "order": { "signedByJudge": true, "statesPurpose": true, "bestInterestsFinding": false, "categories": ["progress-notes"], "part2": false } }
            """,
            [DocumentKind.OrderClarificationRequest, DocumentKind.DisclosureCoverLetter, DocumentKind.ClientNotice]
        ),
        // A client at serious risk of suicide in California: a protective disclosure.
        ["ca-self-harm"] = (
            """
            { "jurisdiction": "US-CA", "receivedOn": "2026-11-02", "requester": "other", "instrument": "report",
              "clinician": { "profession": "counselor" }, "concerns": { "selfHarm": true } }
            """,
            [DocumentKind.ProtectiveDisclosureRecord]
        ),
        // Someone who says they are the executor, without letters testamentary on file.
        ["ca-executor-undocumented"] = (
            """
            { "jurisdiction": "US-CA", "receivedOn": "2026-11-02", "requester": "personal-representative", "instrument": "letter",
              "clinician": { "profession": "psychologist" }, "requested": ["progress-notes"],
              "client": { "deceased": true }, "representative": { "appointmentDocumented": false } }
            """,
            [DocumentKind.AuthorityRequestLetter]
        ),
        // A client asks for their own records; a licensed professional found access would endanger someone: a reviewable denial.
        ["or-client-access-denied"] = (
            """
            { "jurisdiction": "US-OR", "receivedOn": "2026-11-02", "requester": "client", "instrument": "letter",
              "clinician": { "profession": "psychologist" }, "requested": ["progress-notes", "psychotherapy-notes"], "concerns": { "accessDetrimental": true } }
            """,
            [DocumentKind.AccessResponseLetter]
        ),
        // A California parent, access found detrimental to the child: denied under state law, no review offered.
        ["ca-parent-detriment"] = (
            """
            { "jurisdiction": "US-CA", "receivedOn": "2026-11-02", "requester": "parent", "instrument": "letter",
              "clinician": { "profession": "social-worker" }, "requested": ["progress-notes"],
              "client": { "age": 9 }, "concerns": { "accessDetrimental": true } }
            """,
            [DocumentKind.AccessResponseLetter]
        ),
        // A Texas criminal subpoena: the privilege does not reach, so counsel is consulted.
        ["tx-criminal-subpoena"] = (
            """
            { "jurisdiction": "US-TX", "receivedOn": "2026-01-10", "requester": "attorney", "instrument": "subpoena",
              "clinician": { "profession": "psychologist" }, "requested": ["progress-notes"], "proceeding": { "forum": "state", "kind": "criminal" } }
            """,
            [DocumentKind.ClientNotice]
        ),
    };

    public static readonly TriageEngine Engine = new(LawLibrary.Embedded, new FakeTimeProvider(new DateTimeOffset(2026, 11, 29, 0, 0, 0, TimeSpan.Zero)));

    /// <summary>The scenario's request JSON, with or without the details object.</summary>
    public static string Json(string scenario, bool withDetails)
    {
        var node = JsonNode.Parse(All[scenario].Json)!.AsObject();
        if (withDetails)
        {
            node["details"] = JsonNode.Parse(Details);
        }
        return node.ToJsonString();
    }

    public static TriageRequest Request(string scenario, bool withDetails)
    {
        var result = RequestParser.Parse(System.Text.Encoding.UTF8.GetBytes(Json(scenario, withDetails)));
        Assert.True(result.Success, string.Join("; ", result.Errors.Select(e => $"{e.Path}: {e.Message}")));
        return result.Request!;
    }

    public static DocumentContext Context(string scenario, bool withDetails)
    {
        var request = Request(scenario, withDetails);
        var determination = Engine.Evaluate(request);
        return DocumentContext.Create(request, determination, Engine.Law, Engine.EvaluationDate(request));
    }

    /// <summary>Every (scenario, kind) pair the engine asks for.</summary>
    public static IEnumerable<(string Scenario, DocumentKind Kind)> Pairs() =>
        All.SelectMany(s => s.Value.Kinds.Select(k => (s.Key, k)));
}
