using Confide.Core.Requests;

namespace Confide.Documents;

/// <summary>Names of the request's terms as they read in a letter or form (categories, outcomes, documents and dates: <see cref="Confide.Core.Vocabulary"/>).</summary>
internal static class Words
{
    /// <summary>Who asked, when no name is given: "an attorney".</summary>
    public static string Requester(Requester? requester) =>
        requester switch
        {
            Confide.Core.Requests.Requester.Attorney => "an attorney",
            Confide.Core.Requests.Requester.Court => "the court",
            Confide.Core.Requests.Requester.Client => "you",
            Confide.Core.Requests.Requester.Cps => "child protective services",
            Confide.Core.Requests.Requester.LawEnforcement => "a law enforcement agency",
            Confide.Core.Requests.Requester.Insurer => "an insurance company",
            Confide.Core.Requests.Requester.Employer => "an employer",
            Confide.Core.Requests.Requester.Family => "a family member",
            Confide.Core.Requests.Requester.Provider => "another health care provider",
            Confide.Core.Requests.Requester.LicensingBoard => "a licensing board",
            Confide.Core.Requests.Requester.Parent => "a parent",
            Confide.Core.Requests.Requester.Guardian => "a guardian",
            Confide.Core.Requests.Requester.PersonalRepresentative => "a personal representative",
            Confide.Core.Requests.Requester.ChildRepresentative => "the child's appointed representative",
            Confide.Core.Requests.Requester.Other or null => "someone outside this practice",
        };

    /// <summary>The instrument as a noun after "your" or "the": "subpoena".</summary>
    public static string Instrument(Instrument instrument) =>
        instrument switch
        {
            Confide.Core.Requests.Instrument.Subpoena => "subpoena",
            Confide.Core.Requests.Instrument.CourtOrder => "order",
            Confide.Core.Requests.Instrument.VerbalOrder => "oral direction from the bench",
            Confide.Core.Requests.Instrument.Letter => "letter",
            Confide.Core.Requests.Instrument.Report => "report",
            Confide.Core.Requests.Instrument.None => "request",
        };

    /// <summary>The instrument with its article: "a subpoena".</summary>
    public static string InstrumentWithArticle(Instrument instrument) =>
        instrument switch
        {
            Confide.Core.Requests.Instrument.CourtOrder => "an order",
            Confide.Core.Requests.Instrument.VerbalOrder => "an oral direction from the bench",
            Confide.Core.Requests.Instrument.None => "a request",
            _ => "a " + Instrument(instrument),
        };

    public static string Profession(Profession profession) =>
        profession switch
        {
            Confide.Core.Requests.Profession.Psychologist => "licensed psychologist",
            Confide.Core.Requests.Profession.SocialWorker => "licensed clinical social worker",
            Confide.Core.Requests.Profession.Counselor => "licensed professional counselor",
            Confide.Core.Requests.Profession.MarriageFamilyTherapist => "licensed marriage and family therapist",
            Confide.Core.Requests.Profession.Psychiatrist => "psychiatrist",
            Confide.Core.Requests.Profession.Other => "mental health professional",
        };

    public static string ProceedingKind(ProceedingKind kind) =>
        kind switch
        {
            Confide.Core.Requests.ProceedingKind.Civil => "civil",
            Confide.Core.Requests.ProceedingKind.Criminal => "criminal",
            Confide.Core.Requests.ProceedingKind.Custody => "custody",
            Confide.Core.Requests.ProceedingKind.ChildProtection => "child-protection",
            Confide.Core.Requests.ProceedingKind.Administrative => "administrative",
        };
}
