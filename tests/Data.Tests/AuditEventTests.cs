using Confide.Core.Disclosure;
using Confide.Core.Releases;
using Confide.Core.Requests;
using Confide.Core.Triage;
using Confide.Data.Access;
using Confide.Data.Audit;
using Confide.Data.Entities;

namespace Confide.Data.Tests;

/// <summary>
/// The audit events write the action, target and detail text the log has always held (the strings
/// below are those the hand-written <c>Record(…)</c> calls produced), and refuse anything that is not
/// an identifier, count or code.
/// </summary>
public sealed class AuditEventTests
{
    private static readonly Guid Practice = Guid.Parse("0193a1b2-0000-7000-8000-000000000001");
    private static readonly Guid Client = Guid.Parse("0193a1b2-0000-7000-8000-000000000002");
    private static readonly Guid Row = Guid.Parse("0193a1b2-0000-7000-8000-000000000003");
    private static readonly Guid Other = Guid.Parse("0193a1b2-0000-7000-8000-000000000004");
    private static readonly Guid Third = Guid.Parse("0193a1b2-0000-7000-8000-000000000005");
    private static readonly byte[] TokenHash = Convert.FromHexString("a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90");

    private static void Is(AuditEvent e, string action, string targetType, Guid targetId, Guid? clientId, string? detail)
    {
        Assert.Equal(action, e.Action);
        Assert.Equal(targetType, e.TargetType);
        Assert.Equal(targetId, e.TargetId);
        Assert.Equal(clientId, e.ClientId);
        Assert.Equal(detail, e.DetailText);
    }

    private static ClientGrant Grant(string? reason = null, Guid? breakGlass = null)
    {
        var reader = new Reader(Guid.NewGuid(), Practice, IsOwner: reason is null && breakGlass is null, IsClinician: breakGlass is not null, IsStaff: reason is not null);
        var facts = new ClientFacts(Practice, Client, false, false, breakGlass, null);
        return ClientContent.Decide(reader, facts, ContentPurpose.Record, reason).Grant!;
    }

    private static RecordRequest Request() => new() { Id = Row, PracticeId = Practice, ClientId = Client, DocumentCipher = [] };

    private static RequestDetermination Determination() =>
        new() { Id = Other, ClientId = Client, RequestId = Row, Outcome = Outcome.AssertPrivilege, ProfileJurisdiction = "US-CA", ProfileVersion = "1.0.0", DeterminationCipher = [], DocumentCipher = [] };

    [Fact]
    public void PeopleAndSignIns_KeepTheirStoredFormat()
    {
        Is(AuditEvent.PracticeCreated(Practice), "practice.create", "practice", Practice, null, null);
        Is(AuditEvent.DemoPracticeCreated(Practice), "practice.create", "practice", Practice, null, "demo");
        Is(AuditEvent.UserCreated(Row, [Roles.Owner]), "user.create", "user", Row, null, "role=Owner");
        Is(AuditEvent.UserCreated(Row, [Roles.Owner, Roles.Clinician], demo: true), "user.create", "user", Row, null, "role=Owner+Clinician;demo");
        Is(AuditEvent.ProfileUpdated(Row), "user.update", "user", Row, null, "fields=profession,license");
        Is(AuditEvent.Reauthenticated(Row, false), "user.reauthenticate", "user", Row, null, "result=failed");
        Is(AuditEvent.SignedIn(Row, withCode: true), "signin.success", "user", Row, null, "mfa=totp");
        Is(AuditEvent.SignedIn(Row, withCode: false), "signin.success", "user", Row, null, "mfa=none;next=enrol");
        Is(AuditEvent.SignInNeedsCode(Row), "signin.password", "user", Row, null, "next=code");
        Is(AuditEvent.SignInLockedOut(Row, SignInStep.Code), "signin.lockout", "user", Row, null, "step=code");
        Is(AuditEvent.SignInNotAllowed(Row, SignInStep.Password), "signin.failure", "user", Row, null, "step=password;reason=not-allowed");
        Is(AuditEvent.SignInFailed(Row, SignInStep.Password, 3), "signin.failure", "user", Row, null, "step=password;failed=3");
        Is(AuditEvent.SignedOut(Row, withCode: false), "signout", "user", Row, null, "mfa=none");
        Is(AuditEvent.AuthenticatorKeyReset(Row), "2fa.key-reset", "user", Row, null, "method=totp");
        Is(AuditEvent.TwoFactorEnableFailed(Row), "2fa.enable-failure", "user", Row, null, "method=totp");
        Is(AuditEvent.CalendarFeedCreated(Row, replaced: true), "calendar.create", "user", Row, null, "replaced");
        Is(AuditEvent.CalendarFeedRevoked(Row), "calendar.revoke", "user", Row, null, null);
        Is(AuditEvent.CalendarFeedRead(Row, 4), "calendar.read", "user", Row, null, "events=4");
        Is(AuditEvent.HomeViewed(Practice, 2, 7), "home.view", "practice", Practice, null, "due=2;activity=7");
        Is(AuditEvent.PracticeKeyRotated(Row, 3, 12, "0123456789abcdef", 2), "key.rotate", "practice-key", Row, null, "version=3;rewrapped=12;master=0123456789abcdef;authenticators=2");
        Is(AuditEvent.PracticeKeyRetired(Row, 2), "key.retire", "practice-key", Row, null, "version=2");
    }

    [Fact]
    public void ClientsAndRecords_KeepTheirStoredFormat_WithHowTheRecordWasOpened()
    {
        var glass = Third;
        Is(AuditEvent.ClientViewed(Client, 5, Grant(reason: "billing")), "client.view", "client", Client, Client, "items=5;reason=billing");
        Is(AuditEvent.ClientViewed(Client, 5, Grant(breakGlass: glass)), "client.view", "client", Client, Client, $"items=5;break-glass={glass:N}");
        Is(AuditEvent.ClientAssigned(Client, Other), "client.assign", "client", Client, Client, $"clinician={Other:N}");
        Is(AuditEvent.DestroyedClientViewed(Client), "client.view", "client", Client, Client, "destroyed");
        Is(AuditEvent.RequestIntakeOpened(Client, "billing"), "client.view", "client", Client, Client, "form=request-intake;reason=billing");
        Is(AuditEvent.ClientShredded(Client, 1, 10), "client.shred", "client", Client, Client, "keys=1;retention-years=10");
        var item = new RecordItem { Id = Row, ClientId = Client, Category = Category.ProgressNotes, ContentCipher = [] };
        Is(AuditEvent.RecordViewed(item, Grant()), "record.view", "record-item", Row, Client, "category=progress-notes");
        Is(AuditEvent.DemoRecordCreated(item), "record.create", "record-item", Row, Client, "category=progress-notes;demo");
        var attachment = new Attachment { Id = Other, RecordItemId = Row, FileNameCipher = [], ContentType = "application/pdf", ContentCipher = [], Sha256 = [] };
        Is(AuditEvent.AttachmentCreated(attachment, Client, 2048, Grant()), "attachment.create", "attachment", Other, Client, $"record-item={Row:N};size=2048");
        var open = new BreakGlass { Id = glass, PracticeId = Practice, ClientId = Client, Scope = BreakGlassScope.PsychotherapyNotes, ReasonCode = "risk-of-harm", ReasonCipher = [] };
        Is(AuditEvent.BreakGlassOpened(open, 60), "break-glass.open", "break-glass", glass, Client, "scope=psychotherapy-notes;reason=risk-of-harm;minutes=60");
        Is(AuditEvent.SystemRead(Client, "cli-accounting", AccessOutcome.Granted), "content.system-read", "client", Client, Client, "system=cli-accounting;purpose=disclosures;outcome=Granted");
        Is(AuditEvent.AccountingExported(Client, null, 3, Grant()), "accounting.export", "client", Client, Client, "scope=client;format=page;entries=3");
        Is(AuditEvent.AccountingExportedByCommand(Client, "csv", 3), "accounting.export", "client", Client, Client, "scope=client;format=csv;entries=3;via=cli");
        Is(AuditEvent.PracticeAccountingExported(Practice, "pdf", 9), "accounting.export", "practice", Practice, null, "scope=practice;format=pdf;entries=9");
    }

    [Fact]
    public void RequestsAndDocuments_KeepTheirStoredFormat()
    {
        var request = Request();
        var determination = Determination();
        Is(AuditEvent.RequestsListed(Practice, "open", 1, 20), "request.list", "practice", Practice, null, "show=open;page=1;count=20");
        Is(AuditEvent.RequestCreated(request, Instrument.Subpoena, null), "request.create", "request", Row, Client, "instrument=subpoena");
        Is(AuditEvent.RequestStatusChanged(request, RequestStatus.Received, RequestStatus.UnderReview, "billing"), "request.status", "request", Row, Client, "from=received;to=under-review;reason=billing");
        Is(AuditEvent.RequestTriaged(request, determination, 2, [], null), "request.triage", "request", Row, Client, $"determination={Other:N};sequence=2;outcome=assert-privilege;profile=US-CA@1.0.0;releases=none");
        Is(AuditEvent.RequestTriaged(request, determination, 1, [Third, Practice], null), "request.triage", "request", Row, Client, $"determination={Other:N};sequence=1;outcome=assert-privilege;profile=US-CA@1.0.0;releases={Third:N},{Practice:N}");
        Is(AuditEvent.RequestViewed(request, determination, null), "request.view", "request", Row, Client, $"determination={Other:N};outcome=assert-privilege");
        Is(AuditEvent.RequestEditOpened(request, null), "request.view", "request", Row, Client, "form=edit");
        Is(AuditEvent.PacketReviewOpened(request, 4, null), "request.view", "request", Row, Client, "view=packet-review;proposed=4");
        Is(AuditEvent.RequestStepChecked(request, Other, 3, false, null), "request.step", "request", Row, Client, $"determination={Other:N};step=3;undone");
        Is(AuditEvent.RequestNoteAdded(request, Third, null), "request.note", "request", Row, Client, $"note={Third:N}");
        Is(AuditEvent.RequestFileAttached(request, Third, 100, null), "request-file.create", "request-file", Third, Client, $"request={Row:N};size=100");
        Is(AuditEvent.DocumentExported(request, Other, DocumentKind.PrivilegeAssertionLetter, "docx", null), "document.export", "request", Row, Client, $"determination={Other:N};kind=privilege-assertion-letter;format=docx");
        var finalized = new FinalizedDocument
        {
            Id = Third,
            ClientId = Client,
            RequestId = Row,
            Kind = DocumentKind.PrivilegeAssertionLetter,
            Version = 2,
            TextCipher = [],
            PdfCipher = [],
            DocxCipher = [],
            TextSha256 = [],
            PdfSha256 = [0xab, 0x01],
            DocxSha256 = [],
        };
        Is(AuditEvent.DocumentFinalized(finalized, null), "document.finalize", "finalized-document", Third, Client, $"request={Row:N};kind=privilege-assertion-letter;version=2;pdf-sha256=ab01");
        Is(AuditEvent.FinalizedDocumentExported(finalized, "txt", null), "document.export", "finalized-document", Third, Client, $"request={Row:N};version=2;format=txt");
    }

    [Fact]
    public void ReleasesPacketsAndDisclosures_KeepTheirStoredFormat()
    {
        var release = new Release { Id = Row, PracticeId = Practice, ClientId = Client, Kind = "hipaa-authorization", Categories = "", ContentCipher = [] };
        Is(AuditEvent.ReleaseCreated(release), "release.create", "release", Row, Client, "kind=hipaa-authorization");
        Is(AuditEvent.ReleaseViewed(release), "release.view", "release", Row, Client, null);
        Is(AuditEvent.ReleaseDownloadedByPractice(release), "release.download", "release", Row, Client, "by=practice");
        Is(AuditEvent.ReleaseSent(release, TokenHash, new DateTimeOffset(2026, 12, 14, 9, 30, 0, TimeSpan.FromHours(-8))), "release.send", "release", Row, Client, "token=a1b2c3d4;expires=2026-12-14T17:30:00.0000000Z");
        Is(AuditEvent.ReleaseSigned(release, TokenHash, "ab01"), "release.sign", "release", Row, Client, "token=a1b2c3d4;text-sha256=ab01;understanding=confirmed");
        Is(AuditEvent.ReleaseRevoked(release, TokenHash), "release.revoke", "release", Row, Client, "token=a1b2c3d4");
        var link = new PortalToken { PracticeId = Practice, ClientId = Client, ReleaseId = Row, TokenHash = TokenHash, Purpose = PortalTokenPurpose.Revoke };
        Is(AuditEvent.PortalViewed(link), "portal.view", "release", Row, Client, "token=a1b2c3d4;link=revoke");
        Is(AuditEvent.PortalRefused(link, TokenHash, "expired"), "portal.refused", "release", Row, Client, "token=a1b2c3d4;reason=expired");
        Is(AuditEvent.PortalChecked(link, []), "portal.check", "release", Row, Client, "token=a1b2c3d4;wrong=none");
        var wrong = new UnderstandingQuestion("purpose", "?", [], "a", "");
        var until = new UnderstandingQuestion("until", "?", [], "a", "");
        Is(AuditEvent.PortalChecked(link, [wrong, until]), "portal.check", "release", Row, Client, "token=a1b2c3d4;wrong=purpose,until");
        Is(AuditEvent.ReleaseDownloadedByClient(link), "release.download", "release", Row, Client, "token=a1b2c3d4;by=client");
        var packet = new Packet { Id = Third, ClientId = Client, RequestId = Row, DeterminationId = Other, ReviewCipher = [], Failure = "pdftoppm-missing" };
        Is(AuditEvent.PacketCreated(packet, 3, 1, 5, "billing"), "packet.create", "packet", Third, Client, $"request={Row:N};determination={Other:N};typed=3;uploads=1;proposed=5;reason=billing");
        Is(AuditEvent.PacketBuilt(packet, 12, "ab01"), "packet.built", "packet", Third, Client, $"request={Row:N};pages=12;sha256=ab01");
        Is(AuditEvent.PacketFailed(packet), "packet.failed", "packet", Third, Client, "failure=pdftoppm-missing");
        Is(AuditEvent.PacketDownloaded(packet, "manifest", null), "packet.download", "packet", Third, Client, $"request={Row:N};file=manifest");
        var disclosure = new Disclosure { Id = Other, ClientId = Client, Basis = DisclosureBasis.CourtOrder, RequestId = Row, PacketId = Third, ContentCipher = [] };
        Is(AuditEvent.DisclosureRecorded(disclosure), "disclosure.record", "disclosure", Other, Client, $"basis=CourtOrder;accountable=yes;request={Row:N};packet={Third:N}");
    }

    [Fact]
    public void FreeText_IsRefused_NamingTheField()
    {
        Assert.Equal("show", Assert.Throws<ArgumentException>(() => AuditEvent.RequestsListed(Practice, "Ana Lopez", 1, 1)).ParamName);
        Assert.Equal("format", Assert.Throws<ArgumentException>(() => AuditEvent.PracticeAccountingExported(Practice, "ana@example.org", 1)).ParamName);
        Assert.Equal("reason", Assert.Throws<ArgumentException>(() => AuditEvent.RequestEditOpened(Request(), "she told me")).ParamName);
        Assert.Equal("roles", Assert.Throws<ArgumentException>(() => AuditEvent.UserCreated(Row, ["Ana"])).ParamName);
        var glass = new BreakGlass { ClientId = Client, ReasonCode = "her ex-husband called", ReasonCipher = [] };
        Assert.Equal("glass", Assert.Throws<ArgumentException>(() => AuditEvent.BreakGlassOpened(glass, 60)).ParamName);
        var release = new Release { ClientId = Client, Kind = "hipaa;name=Ana", Categories = "", ContentCipher = [] };
        Assert.Equal("kind", Assert.Throws<ArgumentException>(() => AuditEvent.ReleaseCreated(release)).ParamName);
    }
}
