using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Confide.Core;
using Confide.Core.Disclosure;
using Confide.Core.Releases;
using Confide.Core.Requests;
using Confide.Core.Triage;
using Confide.Data.Access;
using Confide.Data.Entities;

namespace Confide.Data.Audit;

/// <summary>A sign-in step, as its audit entry names it.</summary>
public enum SignInStep
{
    Password,
    Code,
}

/// <summary>
/// One audit entry to write (<see cref="IAuditTrail.Add"/>): its action, target and detail. Made only
/// by the factory methods below, one per thing that happens, which take identifiers, enums, counts,
/// hashes and codes from fixed lists, never free text; the detail (<c>key=value;…</c>) is formatted
/// here and nowhere else. This is where "identifiers and outcomes only, never client content" is
/// enforced: a string that reaches a detail must be a code (letters, digits, <c>.</c>, <c>_</c>,
/// <c>-</c>; no spaces; at most 64 characters) or one of its list's codes (staff reasons, break-glass
/// reasons, roles), else the factory throws <see cref="ArgumentException"/> naming the field.
/// The stored values are those the audit log has always held (the chain, verification and
/// checkpoints read them as they are).
/// </summary>
public sealed partial class AuditEvent
{
    private AuditEvent(string action, string targetType, Guid targetId, Guid? clientId, Detail? detail = null)
    {
        Action = action;
        TargetType = targetType;
        TargetId = targetId;
        ClientId = clientId;
        DetailText = detail?.ToString();
    }

    /// <summary>What happened (<see cref="AuditActions"/>).</summary>
    public string Action { get; }

    /// <summary>The kind of thing it happened to (<c>client</c>, <c>request</c>, …).</summary>
    public string TargetType { get; }

    public Guid TargetId { get; }

    /// <summary>The client whose content was involved, if any.</summary>
    public Guid? ClientId { get; }

    /// <summary>The formatted detail (<c>key=value;…</c>), or null.</summary>
    public string? DetailText { get; }

    private static class Targets
    {
        public const string Practice = "practice";
        public const string PracticeKey = "practice-key";
        public const string User = "user";
        public const string Client = "client";
        public const string RecordItem = "record-item";
        public const string Attachment = "attachment";
        public const string BreakGlass = "break-glass";
        public const string Request = "request";
        public const string RequestFile = "request-file";
        public const string FinalizedDocument = "finalized-document";
        public const string Release = "release";
        public const string Packet = "packet";
        public const string Disclosure = "disclosure";
    }

    // The practice, its people and their sign-ins

    public static AuditEvent PracticeCreated(Guid practiceId) => new(AuditActions.PracticeCreate, Targets.Practice, practiceId, null);

    /// <summary>The demo seeder's fictional practice.</summary>
    /// <summary>The owner changed the practice's Part 2 program setting (the new value; no other field).</summary>
    public static AuditEvent Part2ProgramSet(Guid practiceId, bool part2Program) =>
        new(AuditActions.PracticeUpdate, Targets.Practice, practiceId, null, new Detail().Raw("part2Program", part2Program ? "true" : "false"));

    public static AuditEvent DemoPracticeCreated(Guid practiceId) => new(AuditActions.PracticeCreate, Targets.Practice, practiceId, null, new Detail().Word("demo"));

    /// <summary>A user created with <paramref name="roles"/> (each one of <see cref="Roles.All"/>).</summary>
    public static AuditEvent UserCreated(Guid userId, IEnumerable<string> roles, bool demo = false)
    {
        ArgumentNullException.ThrowIfNull(roles);
        var list = roles.ToList();
        foreach (var role in list)
        {
            OneOf(role, Roles.All, nameof(roles));
        }
        var detail = new Detail().Raw("role", string.Join('+', list));
        return new(AuditActions.UserCreate, Targets.User, userId, null, demo ? detail.Word("demo") : detail);
    }

    /// <summary>A clinician's profession and license changed.</summary>
    public static AuditEvent ProfileUpdated(Guid userId) => new(AuditActions.UserUpdate, Targets.User, userId, null, new Detail().Raw("fields", "profession,license"));

    public static AuditEvent Reauthenticated(Guid userId, bool succeeded) => new(AuditActions.Reauthenticate, Targets.User, userId, null, new Detail().Raw("result", succeeded ? "ok" : "failed"));

    /// <summary>Signed in: with an authenticator code, or (no second factor yet) by password, to enrol.</summary>
    public static AuditEvent SignedIn(Guid userId, bool withCode) =>
        new(AuditActions.SignInSuccess, Targets.User, userId, null, withCode ? new Detail().Raw("mfa", "totp") : new Detail().Raw("mfa", "none").Raw("next", "enrol"));

    /// <summary>The password was right; the authenticator code comes next.</summary>
    public static AuditEvent SignInNeedsCode(Guid userId) => new(AuditActions.SignInPassword, Targets.User, userId, null, new Detail().Raw("next", "code"));

    public static AuditEvent SignInLockedOut(Guid userId, SignInStep step) => new(AuditActions.SignInLockout, Targets.User, userId, null, new Detail().Raw("step", StepName(step)));

    /// <summary>Identity does not allow this account to sign in (e.g. unconfirmed).</summary>
    public static AuditEvent SignInNotAllowed(Guid userId, SignInStep step) =>
        new(AuditActions.SignInFailure, Targets.User, userId, null, new Detail().Raw("step", StepName(step)).Raw("reason", "not-allowed"));

    public static AuditEvent SignInFailed(Guid userId, SignInStep step, int failedCount) =>
        new(AuditActions.SignInFailure, Targets.User, userId, null, new Detail().Raw("step", StepName(step)).Count("failed", failedCount));

    public static AuditEvent SignedOut(Guid userId, bool withCode) => new(AuditActions.SignOut, Targets.User, userId, null, new Detail().Raw("mfa", withCode ? "totp" : "none"));

    public static AuditEvent AuthenticatorKeyReset(Guid userId) => new(AuditActions.TwoFactorKeyReset, Targets.User, userId, null, Totp());

    public static AuditEvent TwoFactorEnabled(Guid userId) => new(AuditActions.TwoFactorEnable, Targets.User, userId, null, Totp());

    public static AuditEvent TwoFactorEnableFailed(Guid userId) => new(AuditActions.TwoFactorEnableFailure, Targets.User, userId, null, Totp());

    public static AuditEvent CalendarFeedCreated(Guid userId, bool replaced) => new(AuditActions.CalendarCreate, Targets.User, userId, null, new Detail().Word(replaced ? "replaced" : "new"));

    public static AuditEvent CalendarFeedRevoked(Guid userId) => new(AuditActions.CalendarRevoke, Targets.User, userId, null);

    public static AuditEvent CalendarFeedRead(Guid userId, int events) => new(AuditActions.CalendarRead, Targets.User, userId, null, new Detail().Count("events", events));

    public static AuditEvent HomeViewed(Guid practiceId, int due, int activity) =>
        new(AuditActions.HomeView, Targets.Practice, practiceId, null, new Detail().Count("due", due).Count("activity", activity));

    // Keys

    /// <summary>The practice's key upgraded to <paramref name="version"/> under the master key <paramref name="masterKeyId"/> (its fingerprint).</summary>
    public static AuditEvent PracticeKeyUpgraded(Guid practiceId, int version, int rewrapped, string masterKeyId) =>
        new(AuditActions.KeyUpgrade, Targets.PracticeKey, practiceId, null, new Detail().Count("version", version).Count("rewrapped", rewrapped).Code("master", masterKeyId));

    public static AuditEvent PracticeKeyRotated(Guid keyId, int version, int rewrapped, string masterKeyId, int authenticators) =>
        new(
            AuditActions.KeyRotate,
            Targets.PracticeKey,
            keyId,
            null,
            new Detail().Count("version", version).Count("rewrapped", rewrapped).Code("master", masterKeyId).Count("authenticators", authenticators)
        );

    public static AuditEvent PracticeKeyRetired(Guid keyId, int version) => new(AuditActions.KeyRetire, Targets.PracticeKey, keyId, null, new Detail().Count("version", version));

    // Clients and their records

    public static AuditEvent ClientsListed(Guid practiceId, int count) => new(AuditActions.ClientList, Targets.Practice, practiceId, null, new Detail().Count("count", count));

    public static AuditEvent ClientCreated(Guid clientId, int guardians) => new(AuditActions.ClientCreate, Targets.Client, clientId, clientId, new Detail().Count("guardians", guardians));

    /// <summary>A fictional client of the demo seeder.</summary>
    public static AuditEvent DemoClientCreated(Guid clientId) => new(AuditActions.ClientCreate, Targets.Client, clientId, clientId, new Detail().Word("demo"));

    /// <summary>A clinician assigned to the client (at creation, without a grant; later, under the grant that opened the client).</summary>
    public static AuditEvent ClientAssigned(Guid clientId, Guid clinicianId, ClientGrant? grant = null) =>
        new(AuditActions.ClientAssign, Targets.Client, clientId, clientId, new Detail().Id("clinician", clinicianId).Opened(grant));

    public static AuditEvent ClientViewed(Guid clientId, int items, ClientGrant grant) =>
        new(AuditActions.ClientView, Targets.Client, clientId, clientId, new Detail().Count("items", items).Opened(Granted(grant)));

    /// <summary>A shredded client's page (nothing of theirs can be read).</summary>
    public static AuditEvent DestroyedClientViewed(Guid clientId) => new(AuditActions.ClientView, Targets.Client, clientId, clientId, new Detail().Word("destroyed"));

    /// <summary>The request intake form opened for a client (with the staff reason code it was opened under).</summary>
    public static AuditEvent RequestIntakeOpened(Guid clientId, string? reason) =>
        new(AuditActions.ClientView, Targets.Client, clientId, clientId, new Detail().Raw("form", "request-intake").Reason(reason));

    /// <summary>The client deleted by destroying <paramref name="keys"/> data keys, past the retention of <paramref name="retentionYears"/>.</summary>
    public static AuditEvent ClientShredded(Guid clientId, int keys, int retentionYears) =>
        new(AuditActions.ClientShred, Targets.Client, clientId, clientId, new Detail().Count("keys", keys).Count("retention-years", retentionYears));

    /// <summary>A break-glass opening: its scope, the reason code (one of <see cref="ClientContent.BreakGlassReasons"/>; the typed reason is encrypted, never here) and its minutes.</summary>
    public static AuditEvent BreakGlassOpened(BreakGlass glass, int minutes)
    {
        ArgumentNullException.ThrowIfNull(glass);
        if (!ClientContent.IsBreakGlassReason(glass.ReasonCode))
        {
            throw new ArgumentException($"not a break-glass reason code: {glass.ReasonCode}", nameof(glass));
        }
        var scope = glass.Scope == BreakGlassScope.Client ? "client" : "psychotherapy-notes";
        return new(AuditActions.BreakGlassOpen, Targets.BreakGlass, glass.Id, glass.ClientId, new Detail().Raw("scope", scope).Raw("reason", glass.ReasonCode).Count("minutes", minutes));
    }

    public static AuditEvent BreakGlassAcknowledged(Guid breakGlassId, Guid clientId) => new(AuditActions.BreakGlassAcknowledge, Targets.BreakGlass, breakGlassId, clientId);

    public static AuditEvent RecordCreated(RecordItem item, ClientGrant grant)
    {
        ArgumentNullException.ThrowIfNull(item);
        return new(AuditActions.RecordCreate, Targets.RecordItem, item.Id, item.ClientId, new Detail().Enum("category", item.Category).Opened(Granted(grant)));
    }

    /// <summary>A fictional record item of the demo seeder.</summary>
    public static AuditEvent DemoRecordCreated(RecordItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        return new(AuditActions.RecordCreate, Targets.RecordItem, item.Id, item.ClientId, new Detail().Enum("category", item.Category).Word("demo"));
    }

    public static AuditEvent RecordViewed(RecordItem item, ClientGrant grant)
    {
        ArgumentNullException.ThrowIfNull(item);
        return new(AuditActions.RecordView, Targets.RecordItem, item.Id, item.ClientId, new Detail().Enum("category", item.Category).Opened(Granted(grant)));
    }

    public static AuditEvent AttachmentCreated(Attachment attachment, Guid clientId, int size, ClientGrant grant)
    {
        ArgumentNullException.ThrowIfNull(attachment);
        return new(AuditActions.AttachmentCreate, Targets.Attachment, attachment.Id, clientId, new Detail().Id("record-item", attachment.RecordItemId).Count("size", size).Opened(Granted(grant)));
    }

    public static AuditEvent AttachmentDownloaded(Attachment attachment, Guid clientId, ClientGrant grant)
    {
        ArgumentNullException.ThrowIfNull(attachment);
        return new(AuditActions.AttachmentDownload, Targets.Attachment, attachment.Id, clientId, new Detail().Id("record-item", attachment.RecordItemId).Opened(Granted(grant)));
    }

    /// <summary>One page of an attachment shown as an image (the packet page's preview, to choose what to withhold or black out).</summary>
    public static AuditEvent AttachmentPreviewed(Attachment attachment, Guid clientId, int page, ClientGrant grant, string? reason)
    {
        ArgumentNullException.ThrowIfNull(attachment);
        return new(AuditActions.AttachmentView, Targets.Attachment, attachment.Id, clientId, new Detail().Id("record-item", attachment.RecordItemId).Raw("view", "packet-preview").Count("page", page).Reason(reason).Opened(Granted(grant)));
    }

    /// <summary>A named system reader (<see cref="ClientContent.OpenSystemAsync"/>) opened a client's disclosures: its name (a code) and the outcome.</summary>
    public static AuditEvent SystemRead(Guid clientId, string systemName, AccessOutcome outcome) =>
        new(AuditActions.ContentSystemRead, Targets.Client, clientId, clientId, new Detail().Code("system", systemName).Raw("purpose", "disclosures").Raw("outcome", outcome.ToString()));

    /// <summary>A client's accounting of disclosures shown (<paramref name="format"/> null: the page) or exported.</summary>
    public static AuditEvent AccountingExported(Guid clientId, string? format, int entries, ClientGrant grant) =>
        new(AuditActions.AccountingExport, Targets.Client, clientId, clientId, AccountingDetail("client", format, entries).Opened(Granted(grant)));

    /// <summary>A client's accounting exported by <c>confide accounting</c>.</summary>
    public static AuditEvent AccountingExportedByCommand(Guid clientId, string format, int entries) =>
        new(AuditActions.AccountingExport, Targets.Client, clientId, clientId, AccountingDetail("client", format, entries).Raw("via", "cli"));

    /// <summary>The practice's disclosure log shown (<paramref name="format"/> null: the page) or exported.</summary>
    public static AuditEvent PracticeAccountingExported(Guid practiceId, string? format, int entries) =>
        new(AuditActions.AccountingExport, Targets.Practice, practiceId, null, AccountingDetail("practice", format, entries));

    // Requests and their documents (reason: the staff reason code the record was opened with, if any)

    /// <summary>The request queue: its filter (<c>open</c>, <c>done</c>, <c>all</c>), page and rows shown.</summary>
    public static AuditEvent RequestsListed(Guid practiceId, string show, int page, int count) =>
        new(AuditActions.RequestList, Targets.Practice, practiceId, null, new Detail().Code("show", show).Count("page", page).Count("count", count));

    public static AuditEvent RequestCreated(RecordRequest request, Instrument instrument, string? reason) =>
        OnRequest(AuditActions.RequestCreate, request, new Detail().Enum("instrument", instrument).Reason(reason));

    public static AuditEvent RequestUpdated(RecordRequest request, Instrument instrument, string? reason) =>
        OnRequest(AuditActions.RequestUpdate, request, new Detail().Enum("instrument", instrument).Reason(reason));

    public static AuditEvent RequestStatusChanged(RecordRequest request, RequestStatus from, RequestStatus to, string? reason) =>
        OnRequest(AuditActions.RequestStatus, request, new Detail().Enum("from", from).Enum("to", to).Reason(reason));

    /// <summary>A determination made (<paramref name="sequence"/>: the request's how-manyth), with the releases the triage used.</summary>
    public static AuditEvent RequestTriaged(RecordRequest request, RequestDetermination determination, int sequence, IReadOnlyCollection<Guid> releasesUsed, string? reason)
    {
        ArgumentNullException.ThrowIfNull(determination);
        ArgumentNullException.ThrowIfNull(releasesUsed);
        var detail = new Detail()
            .Id("determination", determination.Id)
            .Count("sequence", sequence)
            .Enum("outcome", determination.Outcome)
            .Raw("profile", $"{Checked(determination.ProfileJurisdiction, "profile")}@{Checked(determination.ProfileVersion, "profile")}")
            .Raw("releases", releasesUsed.Count == 0 ? "none" : string.Join(',', releasesUsed.Select(id => id.ToString("N"))))
            .Reason(reason);
        return OnRequest(AuditActions.RequestTriage, request, detail);
    }

    public static AuditEvent RequestViewed(RecordRequest request, RequestDetermination current, string? reason)
    {
        ArgumentNullException.ThrowIfNull(current);
        return OnRequest(AuditActions.RequestView, request, new Detail().Id("determination", current.Id).Enum("outcome", current.Outcome).Reason(reason));
    }

    /// <summary>The request's edit form opened.</summary>
    public static AuditEvent RequestEditOpened(RecordRequest request, string? reason) => OnRequest(AuditActions.RequestView, request, new Detail().Raw("form", "edit").Reason(reason));

    /// <summary>The disclosure packet review page opened, proposing <paramref name="proposed"/> items.</summary>
    public static AuditEvent PacketReviewOpened(RecordRequest request, int proposed, string? reason) =>
        OnRequest(AuditActions.RequestView, request, new Detail().Raw("view", "packet-review").Count("proposed", proposed).Reason(reason));

    /// <summary>Step <paramref name="step"/> (counted from 1) of a determination's checklist ticked or unticked.</summary>
    public static AuditEvent RequestStepChecked(RecordRequest request, Guid determinationId, int step, bool done, string? reason) =>
        OnRequest(AuditActions.RequestStep, request, new Detail().Id("determination", determinationId).Count("step", step).Word(done ? "done" : "undone").Reason(reason));

    public static AuditEvent RequestNoteAdded(RecordRequest request, Guid noteId, string? reason) => OnRequest(AuditActions.RequestNote, request, new Detail().Id("note", noteId).Reason(reason));

    public static AuditEvent RequestFileAttached(RecordRequest request, Guid fileId, int size, string? reason)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new(AuditActions.RequestFileCreate, Targets.RequestFile, fileId, request.ClientId, new Detail().Id("request", request.Id).Count("size", size).Reason(reason));
    }

    public static AuditEvent RequestFileDownloaded(RequestFile file, string? reason)
    {
        ArgumentNullException.ThrowIfNull(file);
        return new(AuditActions.RequestFileDownload, Targets.RequestFile, file.Id, file.ClientId, new Detail().Id("request", file.RequestId).Reason(reason));
    }

    /// <summary>A document's editor opened: the composed text (or the latest finalized version, <paramref name="basedOnVersion"/>) was read.</summary>
    public static AuditEvent DocumentEditorOpened(RecordRequest request, Guid determinationId, DocumentKind kind, int? basedOnVersion, string? reason)
    {
        var detail = new Detail().Raw("view", "document-editor").Id("determination", determinationId).Enum("kind", kind);
        if (basedOnVersion is { } v)
        {
            detail.Count("version", v);
        }
        return OnRequest(AuditActions.RequestView, request, detail.Reason(reason));
    }

    /// <summary>A determination's document composed and exported (<paramref name="format"/> <c>pdf</c> or <c>docx</c>).</summary>
    public static AuditEvent DocumentExported(RecordRequest request, Guid determinationId, DocumentKind kind, string format, string? reason) =>
        OnRequest(AuditActions.DocumentExport, request, new Detail().Id("determination", determinationId).Enum("kind", kind).Code("format", format).Reason(reason));

    public static AuditEvent DocumentFinalized(FinalizedDocument document, string? reason)
    {
        ArgumentNullException.ThrowIfNull(document);
        var detail = new Detail().Id("request", document.RequestId).Enum("kind", document.Kind).Count("version", document.Version).Hex("pdf-sha256", document.PdfSha256).Reason(reason);
        return new(AuditActions.DocumentFinalize, Targets.FinalizedDocument, document.Id, document.ClientId, detail);
    }

    /// <summary>A finalized document's stored text, PDF or Word file downloaded.</summary>
    public static AuditEvent FinalizedDocumentExported(FinalizedDocument document, string format, string? reason)
    {
        ArgumentNullException.ThrowIfNull(document);
        var detail = new Detail().Id("request", document.RequestId).Count("version", document.Version).Code("format", format).Reason(reason);
        return new(AuditActions.DocumentExport, Targets.FinalizedDocument, document.Id, document.ClientId, detail);
    }

    // Releases and the client portal (token: the SHA-256 of a portal link's token, of which the first 8 hex digits are kept)

    public static AuditEvent ReleaseCreated(Release release)
    {
        ArgumentNullException.ThrowIfNull(release);
        return OnRelease(AuditActions.ReleaseCreate, release, new Detail().Code("kind", release.Kind));
    }

    public static AuditEvent ReleaseViewed(Release release) => OnRelease(AuditActions.ReleaseView, release, null);

    public static AuditEvent ReleaseDownloadedByPractice(Release release) => OnRelease(AuditActions.ReleaseDownload, release, new Detail().Raw("by", "practice"));

    /// <summary>A sign link made for the release, valid until <paramref name="expires"/>.</summary>
    public static AuditEvent ReleaseSent(Release release, byte[] tokenHash, DateTimeOffset expires) =>
        OnRelease(AuditActions.ReleaseSend, release, new Detail().Token(tokenHash).Raw("expires", expires.UtcDateTime.ToString("O", CultureInfo.InvariantCulture)));

    /// <summary>Signed through a portal link: the SHA-256 (hex) of the text the client was shown.</summary>
    public static AuditEvent ReleaseSigned(Release release, byte[] tokenHash, string textSha256) =>
        OnRelease(AuditActions.ReleaseSign, release, new Detail().Token(tokenHash).Code("text-sha256", textSha256).Raw("understanding", "confirmed"));

    public static AuditEvent ReleaseRevoked(Release release, byte[] tokenHash) => OnRelease(AuditActions.ReleaseRevoke, release, new Detail().Token(tokenHash));

    /// <summary>A revocation the client made in writing to the practice, entered by a practice user.</summary>
    public static AuditEvent ReleaseRevokedByPractice(Release release) => OnRelease(AuditActions.ReleaseRevoke, release, new Detail().Raw("by", "practice"));

    /// <summary>A portal link refused (<paramref name="reason"/>: a code such as <c>expired</c>).</summary>
    public static AuditEvent PortalRefused(PortalToken link, byte[] tokenHash, string reason)
    {
        ArgumentNullException.ThrowIfNull(link);
        return new(AuditActions.PortalRefused, Targets.Release, link.ReleaseId, link.ClientId, new Detail().Token(tokenHash).Code("reason", reason));
    }

    public static AuditEvent PortalViewed(PortalToken link)
    {
        ArgumentNullException.ThrowIfNull(link);
        return OnLink(AuditActions.PortalView, link, new Detail().Raw("link", link.Purpose == PortalTokenPurpose.Sign ? "sign" : "revoke"));
    }

    /// <summary>The client answered the understanding check; the questions answered wrongly, by id.</summary>
    public static AuditEvent PortalChecked(PortalToken link, IReadOnlyCollection<UnderstandingQuestion> wrong)
    {
        ArgumentNullException.ThrowIfNull(wrong);
        var ids = wrong.Count == 0 ? "none" : string.Join(',', wrong.Select(q => Checked(q.Id, nameof(wrong))));
        return OnLink(AuditActions.PortalCheck, link, new Detail().Raw("wrong", ids));
    }

    public static AuditEvent ReleaseDownloadedByClient(PortalToken link) => OnLink(AuditActions.ReleaseDownload, link, new Detail().Raw("by", "client"));

    // Packets and disclosures

    public static AuditEvent PacketCreated(Packet packet, int typed, int uploads, int proposed, string? reason)
    {
        ArgumentNullException.ThrowIfNull(packet);
        var detail = new Detail().Id("request", packet.RequestId).Id("determination", packet.DeterminationId).Count("typed", typed).Count("uploads", uploads).Count("proposed", proposed).Reason(reason);
        return OnPacket(AuditActions.PacketCreate, packet, detail);
    }

    /// <summary>A packet built: its pages and the SHA-256 (hex) of its PDF.</summary>
    public static AuditEvent PacketBuilt(Packet packet, int pages, string sha256)
    {
        ArgumentNullException.ThrowIfNull(packet);
        return OnPacket(AuditActions.PacketBuilt, packet, new Detail().Id("request", packet.RequestId).Count("pages", pages).Code("sha256", sha256));
    }

    /// <summary>A packet's build failed (<see cref="Packet.Failure"/>, a code).</summary>
    public static AuditEvent PacketFailed(Packet packet)
    {
        ArgumentNullException.ThrowIfNull(packet);
        return OnPacket(AuditActions.PacketFailed, packet, new Detail().Code("failure", packet.Failure));
    }

    /// <summary>A built packet downloaded (<paramref name="file"/> <c>pdf</c> or <c>manifest</c>).</summary>
    public static AuditEvent PacketDownloaded(Packet packet, string file, string? reason)
    {
        ArgumentNullException.ThrowIfNull(packet);
        return OnPacket(AuditActions.PacketDownload, packet, new Detail().Id("request", packet.RequestId).Code("file", file).Reason(reason));
    }

    /// <summary>An entry of the accounting of disclosures written: its basis and what it links to.</summary>
    public static AuditEvent DisclosureRecorded(Disclosure disclosure)
    {
        ArgumentNullException.ThrowIfNull(disclosure);
        var detail = new Detail()
            .Raw("basis", disclosure.Basis.ToString())
            .Raw("accountable", Accounting.Accountable(disclosure.Basis) ? "yes" : "no")
            .Id("request", disclosure.RequestId)
            .Id("packet", disclosure.PacketId)
            .Id("corrects", disclosure.CorrectsId)
            .Id("release", disclosure.ReleaseId);
        return new(AuditActions.DisclosureRecord, Targets.Disclosure, disclosure.Id, disclosure.ClientId, detail);
    }

    // Consent checked again when records leave

    /// <summary>
    /// A disclosure stopped at <paramref name="stage"/> (<c>review</c>, <c>build</c>, <c>worker</c>)
    /// because what the determination relied on no longer holds: each failing release by id with its
    /// code (<c>revoked</c>, <c>expired</c>, …), or the determination itself (<c>determination-replaced</c>).
    /// </summary>
    public static AuditEvent ConsentRefused(RecordRequest request, Guid determinationId, string stage, IReadOnlyCollection<(Guid? ReleaseId, string Code)> failing, Guid? packetId)
    {
        ArgumentNullException.ThrowIfNull(failing);
        OneOf(stage, ConsentStages, nameof(stage));
        var list = string.Join(',', failing.Select(f => f.ReleaseId is { } id ? $"{id:N}:{Checked(f.Code, nameof(failing))}" : Checked(f.Code, nameof(failing))));
        var detail = new Detail().Id("determination", determinationId).Raw("stage", stage).Raw("failing", list.Length == 0 ? "none" : list).Id("packet", packetId);
        return OnRequest(AuditActions.ConsentRefused, request, detail);
    }

    /// <summary>A request flagged "re-check needed" because release <paramref name="releaseId"/>, which its current determination relied on, was <paramref name="cause"/> (a code: <c>revoked</c>).</summary>
    public static AuditEvent RequestRecheckFlagged(RecordRequest request, Guid releaseId, string cause) =>
        OnRequest(AuditActions.RequestRecheck, request, new Detail().Id("release", releaseId).Code("cause", cause));

    /// <summary>Where consent is checked again before records leave.</summary>
    public static IReadOnlyList<string> ConsentStages { get; } = ["review", "build", "worker"];

    // Shapes shared by several events

    private static AuditEvent OnRequest(string action, RecordRequest request, Detail detail)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new(action, Targets.Request, request.Id, request.ClientId, detail);
    }

    private static AuditEvent OnRelease(string action, Release release, Detail? detail)
    {
        ArgumentNullException.ThrowIfNull(release);
        return new(action, Targets.Release, release.Id, release.ClientId, detail);
    }

    private static AuditEvent OnLink(string action, PortalToken link, Detail detail)
    {
        ArgumentNullException.ThrowIfNull(link);
        return new(action, Targets.Release, link.ReleaseId, link.ClientId, new Detail().Token(link.TokenHash).Append(detail));
    }

    private static AuditEvent OnPacket(string action, Packet packet, Detail detail)
    {
        ArgumentNullException.ThrowIfNull(packet);
        return new(action, Targets.Packet, packet.Id, packet.ClientId, detail);
    }

    private static Detail AccountingDetail(string scope, string? format, int entries) => new Detail().Raw("scope", scope).Code("format", format ?? "page").Count("entries", entries);

    private static Detail Totp() => new Detail().Raw("method", "totp");

    private static string StepName(SignInStep step) => step == SignInStep.Code ? "code" : "password";

    private static ClientGrant Granted(ClientGrant grant)
    {
        ArgumentNullException.ThrowIfNull(grant);
        return grant;
    }

    private static void OneOf(string value, IReadOnlyList<string> allowed, string field)
    {
        if (!allowed.Contains(value))
        {
            throw new ArgumentException($"{field}: '{value}' is not one of {string.Join(", ", allowed)}", field);
        }
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
    private static partial Regex CodePattern();

    /// <summary>The value when it is a code (no spaces, no separators, at most 64 characters), else an <see cref="ArgumentException"/> naming <paramref name="field"/>.</summary>
    private static string Checked(string? value, string field) =>
        value is not null && CodePattern().IsMatch(value)
            ? value
            : throw new ArgumentException($"audit detail '{field}' must be a code (letters, digits, '.', '_', '-'; at most 64 characters), never free text", field);

    /// <summary>The one formatter of audit details: <c>key=value</c> pairs and bare words, joined by <c>;</c>.</summary>
    private sealed class Detail
    {
        private readonly StringBuilder _text = new();

        public Detail Id(string key, Guid id) => Raw(key, id.ToString("N"));

        /// <summary>Nothing when <paramref name="id"/> is null.</summary>
        public Detail Id(string key, Guid? id) => id is { } value ? Id(key, value) : this;

        public Detail Count(string key, long count) => Raw(key, count.ToString(CultureInfo.InvariantCulture));

        public Detail Enum<T>(string key, T value)
            where T : struct, Enum => Raw(key, Wire<T>.Name(value));

        public Detail Code(string key, string? value) => Raw(key, Checked(value, key));

        public Detail Hex(string key, byte[] bytes) => Raw(key, Convert.ToHexStringLower(bytes));

        /// <summary>A portal token's hash, as its first 8 hex digits.</summary>
        public Detail Token(byte[] tokenHash)
        {
            ArgumentNullException.ThrowIfNull(tokenHash);
            return Raw("token", Convert.ToHexStringLower(tokenHash)[..8]);
        }

        /// <summary>The staff reason code (one of <see cref="ClientContent.StaffReasons"/>), when one was given.</summary>
        public Detail Reason(string? reason)
        {
            if (reason is null)
            {
                return this;
            }
            if (!ClientContent.IsStaffReason(reason))
            {
                throw new ArgumentException($"not a staff reason code: {reason}", nameof(reason));
            }
            return Raw("reason", reason);
        }

        /// <summary>How the record was opened: the staff reason code, the break-glass id, the system reader's name.</summary>
        public Detail Opened(ClientGrant? grant)
        {
            if (grant is null)
            {
                return this;
            }
            Reason(grant.Reason);
            Id("break-glass", grant.BreakGlassId);
            return grant.Reader.System is { } system ? Code("system", system) : this;
        }

        public Detail Word(string word) => Separate().Append(word);

        /// <summary>A pair whose value this class built or checked.</summary>
        public Detail Raw(string key, string value) => Separate().Append(key).Append('=').Append(value);

        public Detail Append(Detail other)
        {
            if (other._text.Length > 0)
            {
                Separate()._text.Append(other._text);
            }
            return this;
        }

        private Detail Separate()
        {
            if (_text.Length > 0)
            {
                _text.Append(';');
            }
            return this;
        }

        private Detail Append(string text)
        {
            _text.Append(text);
            return this;
        }

        private Detail Append(char c)
        {
            _text.Append(c);
            return this;
        }

        public override string? ToString() => _text.Length == 0 ? null : _text.ToString();
    }
}
