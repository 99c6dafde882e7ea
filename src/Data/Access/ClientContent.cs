using System.Security.Cryptography;
using System.Text;
using Confide.Data.Audit;
using Confide.Data.Crypto;
using Confide.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace Confide.Data.Access;

/// <summary>
/// Who is reading: the signed-in user, their practice and roles. Two readers are not people signed in:
/// a portal link (<see cref="ClientContent.OpenPortalAsync"/>, <see cref="Portal"/> set) and a named
/// system reader (<see cref="ClientContent.OpenSystemAsync"/>, <see cref="System"/> set); their user id is empty.
/// </summary>
public sealed record Reader(Guid UserId, Guid PracticeId, bool IsOwner, bool IsClinician, bool IsStaff)
{
    /// <summary>The name of a system reader (an operator's command), audited with every opening.</summary>
    public string? System { get; init; }

    /// <summary>The portal token's hash prefix, when the reader is a client holding a portal link.</summary>
    public string? Portal { get; init; }
}

/// <summary>What the reader wants of a client.</summary>
public enum ContentPurpose
{
    /// <summary>The client's name in a list (clients, the request queue, the home page).</summary>
    List,

    /// <summary>The client's record: details, items, attachments, requests and their documents.</summary>
    Record,

    /// <summary>Disclosure entries (and the client's name) for the practice's disclosure log: the owner and staff, the records custodians.</summary>
    Disclosures,

    /// <summary>One release's fields, through a verified portal link (<see cref="ClientContent.OpenPortalAsync"/>) and nothing else.</summary>
    Portal,
}

/// <summary>The answer of <see cref="ClientContent.Decide"/>.</summary>
public enum AccessOutcome
{
    Granted,

    /// <summary>Not of the reader's practice, no such client, or (a list) not one the reader may find: a 404.</summary>
    NotFound,

    /// <summary>A staff member must state a reason code first.</summary>
    NeedsReason,

    /// <summary>A clinician not assigned: only through a break-glass with a typed reason.</summary>
    NeedsBreakGlass,

    /// <summary>The client was deleted by destroying their data key: nothing can be read.</summary>
    Shredded,
}

/// <summary>What <see cref="ClientContent"/> reads of a client from the database to decide (tests and the benchmark build it in memory).</summary>
public sealed record ClientFacts(Guid PracticeId, Guid ClientId, bool Assigned, bool Shredded, Guid? ClientBreakGlassId, Guid? NotesBreakGlassId);

/// <summary>
/// Proof that <see cref="ClientContent"/> let one reader read one client, and how far: only
/// <see cref="ClientContent"/> makes one, and every read of that client's content must show it.
/// </summary>
public sealed class ClientGrant
{
    internal ClientGrant(Reader reader, ClientFacts facts, ContentPurpose purpose, string? reason, Guid? breakGlassId, bool otherAuthorsNotes, Guid? releaseId = null)
    {
        ReleaseId = releaseId;
        OwnerOrAssigned = reader.IsOwner || facts.Assigned;
        Reader = reader;
        PracticeId = facts.PracticeId;
        ClientId = facts.ClientId;
        Purpose = purpose;
        Reason = reason;
        BreakGlassId = breakGlassId;
        OtherAuthorsNotes = otherAuthorsNotes;
    }

    public Reader Reader { get; }
    public Guid PracticeId { get; }
    public Guid ClientId { get; }
    public ContentPurpose Purpose { get; }

    /// <summary>The staff reason code the record was opened with, if any.</summary>
    public string? Reason { get; }

    /// <summary>The break-glass the record was opened under, if any.</summary>
    public Guid? BreakGlassId { get; }

    /// <summary>The owner under a psychotherapy-notes break-glass: other authors' notes are readable.</summary>
    public bool OtherAuthorsNotes { get; }

    /// <summary>The one release a portal grant reads.</summary>
    public Guid? ReleaseId { get; }

    /// <summary>The reader is the owner or a clinician assigned to the client (not a reason code, not a break-glass): who may draft releases and packets.</summary>
    public bool OwnerOrAssigned { get; }

    /// <summary>Psychotherapy notes are visible to their author, or to the owner under a break-glass for them.</summary>
    public bool CanSee(RecordItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        return item.ClientId == ClientId && (!item.IsPsychotherapyNote || item.AuthorId == Reader.UserId || OtherAuthorsNotes);
    }

}

/// <summary>A decision: <see cref="AccessOutcome.Granted"/> with its grant, or why not.</summary>
public sealed record Decision(AccessOutcome Outcome, ClientGrant? Grant)
{
    public bool Granted => Outcome == AccessOutcome.Granted;
}

/// <summary>
/// The one authorization point for client content: every read of anything encrypted under a
/// client's data key goes through here. It decides from the reader's role, the client's
/// assignments, a staff member's stated reason, psychotherapy notes being their author's alone,
/// and break-glass openings (time-limited, with a typed reason), and only then decrypts through
/// <see cref="RecordCipher"/>. An architecture test fails when anything else calls RecordCipher's
/// decrypt methods. Pages use: <see cref="OpenAsync"/> (one client) or <see cref="OpenListAsync"/>
/// (names in a list), then <see cref="ReadStringAsync"/> / <see cref="ReadAsync"/> with the grant
/// (<see cref="ReadItemAsync"/> for record items and their attachments).
/// </summary>
public sealed class ClientContent(ConfideDbContext db, RecordCipher cipher, IAuditTrail audit, TimeProvider time)
{
    /// <summary>A staff member's reasons for opening records: codes, never free text, so the audit entry that stores one holds no client content.</summary>
    public static IReadOnlyList<(string Code, string Label)> StaffReasons { get; } =
    [
        ("records-request", "Answering a request for records"),
        ("billing", "Billing or payment"),
        ("compliance-audit", "Compliance or quality audit"),
        ("continuity-of-care", "Continuity of care (transfer, referral)"),
        ("other", "Other administrative need"),
    ];

    /// <summary>The codes of a break-glass (the typed reason beside it is encrypted).</summary>
    public static IReadOnlyList<(string Code, string Label)> BreakGlassReasons { get; } =
    [
        ("risk-of-harm", "Risk of harm to the client or someone else"),
        ("covering-clinician", "Covering for the assigned clinician"),
        ("legal-deadline", "A legal deadline on the client's records"),
        ("other", "Other urgent need"),
    ];

    public static bool IsStaffReason(string? code) => code is not null && StaffReasons.Any(r => r.Code == code);

    public static bool IsBreakGlassReason(string? code) => code is not null && BreakGlassReasons.Any(r => r.Code == code);

    /// <summary>The rule, on facts already read: the one place it is written.</summary>
    public static Decision Decide(Reader reader, ClientFacts facts, ContentPurpose purpose, string? reasonCode)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(facts);
        if (facts.PracticeId != reader.PracticeId)
        {
            return new Decision(AccessOutcome.NotFound, null);
        }
        if (purpose == ContentPurpose.Portal)
        {
            return new Decision(AccessOutcome.NotFound, null); // only through OpenPortalAsync, with the link's release
        }
        if (purpose == ContentPurpose.Disclosures)
        {
            if (!(reader.IsOwner || reader.IsStaff || reader.System is not null))
            {
                return new Decision(AccessOutcome.NotFound, null);
            }
            return facts.Shredded ? new Decision(AccessOutcome.Shredded, null) : Grant(null, null);
        }
        if (reader.System is not null || reader.Portal is not null)
        {
            return new Decision(AccessOutcome.NotFound, null); // a system reader or a portal link reads nothing more
        }
        if (purpose == ContentPurpose.List)
        {
            if (!(reader.IsOwner || reader.IsStaff || facts.Assigned || facts.ClientBreakGlassId is not null))
            {
                return new Decision(AccessOutcome.NotFound, null);
            }
            return facts.Shredded ? new Decision(AccessOutcome.Shredded, null) : Grant(null, null);
        }
        if (facts.Shredded)
        {
            // Said only to those who could find the client at all; to others it is as any record they may not open.
            var findable = reader.IsOwner || reader.IsStaff || facts.Assigned || facts.ClientBreakGlassId is not null;
            return new Decision(findable ? AccessOutcome.Shredded : AccessOutcome.NeedsBreakGlass, null);
        }
        if (reader.IsOwner || facts.Assigned)
        {
            return Grant(null, reader.IsOwner ? facts.NotesBreakGlassId : null);
        }
        if (facts.ClientBreakGlassId is { } glass)
        {
            return Grant(null, glass);
        }
        if (reader.IsStaff)
        {
            return IsStaffReason(reasonCode) ? Grant(reasonCode, null) : new Decision(AccessOutcome.NeedsReason, null);
        }
        return new Decision(AccessOutcome.NeedsBreakGlass, null);

        Decision Grant(string? reason, Guid? breakGlass) =>
            new(AccessOutcome.Granted, new ClientGrant(reader, facts, purpose, reason, breakGlass, reader.IsOwner && facts.NotesBreakGlassId is not null));
    }

    /// <summary>Reads the facts of one client and decides.</summary>
    public async Task<Decision> OpenAsync(Reader reader, Guid clientId, ContentPurpose purpose, string? reasonCode, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var facts = await FactsAsync(reader, [clientId], ct).ConfigureAwait(false);
        return facts.TryGetValue(clientId, out var f) ? Decide(reader, f, purpose, reasonCode) : new Decision(AccessOutcome.NotFound, null);
    }

    /// <summary>Decides for the names of a page of clients at once (one query).</summary>
    public Task<Dictionary<Guid, Decision>> OpenListAsync(Reader reader, IEnumerable<Guid> clientIds, CancellationToken ct) =>
        OpenManyAsync(reader, clientIds, ContentPurpose.List, ct);

    /// <summary>Decides for many clients at once (one query), for a purpose that needs no reason code (a list, the disclosure log).</summary>
    public async Task<Dictionary<Guid, Decision>> OpenManyAsync(Reader reader, IEnumerable<Guid> clientIds, ContentPurpose purpose, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var ids = clientIds.Distinct().ToList();
        var facts = await FactsAsync(reader, ids, ct).ConfigureAwait(false);
        return ids.ToDictionary(id => id, id => facts.TryGetValue(id, out var f) ? Decide(reader, f, purpose, null) : new Decision(AccessOutcome.NotFound, null));
    }

    /// <summary>
    /// For work a person asked for and that runs later without them (a disclosure packet built in the
    /// background): the user's practice and roles are read again now, and the same rule decides, so a
    /// user removed, moved or unassigned meanwhile is refused. A staff member's <paramref name="reasonCode"/>
    /// is the reason the work was asked with.
    /// </summary>
    public async Task<Decision> OpenOnBehalfAsync(Guid userId, Guid practiceId, Guid clientId, ContentPurpose purpose, string? reasonCode, CancellationToken ct)
    {
        var user = await db.Users.AsNoTracking().Where(u => u.Id == userId && u.PracticeId == practiceId).Select(u => new { u.Id, u.PracticeId }).FirstOrDefaultAsync(ct).ConfigureAwait(false);
        if (user is null || purpose == ContentPurpose.Portal)
        {
            return new Decision(AccessOutcome.NotFound, null);
        }
        var roles = await db.UserRoles.AsNoTracking()
            .Where(ur => ur.UserId == userId)
            .Join(db.Roles, ur => ur.RoleId, r => r.Id, (ur, r) => r.Name)
            .ToListAsync(ct)
            .ConfigureAwait(false);
        var reader = new Reader(user.Id, user.PracticeId, roles.Contains(Roles.Owner), roles.Contains(Roles.Clinician), roles.Contains(Roles.Staff));
        return await OpenAsync(reader, clientId, purpose, reasonCode, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// A client holding a portal link: the link itself is checked here again (its hash known, not used
    /// up, not expired), and the grant reads that link's one release and nothing else of the client.
    /// A shredded client's link opens nothing. NotFound for any link that does not work.
    /// </summary>
    public async Task<Decision> OpenPortalAsync(string? token, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 100)
        {
            return new Decision(AccessOutcome.NotFound, null);
        }
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(token));
        var now = time.GetUtcNow();
        var link = await db.PortalTokens.AsNoTracking().FirstOrDefaultAsync(t => t.TokenHash == hash, ct).ConfigureAwait(false);
        if (link is null || link.UsedAt is not null || (link.ExpiresAt is { } expires && expires <= now))
        {
            return new Decision(AccessOutcome.NotFound, null);
        }
        var client = await db.Clients.AsNoTracking().Where(c => c.Id == link.ClientId && c.PracticeId == link.PracticeId).Select(c => new { c.Id, Shredded = c.ShreddedAt != null }).FirstOrDefaultAsync(ct).ConfigureAwait(false);
        if (client is null)
        {
            return new Decision(AccessOutcome.NotFound, null);
        }
        if (client.Shredded)
        {
            return new Decision(AccessOutcome.Shredded, null);
        }
        var reader = new Reader(Guid.Empty, link.PracticeId, false, false, false) { Portal = Convert.ToHexStringLower(hash)[..8] };
        var facts = new ClientFacts(link.PracticeId, link.ClientId, false, false, null, null);
        return new Decision(AccessOutcome.Granted, new ClientGrant(reader, facts, ContentPurpose.Portal, null, null, false, link.ReleaseId));
    }

    /// <summary>
    /// A named system reader: an operator's command run with the database and the master key (e.g.
    /// <c>confide accounting</c>), reading one client's name and disclosure entries
    /// (<see cref="ContentPurpose.Disclosures"/>) and nothing else. Each opening adds an audit entry
    /// (<c>content.system-read</c>, the reader's name) that the caller saves before anything leaves.
    /// </summary>
    public async Task<Decision> OpenSystemAsync(string systemName, Guid clientId, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(systemName);
        var practiceId = await db.Clients.AsNoTracking().Where(c => c.Id == clientId).Select(c => (Guid?)c.PracticeId).FirstOrDefaultAsync(ct).ConfigureAwait(false);
        if (practiceId is not { } practice)
        {
            return new Decision(AccessOutcome.NotFound, null);
        }
        var reader = new Reader(Guid.Empty, practice, false, false, false) { System = systemName };
        var decision = await OpenAsync(reader, clientId, ContentPurpose.Disclosures, null, ct).ConfigureAwait(false);
        audit.Add(practice, null, AuditEvent.SystemRead(clientId, systemName, decision.Outcome));
        return decision;
    }

    /// <summary>Decrypts a field of the granted client (not a record item's: <see cref="ReadItemAsync"/>).</summary>
    /// <exception cref="UnauthorizedAccessException">The field is not the granted client's, or the grant is for a list and the field is not the name.</exception>
    public Task<byte[]> ReadAsync(ClientGrant grant, FieldRef field, byte[] ciphertext, CancellationToken ct)
    {
        Check(grant, field);
        if (EncryptedFields.IsRecordItemOrAttachment(field))
        {
            throw new UnauthorizedAccessException($"{field.Table} are read with ReadItemAsync, which checks psychotherapy notes");
        }
        return cipher.DecryptAsync(field, ciphertext, ct);
    }

    public async Task<string> ReadStringAsync(ClientGrant grant, FieldRef field, byte[] ciphertext, CancellationToken ct) =>
        Encoding.UTF8.GetString(await ReadAsync(grant, field, ciphertext, ct).ConfigureAwait(false));

    /// <summary>Decrypts a record item's content or one of its attachments' fields, when the grant may see the item (psychotherapy notes).</summary>
    public Task<byte[]> ReadItemAsync(ClientGrant grant, RecordItem item, FieldRef field, byte[] ciphertext, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(item);
        Check(grant, field);
        var belongs = (EncryptedFields.IsRecordItem(field) && field.RowId == item.Id) || (EncryptedFields.IsAttachment(field) && item.Attachments.Any(a => a.Id == field.RowId));
        if (!belongs || !grant.CanSee(item))
        {
            throw new UnauthorizedAccessException($"record item {item.Id:N} is not readable under this grant");
        }
        return cipher.DecryptAsync(field, ciphertext, ct);
    }

    public async Task<string> ReadItemStringAsync(ClientGrant grant, RecordItem item, FieldRef field, byte[] ciphertext, CancellationToken ct) =>
        Encoding.UTF8.GetString(await ReadItemAsync(grant, item, field, ciphertext, ct).ConfigureAwait(false));

    /// <summary>Minutes a break-glass lasts (configuration <c>Confide:BreakGlassMinutes</c>, default 60).</summary>
    public const int DefaultBreakGlassMinutes = 60;

    /// <summary>
    /// Opens a client (or, for the owner, other authors' psychotherapy notes) under a break-glass: the
    /// typed reason is encrypted with the client's key, the row is added to the context (the caller
    /// saves it with its audit entry, which holds the reason code only). Null when the reader may
    /// already read what they ask, or may not break glass for it.
    /// </summary>
    public async Task<BreakGlass?> BreakGlassAsync(Reader reader, Guid clientId, BreakGlassScope scope, string reasonCode, string reasonText, TimeSpan duration, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var facts = await FactsAsync(reader, [clientId], ct).ConfigureAwait(false);
        if (!facts.TryGetValue(clientId, out var f) || f.Shredded || !IsBreakGlassReason(reasonCode) || string.IsNullOrWhiteSpace(reasonText))
        {
            return null;
        }
        var allowed = scope switch
        {
            BreakGlassScope.Client => !reader.IsOwner && !f.Assigned && reader.IsClinician && f.ClientBreakGlassId is null,
            BreakGlassScope.PsychotherapyNotes => reader.IsOwner && f.NotesBreakGlassId is null,
            _ => false,
        };
        if (!allowed)
        {
            return null;
        }
        var now = time.GetUtcNow();
        var glass = new BreakGlass
        {
            PracticeId = reader.PracticeId,
            ClientId = clientId,
            UserId = reader.UserId,
            Scope = scope,
            ReasonCode = reasonCode,
            ReasonCipher = [],
            OpenedAt = now,
            ExpiresAt = now + duration,
        };
        glass.ReasonCipher = await cipher.EncryptAsync(EncryptedFields.BreakGlassReason(glass), reasonText.Trim(), ct).ConfigureAwait(false);
        db.BreakGlasses.Add(glass);
        return glass;
    }

    private static void Check(ClientGrant grant, FieldRef field)
    {
        ArgumentNullException.ThrowIfNull(grant);
        if (field.PracticeId != grant.PracticeId || field.ClientId != grant.ClientId)
        {
            throw new UnauthorizedAccessException($"the grant is for client {grant.ClientId:N}, not {field.ClientId:N}");
        }
        if (grant.Purpose == ContentPurpose.List && !EncryptedFields.IsClientName(field))
        {
            throw new UnauthorizedAccessException("a list grant reads client names only");
        }
        if (grant.Purpose == ContentPurpose.Disclosures && !(EncryptedFields.IsDisclosure(field) || EncryptedFields.IsClientName(field)))
        {
            throw new UnauthorizedAccessException("a disclosure-log grant reads disclosure entries and the client's name only");
        }
        if (grant.Purpose == ContentPurpose.Portal && !(EncryptedFields.IsRelease(field) && field.RowId == grant.ReleaseId))
        {
            throw new UnauthorizedAccessException("a portal grant reads its link's release only");
        }
    }

    private async Task<Dictionary<Guid, ClientFacts>> FactsAsync(Reader reader, List<Guid> ids, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var user = reader.UserId;
        var rows = await db.Clients.AsNoTracking()
            .Where(c => ids.Contains(c.Id) && c.PracticeId == reader.PracticeId)
            .Select(c => new
            {
                c.Id,
                c.PracticeId,
                Assigned = c.Assignments.Any(a => a.ClinicianId == user),
                Shredded = c.ShreddedAt != null,
                ClientGlass = db.BreakGlasses.Where(g => g.ClientId == c.Id && g.UserId == user && g.Scope == BreakGlassScope.Client && g.ExpiresAt > now).Select(g => (Guid?)g.Id).FirstOrDefault(),
                NotesGlass = db.BreakGlasses.Where(g => g.ClientId == c.Id && g.UserId == user && g.Scope == BreakGlassScope.PsychotherapyNotes && g.ExpiresAt > now).Select(g => (Guid?)g.Id).FirstOrDefault(),
            })
            .ToListAsync(ct)
            .ConfigureAwait(false);
        return rows.ToDictionary(r => r.Id, r => new ClientFacts(r.PracticeId, r.Id, r.Assigned, r.Shredded, r.ClientGlass, r.NotesGlass));
    }
}
