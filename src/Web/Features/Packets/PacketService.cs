using System.Security.Cryptography;
using Confide.Core.Disclosure;
using Confide.Core.Requests;
using Confide.Core.Triage;
using Confide.Data;
using Confide.Data.Access;
using Confide.Data.Audit;
using Confide.Data.Crypto;
using Confide.Data.Entities;
using Confide.Web.Features.Releases;
using Confide.Web.Features.Requests;
using Microsoft.EntityFrameworkCore;

namespace Confide.Web.Features.Packets;

/// <summary>
/// The disclosure packet of a request, up to the build: what the app proposes (exactly the record
/// items in scope, Core's <see cref="PacketScope"/>, narrowed by a release the determination relied
/// on), the recipient and basis in words, the packet queued with the clinician's review (the build
/// itself is <see cref="PacketBuildRun"/>'s, in the background), and a built packet's files checked
/// against their SHA-256. Callers save once.
/// </summary>
public sealed class PacketService(ConfideDbContext db, RecordCipher cipher, ClientContent content, RequestRecords records, IAuditTrail audit, PacketQueue queue, ConsentCheck consent, TimeProvider time)
{
    /// <summary>One item the scope proposes: typed content (with its text, to mark passages) or an uploaded PDF.</summary>
    public sealed record Proposed(Guid Id, bool IsAttachment, Category Category, DateOnly Date, string Title, string? Text);

    /// <summary>
    /// The request's current determination, the recipient and basis in words, the proposed items
    /// (none when the determination discloses nothing) and the packets built so far (the latest 20).
    /// </summary>
    public sealed record Proposal(RequestDetermination Current, Determination Determination, string Recipient, string? RecipientAddress, string BasisText, IReadOnlyList<Proposed> Items, IReadOnlyList<Packet> Packets)
    {
        /// <summary>Consent checked again at review (<see cref="ConsentCheck"/>): when it does not hold, nothing is proposed and the request is flagged.</summary>
        public ConsentResult Consent { get; init; } = new([]);

        /// <summary>The grant the proposal was read under (the build checks consent again with it).</summary>
        public ClientGrant? Grant { get; init; }
    }

    /// <summary>What the packet page shows for <paramref name="request"/>, read under <paramref name="grant"/>.</summary>
    public async Task<Proposal> ProposeAsync(ClientGrant grant, RecordRequest request, Client client, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(grant);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(client);
        var stored = await records.ReadCurrentAsync(grant, request.Id, ct);
        var (current, determination) = (stored.Row, stored.Determination);
        var details = stored.Request.Details;
        var (recipient, recipientAddress, basisText) = determination.Outcome switch
        {
            Outcome.ClientAccess => (details?.ClientName ?? "The client", (string?)null, "The client's own request for access to their records (45 C.F.R. § 164.524)"),
            Outcome.ComplyWithOrder => (
                Blank(details?.RequesterName) ?? Blank(details?.Court) ?? "The court",
                Blank(details?.RequesterAddress),
                "Court order" + (Blank(details?.Court) is { } court ? $" of the {court}" : "") + (Blank(details?.CaseNumber) is { } no ? $", case {no}" : "") + " (45 C.F.R. § 164.512(e)(1)(i))"
            ),
            _ => (
                Blank(details?.RequesterName) ?? "The recipient the client's release names",
                Blank(details?.RequesterAddress),
                "The client's written authorization (45 C.F.R. § 164.508)"
            ),
        };
        var packets = await db.Packets.AsNoTracking().Where(p => p.RequestId == request.Id).OrderByDescending(p => p.CreatedAt).Take(20).ToListAsync(ct);
        var items = new List<Proposed>();
        // Consent is checked again here, not only when triage ran: a release revoked or expired since proposes nothing.
        var checkedConsent = await consent.CheckAsync(grant, request, current.Id, ct);
        if (!checkedConsent.Holds)
        {
            await consent.FlagAsync(request.Id, checkedConsent, current.Id, "review", grant.Reader.UserId, null, ct);
        }
        else if (Outcomes.Discloses(determination.Outcome))
        {
            var records = await db.RecordItems.AsNoTracking()
                .Where(r => r.ClientId == client.Id)
                .Include(r => r.Attachments)
                .OrderBy(r => r.Date)
                .ThenBy(r => r.CreatedAt)
                .ToListAsync(ct);
            records = records.Where(grant.CanSee).ToList();
            // A release the determination relied on limits the packet to its own categories and records period.
            var releases = (
                await db.DeterminationReleases.AsNoTracking()
                    .Where(d => d.DeterminationId == current.Id)
                    .Join(db.Releases.AsNoTracking(), d => d.ReleaseId, r => r.Id, (_, r) => r)
                    .ToListAsync(ct)
            )
                .Select(r => new ReleaseScope(ReleaseService.CategoriesOf(r), r.RecordsFrom is null && r.RecordsThrough is null ? null : new DateRange(r.RecordsFrom, r.RecordsThrough)))
                .ToList();
            var inScope = PacketScope.SelectUnderReleases(determination, releases, records.Select(r => new RecordItemRef(r.Id.ToString("N"), r.Category, r.Date))).ToHashSet();
            foreach (var r in records.Where(r => inScope.Contains(r.Id.ToString("N"))))
            {
                var title = PacketBuildRun.Title(r);
                items.Add(new Proposed(r.Id, false, r.Category, r.Date, title, await content.ReadItemStringAsync(grant, r, EncryptedFields.RecordItemContent(client, r), r.ContentCipher, ct)));
                foreach (var a in r.Attachments.OrderBy(a => a.CreatedAt))
                {
                    items.Add(new Proposed(a.Id, true, r.Category, r.Date, title, null));
                }
            }
        }
        return new Proposal(current, determination, recipient, recipientAddress, basisText, items, packets) { Consent = checkedConsent, Grant = grant };
    }

    /// <summary>
    /// Adds a packet of <paramref name="chosen"/> (queued, with the review encrypted and its audit
    /// entry) by <paramref name="userId"/> for the proposal's determination, saves, and queues its build.
    /// </summary>
    /// <exception cref="ConsentRefusedException">Consent no longer holds: nothing was queued, the request was flagged (saved).</exception>
    public async Task<Packet> CreateAsync(Guid userId, RecordRequest request, Proposal proposal, IReadOnlyList<ReviewItem> chosen, string? reason, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(proposal);
        ArgumentNullException.ThrowIfNull(chosen);
        var current = proposal.Current;
        // And again at build start: a revocation between review and build stops it here.
        var checkedConsent = await consent.CheckAsync(proposal.Grant ?? throw new ArgumentException("a proposal read without a grant", nameof(proposal)), request, current.Id, ct);
        if (!checkedConsent.Holds)
        {
            await consent.FlagAsync(request.Id, checkedConsent, current.Id, "build", userId, null, ct);
            await db.SaveChangesAsync(ct);
            throw new ConsentRefusedException(checkedConsent);
        }
        var practice = await db.Practices.AsNoTracking().FirstAsync(p => p.Id == request.PracticeId, ct);
        var me = await db.Users.AsNoTracking().FirstAsync(u => u.Id == userId, ct);
        var packet = new Packet
        {
            PracticeId = request.PracticeId,
            ClientId = request.ClientId,
            RequestId = request.Id,
            DeterminationId = current.Id,
            Status = PacketStatus.Queued,
            ReviewCipher = [],
            CreatedById = userId,
            CreatedAt = time.GetUtcNow(),
        };
        var review = new PacketReview(proposal.Recipient, proposal.RecipientAddress, proposal.BasisText, practice.Name, me.DisplayName, chosen);
        packet.ReviewCipher = await cipher.EncryptAsync(EncryptedFields.PacketReview(packet), review.ToBytes(), ct);
        db.Packets.Add(packet);
        var typed = chosen.Count(c => !c.IsAttachment);
        audit.Add(request.PracticeId, userId, AuditEvent.PacketCreated(packet, typed, chosen.Count - typed, proposal.Items.Count, reason));
        await db.SaveChangesAsync(ct);
        queue.Enqueue(packet.PracticeId, packet.Id);
        return packet;
    }

    /// <summary>A built packet's PDF (checked against its SHA-256) or, with <paramref name="manifest"/>, its manifest.</summary>
    /// <exception cref="CryptographicException">The PDF does not match its checksum.</exception>
    public async Task<byte[]> ReadFileAsync(ClientGrant grant, Packet packet, bool manifest, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(packet);
        if (manifest)
        {
            return await content.ReadAsync(grant, EncryptedFields.PacketManifest(packet), packet.ManifestCipher!, ct);
        }
        var bytes = await content.ReadAsync(grant, EncryptedFields.PacketPdf(packet), packet.PdfCipher!, ct);
        if (!SHA256.HashData(bytes).AsSpan().SequenceEqual(packet.Sha256))
        {
            throw new CryptographicException($"packet {packet.Id:N} does not match its checksum");
        }
        return bytes;
    }

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
