using Confide.Data.Entities;

namespace Confide.Data.Audit;

/// <summary>The actions written to the audit table.</summary>
public static class AuditActions
{
    public const string PracticeCreate = "practice.create";
    public const string PracticeUpdate = "practice.update";
    public const string UserCreate = "user.create";
    public const string ClientCreate = "client.create";
    public const string ClientList = "client.list";
    public const string ClientView = "client.view";
    public const string ClientAssign = "client.assign";
    public const string RecordCreate = "record.create";
    public const string RecordView = "record.view";
    public const string AttachmentCreate = "attachment.create";
    public const string AttachmentDownload = "attachment.download";
    public const string AttachmentView = "attachment.view";
    public const string UserUpdate = "user.update";
    public const string RequestCreate = "request.create";
    public const string RequestList = "request.list";
    public const string RequestView = "request.view";
    public const string RequestUpdate = "request.update";
    public const string RequestTriage = "request.triage";
    public const string RequestStep = "request.step";
    public const string RequestStatus = "request.status";
    public const string RequestNote = "request.note";
    public const string RequestFileCreate = "request-file.create";
    public const string RequestFileDownload = "request-file.download";
    public const string DocumentExport = "document.export";
    public const string DocumentFinalize = "document.finalize";
    public const string HomeView = "home.view";
    public const string CalendarCreate = "calendar.create";
    public const string CalendarRevoke = "calendar.revoke";
    public const string CalendarRead = "calendar.read";
    public const string KeyUpgrade = "key.upgrade";
    public const string KeyRotate = "key.rotate";
    public const string KeyRetire = "key.retire";
    public const string ClientShred = "client.shred";
    public const string BreakGlassOpen = "break-glass.open";
    public const string BreakGlassAcknowledge = "break-glass.acknowledge";
    public const string ContentSystemRead = "content.system-read";
    public const string ReleaseCreate = "release.create";
    public const string ReleaseView = "release.view";
    public const string ReleaseSend = "release.send";
    public const string ReleaseDownload = "release.download";
    public const string ReleaseSign = "release.sign";
    public const string ReleaseRevoke = "release.revoke";
    public const string PortalView = "portal.view";
    public const string PortalCheck = "portal.check";
    public const string PortalRefused = "portal.refused";
    public const string DisclosureRecord = "disclosure.record";
    public const string AccountingExport = "accounting.export";
    public const string PacketCreate = "packet.create";
    public const string PacketBuilt = "packet.built";
    public const string PacketFailed = "packet.failed";
    public const string PacketDownload = "packet.download";
    public const string ConsentRefused = "consent.refused";
    public const string RequestRecheck = "request.recheck";
    public const string Reauthenticate = "user.reauthenticate";
    public const string SignInSuccess = "signin.success";
    public const string SignInPassword = "signin.password";
    public const string SignInFailure = "signin.failure";
    public const string SignInLockout = "signin.lockout";
    public const string SignOut = "signout";
    public const string TwoFactorKeyReset = "2fa.key-reset";
    public const string TwoFactorEnable = "2fa.enable";
    public const string TwoFactorEnableFailure = "2fa.enable-failure";
}

/// <summary>
/// Where audit entries are written: each <see cref="AuditEvent"/> (made by its factory methods, which
/// hold identifiers, codes and outcomes only) is added to the context, to be saved, sequenced and
/// hashed (<see cref="AuditSealer"/>) with the change it records by the same <c>SaveChangesAsync</c>.
/// Registered in DI (scoped) with <see cref="AuditTrail"/>; an architecture test (Security.Tests,
/// <c>AuditWriteTests</c>) fails when anything else makes an entry.
/// </summary>
public interface IAuditTrail
{
    /// <summary>Adds <paramref name="entry"/>, by <paramref name="actorUserId"/> (null: the system or a client through the portal), to <paramref name="practiceId"/>'s chain.</summary>
    void Add(Guid practiceId, Guid? actorUserId, AuditEvent entry);
}

/// <summary>The audit trail on the database context (<see cref="IAuditTrail"/>): the one place an <see cref="AuditEntry"/> is made.</summary>
public sealed class AuditTrail(ConfideDbContext db, TimeProvider time) : IAuditTrail
{
    public void Add(Guid practiceId, Guid? actorUserId, AuditEvent entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        db.AuditEntries.Add(
            new AuditEntry
            {
                PracticeId = practiceId,
                At = time.GetUtcNow(),
                ActorUserId = actorUserId,
                Action = entry.Action,
                TargetType = entry.TargetType,
                TargetId = entry.TargetId.ToString("N"),
                ClientId = entry.ClientId,
                Detail = entry.DetailText,
            }
        );
    }
}
