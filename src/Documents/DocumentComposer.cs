using Confide.Core;
using Confide.Core.Requests;
using Confide.Core.Triage;

namespace Confide.Documents;

/// <summary>
/// Composes each document kind of <c>spec/triage.md</c> from a <see cref="DocumentContext"/>: all the
/// wording of every letter, form and record lives here, and the renderers only lay it out. A detail
/// the request did not give becomes a marked blank ("______ (client's name)"), never a placeholder.
/// Citations come from the catalog by id; an UNVERIFIED one is left out of anything sent outside
/// the practice and marked in the practice's own records. Pure and thread-safe.
/// </summary>
public static partial class DocumentComposer
{
    /// <summary>The line printed where a detail is missing.</summary>
    public const string BlankLine = Composition.BlankLine;

    /// <summary>Composes one document.</summary>
    public static DocumentModel Compose(DocumentKind kind, DocumentContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return kind switch
        {
            DocumentKind.PrivilegeAssertionLetter => PrivilegeAssertionLetter(context),
            DocumentKind.WrittenOrderRequest => WrittenOrderRequest(context),
            DocumentKind.ClientNotice => ClientNotice(context),
            DocumentKind.AuthorizationForm => HipaaAuthorizationForm(context, psychotherapyNotes: false),
            DocumentKind.PsychotherapyNotesAuthorizationForm => HipaaAuthorizationForm(context, psychotherapyNotes: true),
            DocumentKind.SudConsentForm => SudConsentForm(context),
            DocumentKind.DisclosureCoverLetter => DisclosureCoverLetter(context),
            DocumentKind.MandatedReportWorksheet => MandatedReportWorksheet(context),
            DocumentKind.DutyToProtectRecord => DutyToProtectRecord(context),
            DocumentKind.ConfidentialityResponseLetter => ConfidentialityResponseLetter(context),
            DocumentKind.AccessResponseLetter => AccessResponseLetter(context),
            DocumentKind.OrderClarificationRequest => OrderClarificationRequest(context),
            DocumentKind.ProtectiveDisclosureRecord => ProtectiveDisclosureRecord(context),
            DocumentKind.AuthorityRequestLetter => AuthorityRequestLetter(context),
            DocumentKind.PrivilegeLog => PrivilegeLog(context),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown document kind"),
        };
    }

    /// <summary>
    /// A client's stored release as the form of its kind (authorization form, psychotherapy notes
    /// authorization form, SUD consent form), filled from the release; <paramref name="context"/>
    /// comes from <see cref="DocumentContext.ForRelease"/>. Unsigned, it is the text the client
    /// reads in the portal; signed, the copy with the signing record and the revocation link.
    /// </summary>
    public static DocumentModel ComposeRelease(DocumentContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var release = context.Release ?? throw new ArgumentException("not a release context: use DocumentContext.ForRelease", nameof(context));
        return release.Kind switch
        {
            Core.Releases.ReleaseKind.PsychotherapyNotes => Compose(DocumentKind.PsychotherapyNotesAuthorizationForm, context),
            Core.Releases.ReleaseKind.Sud => Compose(DocumentKind.SudConsentForm, context),
            _ => Compose(DocumentKind.AuthorizationForm, context),
        };
    }

    /// <summary>The text of a document exactly as the portal shows it: its lines, one a line (what the signing hash is taken over).</summary>
    public static string PlainText(DocumentModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return string.Join("\n", model.Texts().Where(t => t.Length > 0));
    }

    /// <summary>Composes every document the determination lists, in its order.</summary>
    public static IReadOnlyList<DocumentModel> ComposeAll(DocumentContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Determination.Documents.Select(kind => Compose(kind, context)).ToArray();
    }

    /// <summary>Who the letters are sent to: the document kinds that leave the practice.</summary>
    public static bool IsSentOutside(DocumentKind kind) =>
        kind is not (DocumentKind.MandatedReportWorksheet or DocumentKind.DutyToProtectRecord or DocumentKind.ProtectiveDisclosureRecord);

    /// <summary>The ethics code sentence for the clinician's profession, citing the code when it may be cited here.</summary>
    private static string EthicsSentence(Composition c)
    {
        var code = c.Profile.EthicsCodeFor(c.Request.Clinician.Profession);
        var text = c.Authority(code?.Citations.FirstOrDefault());
        return (code?.Citations.FirstOrDefault(), text) switch
        {
            (_, null) => "My professional ethical obligations require me to safeguard patient confidences within the limits of the law.",
            ("apa-4.05", _) =>
                $"My professional code of ethics, {text}, permits me to disclose confidential information without consent only where the law mandates it, or where the law permits it for a valid purpose.",
            ("nasw-1.07", _) =>
                $"My professional code of ethics, {text}, requires me to protect the confidentiality of clients during legal proceedings to the extent the law permits and, if ordered to disclose without consent, to ask the court to withdraw the order, to limit it as narrowly as possible, or to keep the records under seal.",
            ("aca-b.2.d", _) =>
                $"My professional code of ethics, {text}, requires me, when a court orders the release of confidential information without a client's permission, to seek the client's written consent or to take steps to prohibit the disclosure or have it limited as narrowly as possible.",
            ("aamft-2.2", _) =>
                $"My professional code of ethics, {text}, does not permit me to disclose confidential information without a written authorization, except as the law mandates or permits.",
            _ => $"My professional code of ethics, {text}, requires me to protect the confidentiality of this information.",
        };
    }

    /// <summary>The privilege that governs the proceeding, by forum and rule of decision, with its citations.</summary>
    private static string PrivilegeLaw(Composition c)
    {
        var proceeding = c.Request.Proceeding;
        if (proceeding is { Forum: Forum.Federal, RuleOfDecision: RuleOfDecision.Federal })
        {
            return $"This matter is in federal court and is governed by federal law. Under {c.Authority("fre-501")}, privilege there is governed by the common law as the federal courts interpret it, and in {c.Authority("jaffee-v-redmond")}, the Supreme Court recognized a psychotherapist-patient privilege: confidential communications between a licensed psychotherapist, including a licensed clinical social worker, and a patient in the course of diagnosis or treatment, and the notes of those sessions, are protected from compelled disclosure. The Court rejected balancing that privilege case by case.";
        }
        var statuteId = c.Profile.PrivilegeFor(c.Request.Clinician.Profession)?.Citations.FirstOrDefault();
        var statute = c.Authority(statuteId);
        var gloss = statuteId switch
        {
            "ca-evid-1014" => ", which a psychotherapist who holds the records must claim on the patient's behalf",
            "fl-90.503" => ", which the psychotherapist may claim on the patient's behalf",
            "il-740-110-10" => ", which applies in civil, criminal, administrative and legislative proceedings",
            "tx-tre-510" => ", which protects mental health information in civil cases",
            _ => "",
        };
        var state = statute is null
            ? "The information sought is protected by the psychotherapist-patient privilege that the law of this State recognizes."
            : $"The information sought is privileged under {statute}{gloss}.";
        return proceeding is { Forum: Forum.Federal, RuleOfDecision: RuleOfDecision.State }
            ? $"Under {c.Authority("fre-501")}, state law governs privilege in a civil case as to a claim or defense for which state law supplies the rule of decision. {state}"
            : state;
    }

    /// <summary>The requested categories as list items.</summary>
    private static IEnumerable<IReadOnlyList<Inline>> CategoryItems(CategorySet set) =>
        set.ToArray().Select(category => Composition.Line(Vocabulary.Long(category)));
}
