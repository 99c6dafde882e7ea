using System.Text.Json;
using Confide.Core.Disclosure;
using Confide.Data.Access;
using Confide.Data.Audit;
using Confide.Data.Crypto;
using Confide.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace Confide.Data.Disclosures;

/// <summary>What a new disclosure entry says (its content fields are encrypted when stored).</summary>
public sealed record NewDisclosure(
    Guid PracticeId,
    Guid ClientId,
    DisclosureBasis Basis,
    DateOnly DisclosedOn,
    string Recipient,
    string? RecipientAddress,
    string Description,
    string Purpose,
    Guid DisclosedById
)
{
    public Guid? RequestId { get; init; }
    public Guid? DeterminationId { get; init; }
    public Guid? ReleaseId { get; init; }
    public Guid? PacketId { get; init; }
    public Guid? CorrectsId { get; init; }
    public byte[]? Sha256 { get; init; }
}

/// <summary>One stored entry, read back: the row's identifiers and the decrypted entry (<see cref="Destroyed"/>: the client was shredded, only the row's dates and basis remain).</summary>
public sealed record StoredDisclosure(Disclosure Row, DisclosureEntry Entry, string DisclosedBy, bool Destroyed = false)
{
    /// <summary>What an entry of a shredded client says in place of its recipient, description and purpose.</summary>
    public const string DestroyedText = "(content destroyed with the client's key)";

    /// <summary>The packet's SHA-256 as lower-case hex, if there was a packet.</summary>
    public string? Sha256Hex => Row.Sha256 is { } h ? Convert.ToHexStringLower(h) : null;
}

/// <summary>
/// The accounting of disclosures: the one place entries are written (with their audit entry, saved by
/// the caller's <c>SaveChangesAsync</c> together with the action that disclosed) and read back
/// decrypted through <see cref="ClientContent"/> (a grant for the client, or the practice's log for its
/// custodians). There is no update or delete here, and <see cref="ConfideDbContext"/> refuses them.
/// </summary>
public sealed class DisclosureLog(ConfideDbContext db, RecordCipher cipher, ClientContent access, IAuditTrail audit, TimeProvider time)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Adds the entry and its audit entry to the context (the caller saves, with the disclosure itself).</summary>
    public async Task<Disclosure> RecordAsync(NewDisclosure d, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(d);
        ArgumentException.ThrowIfNullOrWhiteSpace(d.Recipient, nameof(d.Recipient));
        if (d.CorrectsId is { } corrects && !await db.Disclosures.AnyAsync(x => x.Id == corrects && x.ClientId == d.ClientId && x.PracticeId == d.PracticeId, ct))
        {
            throw new ArgumentException($"disclosure {corrects:N} to correct is not an entry of this client", nameof(d));
        }
        var row = new Disclosure
        {
            PracticeId = d.PracticeId,
            ClientId = d.ClientId,
            RequestId = d.RequestId,
            DeterminationId = d.DeterminationId,
            ReleaseId = d.ReleaseId,
            PacketId = d.PacketId,
            CorrectsId = d.CorrectsId,
            Basis = d.Basis,
            DisclosedOn = d.DisclosedOn,
            Sha256 = d.Sha256,
            ContentCipher = [],
            DisclosedById = d.DisclosedById,
            RecordedAt = time.GetUtcNow(),
        };
        var content = new StoredContent(d.Recipient, d.RecipientAddress, d.Description, d.Purpose);
        row.ContentCipher = await cipher.EncryptAsync(EncryptedFields.DisclosureContent(row), JsonSerializer.SerializeToUtf8Bytes(content, Json), ct);
        db.Disclosures.Add(row);
        audit.Add(row.PracticeId, row.DisclosedById, AuditEvent.DisclosureRecorded(row));
        return row;
    }

    /// <summary>The entries of the granted client, oldest first, decrypted.</summary>
    public async Task<IReadOnlyList<StoredDisclosure>> ReadAsync(ClientGrant grant, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(grant);
        var rows = await db.Disclosures.AsNoTracking().Where(d => d.PracticeId == grant.PracticeId && d.ClientId == grant.ClientId).OrderBy(d => d.DisclosedOn).ThenBy(d => d.Id).ToListAsync(ct);
        return await ReadRowsAsync(rows, _ => new Decision(AccessOutcome.Granted, grant), ct);
    }

    /// <summary>
    /// The practice's log, oldest first: every client's entries the reader may read as a custodian
    /// (<see cref="ContentPurpose.Disclosures"/>: the owner and staff); a shredded client's entries keep
    /// their dates and basis, their content reads <see cref="StoredDisclosure.DestroyedText"/>. With
    /// <paramref name="take"/>, one page of it (the page view); without, all of it (the exports).
    /// </summary>
    public async Task<IReadOnlyList<StoredDisclosure>> ReadPracticeAsync(Reader reader, int skip, int? take, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var query = db.Disclosures.AsNoTracking().Where(d => d.PracticeId == reader.PracticeId).OrderBy(d => d.DisclosedOn).ThenBy(d => d.Id).Skip(skip);
        var rows = await (take is { } n ? query.Take(n) : query).ToListAsync(ct);
        var decisions = await access.OpenManyAsync(reader, rows.Select(r => r.ClientId), ContentPurpose.Disclosures, ct);
        return await ReadRowsAsync(rows, id => decisions[id], ct);
    }

    private async Task<IReadOnlyList<StoredDisclosure>> ReadRowsAsync(List<Disclosure> rows, Func<Guid, Decision> decide, CancellationToken ct)
    {
        var userIds = rows.Select(r => r.DisclosedById).Distinct().ToList();
        var names = await db.Users.AsNoTracking().Where(u => userIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
        var result = new List<StoredDisclosure>(rows.Count);
        foreach (var row in rows)
        {
            var by = names.GetValueOrDefault(row.DisclosedById, row.DisclosedById.ToString("D"));
            var decision = decide(row.ClientId);
            if (decision.Outcome == AccessOutcome.Shredded)
            {
                const string gone = StoredDisclosure.DestroyedText;
                result.Add(new StoredDisclosure(row, new DisclosureEntry(row.Id, row.DisclosedOn, row.Basis, gone, null, gone, gone, row.CorrectsId), by, Destroyed: true));
                continue;
            }
            if (decision.Grant is not { } grant)
            {
                continue;
            }
            var content = JsonSerializer.Deserialize<StoredContent>(await access.ReadAsync(grant, EncryptedFields.DisclosureContent(row), row.ContentCipher, ct), Json)
                ?? throw new InvalidDataException($"disclosure {row.Id:N}: stored content is empty");
            result.Add(new StoredDisclosure(row, new DisclosureEntry(row.Id, row.DisclosedOn, row.Basis, content.Recipient, content.Address, content.Description, content.Purpose, row.CorrectsId), by));
        }
        return result;
    }

    private sealed record StoredContent(string Recipient, string? Address, string Description, string Purpose);
}
