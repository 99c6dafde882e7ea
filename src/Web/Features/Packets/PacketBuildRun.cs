using System.Security.Cryptography;
using Confide.Core;
using Confide.Core.Disclosure;
using Confide.Data;
using Confide.Data.Access;
using Confide.Data.Audit;
using Confide.Data.Crypto;
using Confide.Data.Disclosures;
using Confide.Data.Entities;
using Confide.Documents.Packets;
using Confide.Documents.Sandbox;
using Confide.Web.Features.Releases;
using Confide.Web.Features.Requests;
using Microsoft.EntityFrameworkCore;

namespace Confide.Web.Features.Packets;

/// <summary>
/// One packet build: reads the review and the record items (decrypting them here and nowhere else,
/// through <see cref="ClientContent.OpenOnBehalfAsync"/>: on behalf of the packet's creator, whose
/// access to the client is decided again now; a creator no longer allowed, a psychotherapy note not
/// theirs, or a client shredded meanwhile fails the build and reads nothing more),
/// builds the PDF with <see cref="PacketBuilder"/> while saving its progress, then stores the packet
/// and its manifest encrypted with the PDF's SHA-256 and records the disclosure and the audit entry,
/// all in one save.
/// </summary>
public sealed partial class PacketBuildRun(
    ConfideDbContext db,
    RecordCipher cipher,
    ClientContent content,
    RequestRecords records,
    IAuditTrail audit,
    DisclosureLog disclosures,
    PacketOptions options,
    PdfChildProcess pdfs,
    PracticeClock clock,
    TimeProvider time,
    ILogger<PacketBuildRun> log,
    ConsentCheck consent
)
{
    /// <summary>Builds the packet, working for its practice (no signed-in request sets the practice here).</summary>
    public async Task RunAsync(Guid practiceId, Guid packetId, CancellationToken ct)
    {
        db.Scope.Use(practiceId);
        var packet = await db.Packets.FirstOrDefaultAsync(p => p.Id == packetId && p.PracticeId == practiceId, ct);
        if (packet is null || packet.Status is PacketStatus.Done or PacketStatus.Failed)
        {
            return;
        }
        packet.Status = PacketStatus.Building;
        await db.SaveChangesAsync(ct);
        try
        {
            var grant = await GrantAsync(packet, ct);
            await EnsureConsentAsync(grant, packet, ct); // before anything is read
            var request = await LoadAsync(grant, packet, ct);
            // Built in a limited child process: a hostile upload fails this packet, never the app.
            var (result, pdf) = await pdfs.BuildAsync(request, options, new Saver(db, packet.Id), ct);
            await EnsureConsentAsync(grant, packet, ct); // and again just before anything is stored or recorded
            packet.PdfCipher = await cipher.EncryptAsync(EncryptedFields.PacketPdf(packet), pdf, ct);
            packet.ManifestCipher = await cipher.EncryptAsync(EncryptedFields.PacketManifest(packet), result.Manifest.ToJson(), ct);
            packet.Sha256 = SHA256.HashData(pdf);
            packet.Status = PacketStatus.Done;
            packet.Percent = 100;
            packet.Pages = result.PageCount;
            packet.CompletedAt = time.GetUtcNow();
            var d = result.Disclosure;
            var review = PacketReview.Read(await content.ReadAsync(grant, EncryptedFields.PacketReview(packet), packet.ReviewCipher, ct));
            var categories = string.Join(", ", d.Categories.Select(Vocabulary.Short));
            await disclosures.RecordAsync(
                new NewDisclosure(
                    packet.PracticeId,
                    packet.ClientId,
                    Accounting.BasisOf(d.Basis) ?? throw new InvalidOperationException($"packet {packet.Id:N}: outcome does not disclose"),
                    d.DisclosedOn,
                    review.Recipient,
                    review.RecipientAddress,
                    $"Disclosure packet: {d.ItemIds.Count} record item(s) ({categories}), {d.PageCount} pages, Bates {d.BatesFirst} to {d.BatesLast}",
                    d.BasisText,
                    packet.CreatedById
                )
                {
                    RequestId = packet.RequestId,
                    DeterminationId = packet.DeterminationId,
                    PacketId = packet.Id,
                    Sha256 = packet.Sha256,
                },
                ct
            );
            audit.Add(packet.PracticeId, packet.CreatedById, AuditEvent.PacketBuilt(packet, result.PageCount, d.Sha256));
            await db.SaveChangesAsync(ct);
            LogBuilt(packet.Id, result.PageCount);
        }
        catch (Exception ex)
            when (ex is PdfNotSafeException or ArgumentException or InvalidDataException or PdftoppmNotFoundException or IOException or InvalidOperationException or System.Data.Common.DbException or UnauthorizedAccessException or CryptographicException or ConsentRefusedException)
        {
            db.ChangeTracker.Clear();
            var failed = await db.Packets.FirstAsync(p => p.Id == packetId && p.PracticeId == practiceId, ct);
            failed.Status = PacketStatus.Failed;
            if (ex is ConsentRefusedException refused)
            {
                await consent.FlagAsync(failed.RequestId, refused.Result, failed.DeterminationId, "worker", null, failed.Id, ct);
            }
            failed.Failure = ex switch
            {
                ConsentRefusedException => "consent-refused",
                PdfNotSafeException unsafePdf => PdfSafety.FailureCode(unsafePdf),
                PdftoppmNotFoundException => "pdftoppm-missing",
                UnauthorizedAccessException => "access-refused",
                CryptographicException => "content-destroyed",
                InvalidDataException => "unreadable-upload",
                ArgumentException => "invalid-review",
                _ => "build-failed",
            };
            failed.CompletedAt = time.GetUtcNow();
            audit.Add(failed.PracticeId, failed.CreatedById, AuditEvent.PacketFailed(failed));
            await db.SaveChangesAsync(ct);
            LogFailed(packetId, ex.GetType().Name);
        }
    }

    /// <summary>
    /// The creator's grant, decided again now (a staff member's reason is the one a packet has by
    /// definition: answering a request for records). Throws when it is refused: the build fails.
    /// </summary>
    private async Task<ClientGrant> GrantAsync(Packet packet, CancellationToken ct)
    {
        var decision = await content.OpenOnBehalfAsync(packet.CreatedById, packet.PracticeId, packet.ClientId, ContentPurpose.Record, PacketReason, ct);
        return decision.Outcome switch
        {
            AccessOutcome.Granted => decision.Grant!,
            AccessOutcome.Shredded => throw new CryptographicException($"packet {packet.Id:N}: the client's content was destroyed"),
            _ => throw new UnauthorizedAccessException($"packet {packet.Id:N}: its creator may no longer read the client's record ({decision.Outcome})"),
        };
    }

    /// <summary>Consent checked again (<see cref="ConsentCheck"/>); throws when it no longer holds, so the build fails disclosing nothing.</summary>
    private async Task EnsureConsentAsync(ClientGrant grant, Packet packet, CancellationToken ct)
    {
        var request = await db.Requests.AsNoTracking().FirstAsync(r => r.Id == packet.RequestId, ct);
        var result = await consent.CheckAsync(grant, request, packet.DeterminationId, ct);
        if (!result.Holds)
        {
            throw new ConsentRefusedException(result);
        }
    }

    /// <summary>The staff reason code a packet build reads under.</summary>
    public const string PacketReason = "records-request";

    private async Task<PacketRequest> LoadAsync(ClientGrant grant, Packet packet, CancellationToken ct)
    {
        var review = PacketReview.Read(await content.ReadAsync(grant, EncryptedFields.PacketReview(packet), packet.ReviewCipher, ct));
        var client = await db.Clients.AsNoTracking().FirstAsync(c => c.Id == packet.ClientId, ct);
        var determinationRow = await db.RequestDeterminations.AsNoTracking().FirstAsync(d => d.Id == packet.DeterminationId, ct);
        var determination = (await records.ReadAsync(grant, determinationRow, ct)).Determination;
        var clientName = await content.ReadStringAsync(grant, EncryptedFields.ClientName(client), client.NameCipher, ct);
        var typedIds = review.Items.Where(i => !i.IsAttachment).Select(i => i.Id).ToList();
        var attachmentIds = review.Items.Where(i => i.IsAttachment).Select(i => i.Id).ToList();
        var items = await db.RecordItems.AsNoTracking().Where(r => r.ClientId == client.Id && typedIds.Contains(r.Id)).ToDictionaryAsync(r => r.Id, ct);
        var attachments = await db.Attachments.AsNoTracking().Where(a => a.ClientId == client.Id && attachmentIds.Contains(a.Id)).ToDictionaryAsync(a => a.Id, ct);
        var parentIds = attachments.Values.Select(a => a.RecordItemId).Distinct().ToList();
        var parents = await db.RecordItems.AsNoTracking().Where(r => parentIds.Contains(r.Id)).ToDictionaryAsync(r => r.Id, ct);
        var authorIds = items.Values.Select(i => i.AuthorId).Concat(parents.Values.Select(p => p.AuthorId)).Distinct().ToList();
        var authors = await db.Users.AsNoTracking().Where(u => authorIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
        var list = new List<PacketItem>();
        foreach (var r in review.Items)
        {
            if (!r.IsAttachment)
            {
                var item = items.GetValueOrDefault(r.Id) ?? throw new ArgumentException($"record item {r.Id:N} is not this client's");
                var text = await content.ReadItemStringAsync(grant, item, EncryptedFields.RecordItemContent(client, item), item.ContentCipher, ct);
                list.Add(new TypedItem(item.Id.ToString("N"), item.Category, item.Date, Title(item), authors.GetValueOrDefault(item.AuthorId), text, Spans(text, r.Remove)));
                continue;
            }
            var a = attachments.GetValueOrDefault(r.Id) ?? throw new ArgumentException($"attachment {r.Id:N} is not this client's");
            var parent = parents[a.RecordItemId];
            var mode = r.AttachmentMode();
            byte[]? bytes = null;
            if (mode != AttachmentMode.Exclude)
            {
                parent.Attachments.Add(a); // loaded apart (without every attachment's content): the item ClientContent checks the note rule on
                bytes = await content.ReadItemAsync(grant, parent, EncryptedFields.AttachmentContent(client, a), a.ContentCipher, ct);
                if (!SHA256.HashData(bytes).AsSpan().SequenceEqual(a.Sha256))
                {
                    throw new InvalidDataException($"attachment {a.Id:N} does not match its checksum");
                }
            }
            list.Add(
                new AttachmentItem(
                    a.Id.ToString("N"),
                    parent.Category,
                    parent.Date,
                    $"{Title(parent)}: attached document",
                    authors.GetValueOrDefault(parent.AuthorId),
                    () => new MemoryStream(bytes ?? throw new InvalidOperationException("an excluded upload is never opened"), writable: false),
                    mode,
                    r.WithheldPages(),
                    r.PageRegions()
                )
            );
        }
        var request = new PacketRequest
        {
            Practice = review.Practice,
            DisclosedBy = review.DisclosedBy,
            Recipient = review.RecipientAddress is null ? review.Recipient : $"{review.Recipient}, {review.RecipientAddress}",
            ClientName = clientName,
            Basis = determination.Outcome,
            BasisText = review.BasisText,
            Disclose = determination.Disclose,
            DisclosedOn = await clock.TodayAsync(packet.PracticeId, ct),
            Items = list,
        };
        return request;
    }

    /// <summary>An item's title in the review and the packet: "Progress notes, 2026-03-05".</summary>
    internal static string Title(RecordItem item) => $"{Vocabulary.Long(item.Category)}, {Vocabulary.Date(item.Date)}";

    /// <summary>Every occurrence of every passage, as spans (overlaps are merged by the builder).</summary>
    internal static IReadOnlyList<TextSpan> Spans(string content, IEnumerable<string> remove)
    {
        var spans = new List<TextSpan>();
        foreach (var passage in remove.Where(p => p.Length > 0))
        {
            for (var at = content.IndexOf(passage, StringComparison.Ordinal); at >= 0; at = content.IndexOf(passage, at + passage.Length, StringComparison.Ordinal))
            {
                spans.Add(new TextSpan(at, passage.Length));
            }
        }
        return spans;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Packet {PacketId} built: {Pages} pages")]
    private partial void LogBuilt(Guid packetId, int pages);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Packet {PacketId} failed ({Error})")]
    private partial void LogFailed(Guid packetId, string error);

    /// <summary>Saves the build's progress (on the building thread, at most every 5 percent) so any page or instance can show it.</summary>
    private sealed class Saver(ConfideDbContext db, Guid packetId) : IProgress<PacketProgress>
    {
        private double _saved = -5;

        public void Report(PacketProgress value)
        {
            if (value.Percent - _saved < 5 && value.Percent < 100)
            {
                return;
            }
            _saved = value.Percent;
            try
            {
                db.Packets.Where(p => p.Id == packetId).ExecuteUpdate(s => s.SetProperty(p => p.Percent, value.Percent).SetProperty(p => p.Pages, value.Pages));
            }
            catch (System.Data.Common.DbException)
            {
                // progress is shown on a best-effort basis: a busy database must not stop the build
            }
        }
    }
}
