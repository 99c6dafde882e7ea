using Confide.Documents.Sandbox;
using System.Security.Cryptography;
using Confide.Core.Requests;
using Confide.Data;
using Confide.Data.Access;
using Confide.Data.Audit;
using Confide.Data.Crypto;
using Confide.Data.Entities;
using Confide.Web.Features.Clients;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Confide.Web.Pages.Clients;

/// <summary>
/// One record item: its decrypted content and PDF attachments. Viewing, attaching and downloading
/// are audited. Access is decided by <see cref="ClientContent"/>: a psychotherapy note is a 404 for
/// everyone but its author (and the owner under a break-glass for notes).
/// </summary>
[RequestSizeLimit(PdfUpload.MaxRequestBytes)]
[RequestFormLimits(MultipartBodyLengthLimit = PdfUpload.MaxRequestBytes)]
public sealed class RecordModel(ConfideDbContext db, RecordCipher cipher, ClientContent content, IAuditTrail audit, TimeProvider time) : PageModel
{
    public const int MaxAttachmentBytes = PdfUpload.MaxBytes;

    [BindProperty(SupportsGet = true)]
    public string? Reason { get; set; }

    public Guid ClientId { get; private set; }
    public Guid Id { get; private set; }
    public Category Category { get; private set; }
    public DateOnly Date { get; private set; }
    public string Author { get; private set; } = "";
    public bool IsPsychotherapyNote { get; private set; }
    public string Text { get; private set; } = "";
    public List<AttachmentRow> Attachments { get; } = [];

    public string Query => Reason is null ? "" : $"?reason={Uri.EscapeDataString(Reason)}";

    public async Task<IActionResult> OnGetAsync(Guid clientId, Guid id, CancellationToken ct)
    {
        var (viewer, client, item, decision) = await FindAsync(clientId, id, ct);
        if (decision.Outcome is AccessOutcome.NeedsReason or AccessOutcome.Shredded)
        {
            return Redirect($"/Clients/{clientId}");
        }
        if (client is null || item is null)
        {
            return NotFound();
        }
        return await ShowAsync(viewer, client, item, decision.Grant!, ct);
    }

    public async Task<IActionResult> OnPostUploadAsync(Guid clientId, Guid id, IFormFile? file, CancellationToken ct)
    {
        var (viewer, client, item, decision) = await FindAsync(clientId, id, ct);
        if (decision.Outcome is AccessOutcome.NeedsReason or AccessOutcome.Shredded)
        {
            return BadRequest();
        }
        if (client is null || item is null)
        {
            return NotFound();
        }
        var grant = decision.Grant!;
        var upload = file is null ? null : await PdfUpload.ReadAsync(file, ModelState, "file", HttpContext.RequestServices.GetRequiredService<PdfChildProcess>(), ct);
        if (upload is null)
        {
            return await ShowAsync(viewer, client, item, grant, ct);
        }
        var bytes = upload.Bytes;
        var attachment = new Attachment
        {
            RecordItemId = item.Id,
            ClientId = client.Id,
            FileNameCipher = [],
            ContentType = PdfUpload.ContentType,
            Size = bytes.Length,
            Sha256 = SHA256.HashData(bytes),
            ContentCipher = [],
            CreatedAt = time.GetUtcNow(),
        };
        attachment.FileNameCipher = await cipher.EncryptAsync(EncryptedFields.AttachmentName(client, attachment), upload.FileName, ct);
        attachment.ContentCipher = await cipher.EncryptAsync(EncryptedFields.AttachmentContent(client, attachment), bytes, ct);
        db.Attachments.Add(attachment);
        audit.Add(viewer.PracticeId, viewer.UserId, AuditEvent.AttachmentCreated(attachment, client.Id, bytes.Length, grant));
        await db.SaveChangesAsync(ct);
        return Redirect($"/Clients/{client.Id}/Records/{item.Id}{Query}");
    }

    public async Task<IActionResult> OnGetDownloadAsync(Guid clientId, Guid id, Guid attachmentId, CancellationToken ct)
    {
        var (viewer, client, item, decision) = await FindAsync(clientId, id, ct);
        if (decision.Outcome is AccessOutcome.NeedsReason or AccessOutcome.Shredded)
        {
            return Redirect($"/Clients/{clientId}");
        }
        var attachment = item?.Attachments.FirstOrDefault(a => a.Id == attachmentId);
        if (client is null || item is null || attachment is null)
        {
            return NotFound();
        }
        var grant = decision.Grant!;
        var bytes = await content.ReadItemAsync(grant, item, EncryptedFields.AttachmentContent(client, attachment), attachment.ContentCipher, ct);
        if (!SHA256.HashData(bytes).AsSpan().SequenceEqual(attachment.Sha256))
        {
            throw new CryptographicException($"attachment {attachment.Id:N} does not match its checksum");
        }
        var name = await content.ReadItemStringAsync(grant, item, EncryptedFields.AttachmentName(client, attachment), attachment.FileNameCipher, ct);
        audit.Add(viewer.PracticeId, viewer.UserId, AuditEvent.AttachmentDownloaded(attachment, client.Id, grant));
        await db.SaveChangesAsync(ct);
        return File(bytes, attachment.ContentType, name);
    }

    /// <summary>The client and the item when <see cref="ClientContent"/> grants them (the item also when the grant may see it: psychotherapy notes).</summary>
    private async Task<(Viewer Viewer, Client? Client, RecordItem? Item, Decision Decision)> FindAsync(Guid clientId, Guid id, CancellationToken ct)
    {
        var viewer = Viewer.From(User);
        if (Reason is not null && !ClientAccess.IsReason(Reason))
        {
            Reason = null;
        }
        var decision = await content.OpenAsync(viewer.Reader, clientId, ContentPurpose.Record, Reason, ct);
        if (!decision.Granted)
        {
            return (viewer, null, null, decision);
        }
        var client = await db.Clients.AsNoTracking().FirstAsync(c => c.Id == clientId, ct);
        var item = await db.RecordItems.AsNoTracking().Include(r => r.Attachments).FirstOrDefaultAsync(r => r.Id == id && r.ClientId == clientId, ct);
        return (viewer, client, item is not null && decision.Grant!.CanSee(item) ? item : null, decision);
    }

    private async Task<IActionResult> ShowAsync(Viewer viewer, Client client, RecordItem item, ClientGrant grant, CancellationToken ct)
    {
        ClientId = client.Id;
        Id = item.Id;
        Category = item.Category;
        Date = item.Date;
        IsPsychotherapyNote = item.IsPsychotherapyNote;
        Author = await db.Users.Where(u => u.Id == item.AuthorId).Select(u => u.DisplayName).FirstOrDefaultAsync(ct) ?? "(unknown)";
        Text = await content.ReadItemStringAsync(grant, item, EncryptedFields.RecordItemContent(client, item), item.ContentCipher, ct);
        foreach (var a in item.Attachments.OrderBy(a => a.CreatedAt))
        {
            Attachments.Add(new AttachmentRow(a.Id, await content.ReadItemStringAsync(grant, item, EncryptedFields.AttachmentName(client, a), a.FileNameCipher, ct), a.Size));
        }
        audit.Add(viewer.PracticeId, viewer.UserId, AuditEvent.RecordViewed(item, grant));
        await db.SaveChangesAsync(ct);
        return Page();
    }

    public sealed record AttachmentRow(Guid Id, string FileName, long Size);
}
