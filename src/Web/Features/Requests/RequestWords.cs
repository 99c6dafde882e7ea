using Confide.Core.Requests;
using Confide.Core.Triage;
using Confide.Data.Entities;

namespace Confide.Web.Features.Requests;

/// <summary>The words a therapist reads for the intake form's choices, an outcome's meaning and a request's status (names of categories, outcomes, documents and dates: <see cref="Core.Vocabulary"/>).</summary>
internal static class RequestWords
{
    public static IReadOnlyList<(Instrument Value, string Label)> Instruments { get; } =
    [
        (Instrument.Subpoena, "A subpoena (signed by an attorney or a court clerk)"),
        (Instrument.CourtOrder, "A court order"),
        (Instrument.VerbalOrder, "A judge asked for it in court, out loud"),
        (Instrument.Letter, "A letter, fax or email asking for information"),
        (Instrument.None, "A phone call or an in-person request"),
        (Instrument.Report, "Nothing arrived: I am considering sharing information myself (a safety concern)"),
    ];

    public static IReadOnlyList<(Requester Value, string Label)> Requesters { get; } =
    [
        (Requester.Attorney, "An attorney"),
        (Requester.Court, "A court or a judge"),
        (Requester.Client, "The client, about their own records"),
        (Requester.Cps, "Child protective services"),
        (Requester.LawEnforcement, "Police or a prosecutor"),
        (Requester.Insurer, "An insurance company"),
        (Requester.Employer, "An employer"),
        (Requester.Family, "A family member"),
        (Requester.Provider, "Another health-care provider"),
        (Requester.Parent, "A parent of the client"),
        (Requester.Guardian, "A guardian or conservator"),
        (Requester.PersonalRepresentative, "An executor, administrator or health-care agent"),
        (Requester.ChildRepresentative, "The child's guardian ad litem or attorney"),
        (Requester.LicensingBoard, "A licensing board"),
        (Requester.Other, "Someone else"),
    ];

    public static IReadOnlyList<(Forum Value, string Label)> Forums { get; } =
    [
        (Forum.State, "A state court or agency"),
        (Forum.Federal, "A federal court"),
    ];

    public static IReadOnlyList<(ProceedingKind Value, string Label)> Kinds { get; } =
    [
        (ProceedingKind.Civil, "A lawsuit (civil case)"),
        (ProceedingKind.Criminal, "A criminal case"),
        (ProceedingKind.Custody, "A custody or divorce case about children"),
        (ProceedingKind.ChildProtection, "A child-protection (dependency) case"),
        (ProceedingKind.Administrative, "An administrative hearing (a licensing board, benefits, workers' compensation)"),
    ];

    public static IReadOnlyList<(RuleOfDecision Value, string Label)> RulesOfDecision { get; } =
    [
        (RuleOfDecision.Federal, "Federal law decides the claims (a federal question, or a criminal case)"),
        (RuleOfDecision.State, "State law decides the claims (state-law claims heard in federal court)"),
    ];

    public static IReadOnlyList<(Profession Value, string Label)> Professions { get; } =
    [
        (Profession.Psychologist, "Psychologist"),
        (Profession.SocialWorker, "Clinical social worker"),
        (Profession.Counselor, "Professional counselor"),
        (Profession.MarriageFamilyTherapist, "Marriage and family therapist"),
        (Profession.Psychiatrist, "Psychiatrist"),
        (Profession.Other, "Other"),
    ];

    public static string Label<T>(IReadOnlyList<(T Value, string Label)> list, T value)
        where T : struct, Enum => list.First(e => EqualityComparer<T>.Default.Equals(e.Value, value)).Label;

    /// <summary>What the outcome means for the clinician, in a sentence or two.</summary>
    public static string Meaning(Outcome outcome) =>
        outcome switch
        {
            Outcome.AssertPrivilege =>
                "Do not send records. Refuse on the client's behalf, by the deadline and in writing, and tell the client. Do not ignore the request.",
            Outcome.RequestWrittenOrder =>
                "Do not disclose yet. Ask the judge for a written order that says privilege is set aside and for what purpose.",
            Outcome.ComplyWithOrder =>
                "A judge has ordered it: disclose only what the order expressly covers, and ask for sealing, a protective order or review by the judge in private.",
            Outcome.DiscloseWithAuthorization => "The client's written release covers this: disclose only what the release covers.",
            Outcome.ObtainAuthorization =>
                "Nothing is shared until the client signs a written release; go through with them what will be shared.",
            Outcome.MandatedReport =>
                "Report to child protective services. Privilege does not stop a mandated report; share only what the report needs.",
            Outcome.DutyToProtect => "Act under your state's duty to warn or protect, sharing only what protecting the person needs.",
            Outcome.ConfidentialNoDisclosure => "Confidentiality applies: disclose nothing.",
            Outcome.ClientAccess => "The client has a right to their own records: give access by the deadline.",
            Outcome.ConsultCounsel =>
                "The privilege may not apply here. Keep the information confidential and get legal advice before producing anything.",
            Outcome.ProtectiveDisclosure =>
                "The client is in danger of harming themself: tell only the people who can prevent it, only what they need, and record it.",
            Outcome.DenyAccess =>
                "Access may be refused on this ground: answer in writing by the deadline, with the reason and how to ask for a review or complain.",
            Outcome.VerifyAuthority => "Disclose nothing yet: ask the requester for proof of their authority to act for the client.",
        };

    public static string Status(RequestStatus status) =>
        status switch
        {
            RequestStatus.Received => "Received",
            RequestStatus.UnderReview => "Under review",
            RequestStatus.Responded => "Responded",
            RequestStatus.Closed => "Closed",
        };

    /// <summary>The button that moves a request on to <paramref name="to"/>.</summary>
    public static string StatusAction(RequestStatus to) =>
        to switch
        {
            RequestStatus.Received => "Mark received",
            RequestStatus.UnderReview => "Start the review",
            RequestStatus.Responded => "Mark responded",
            RequestStatus.Closed => "Close the request",
        };
}
