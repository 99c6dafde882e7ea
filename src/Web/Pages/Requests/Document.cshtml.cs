using System.Security.Cryptography;
using System.Text;
using Confide.Core;
using Confide.Core.Triage;
using Confide.Data;
using Confide.Data.Access;
using Confide.Data.Audit;
using Confide.Data.Crypto;
using Confide.Data.Entities;
using Confide.Documents;
using Confide.Documents.Docx;
using Confide.Documents.Pdf;
using Confide.Web.Features.Clients;
using Confide.Web.Features.Requests;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Confide.Web.Pages.Requests;

/// <summary>
/// Edit a document of the current determination before it is finalized: the text as
/// <see cref="DocumentComposer"/> wrote it (or as last finalized) in <see cref="EditableText"/>'s
/// form; finalizing renders it through the same PDF and DOCX renderers and stores the text, the PDF
/// and the DOCX encrypted with the SHA-256 of each, who and when, as a new version (a finalized
/// version is never changed). Finalized versions download from here, checked against their hashes.
/// Every finalization and download is audited. Read through <see cref="ClientContent"/> (the client's
/// record rule); a shredded client's request sends to the request page, which sends to the client's.
/// </summary>
public sealed class DocumentEditorModel(ConfideDbContext db, RecordCipher cipher, ClientContent content, RequestRecords records, IAuditTrail audit, RequestService requests, TimeProvider time) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Reason { get; set; }

    public RecordRequest Item { get; private set; } = null!;
    public DocumentKind Kind { get; private set; }
    public string Text { get; private set; } = "";
    public int? BasedOnVersion { get; private set; }
    public string? Error { get; private set; }

    public string Amp => Reason is null ? "" : $"&reason={Uri.EscapeDataString(Reason)}";

    public string Query => Reason is null ? "" : $"?reason={Uri.EscapeDataString(Reason)}";

    public async Task<IActionResult> OnGetAsync(Guid id, string? kind, CancellationToken ct)
    {
        var found = await FindAsync(id, kind, ct);
        if (found is not { } f)
        {
            return NotFound();
        }
        if (f.Grant is not { } grant)
        {
            return Redirect($"/Requests/{id}");
        }
        var latest = await LatestAsync(f.Request.Id, f.Kind, ct);
        if (latest is not null)
        {
            Text = await content.ReadStringAsync(grant, EncryptedFields.FinalizedDocumentText(latest), latest.TextCipher, ct);
            BasedOnVersion = latest.Version;
        }
        else
        {
            Text = EditableText.ToText(f.Composed!);
        }
        // Every read of client content is audited: opening the editor shows the document's text.
        audit.Add(f.Request.PracticeId, f.Viewer.UserId, AuditEvent.DocumentEditorOpened(f.Request, f.Determination!.Id, f.Kind, BasedOnVersion, Reason));
        await db.SaveChangesAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostFinalizeAsync(Guid id, string? kind, string? text, CancellationToken ct)
    {
        var found = await FindAsync(id, kind, ct);
        if (found is not { } f)
        {
            return NotFound();
        }
        if (f.Grant is null)
        {
            return BadRequest();
        }
        Text = text ?? "";
        DocumentModel edited;
        try
        {
            edited = EditableText.Parse(Text, f.Composed!);
        }
        catch (FormatException e)
        {
            Error = $"Nothing was finalized: {e.Message}.";
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        var pdf = new PdfRenderer(PaperSize.Letter).Render(edited);
        var docx = new DocxRenderer(PaperSize.Letter).Render(edited);
        var textBytes = Encoding.UTF8.GetBytes(Text);
        var version = (await db.FinalizedDocuments.Where(d => d.RequestId == f.Request.Id && d.Kind == f.Kind).MaxAsync(d => (int?)d.Version, ct) ?? 0) + 1;
        var row = new FinalizedDocument
        {
            PracticeId = f.Request.PracticeId,
            ClientId = f.Request.ClientId,
            RequestId = f.Request.Id,
            DeterminationId = f.Determination!.Id,
            Kind = f.Kind,
            Version = version,
            TextCipher = [],
            PdfCipher = [],
            DocxCipher = [],
            TextSha256 = SHA256.HashData(textBytes),
            PdfSha256 = SHA256.HashData(pdf),
            DocxSha256 = SHA256.HashData(docx),
            FinalizedById = f.Viewer.UserId,
            FinalizedAt = time.GetUtcNow(),
        };
        row.TextCipher = await cipher.EncryptAsync(EncryptedFields.FinalizedDocumentText(row), textBytes, ct);
        row.PdfCipher = await cipher.EncryptAsync(EncryptedFields.FinalizedDocumentPdf(row), pdf, ct);
        row.DocxCipher = await cipher.EncryptAsync(EncryptedFields.FinalizedDocumentDocx(row), docx, ct);
        db.FinalizedDocuments.Add(row);
        audit.Add(row.PracticeId, f.Viewer.UserId, AuditEvent.DocumentFinalized(row, Reason));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear(); // a colleague finalized the same version at the same moment: the unique index kept theirs
            Error = "Someone finalized this document at the same moment. Nothing of yours was stored: open it again.";
            Response.StatusCode = StatusCodes.Status409Conflict;
            return Page();
        }
        return Redirect($"/Requests/{f.Request.Id}{Query}#finalized");
    }

    /// <summary>A finalized version (without <paramref name="version"/>: the latest) as pdf, docx or txt; with none finalized yet, the editor.</summary>
    public async Task<IActionResult> OnGetFinalAsync(Guid id, string? kind, int? version, string? format, CancellationToken ct)
    {
        var found = await FindAsync(id, kind, ct);
        if (found is not { } f)
        {
            return NotFound();
        }
        if (f.Grant is not { } grant)
        {
            return Redirect($"/Requests/{id}");
        }
        format ??= "pdf";
        if (format is not ("pdf" or "docx" or "txt"))
        {
            return NotFound();
        }
        var row = version is { } v
            ? await db.FinalizedDocuments.AsNoTracking().FirstOrDefaultAsync(d => d.RequestId == f.Request.Id && d.Kind == f.Kind && d.Version == v, ct)
            : await LatestAsync(f.Request.Id, f.Kind, ct);
        if (row is null)
        {
            return version is null ? Redirect($"/Requests/{id}/Document?kind={Wire<DocumentKind>.Name(f.Kind)}{Amp}") : NotFound();
        }
        var (cipherText, hash, field, type) = format switch
        {
            "pdf" => (row.PdfCipher, row.PdfSha256, EncryptedFields.FinalizedDocumentPdf(row), "application/pdf"),
            "docx" => (row.DocxCipher, row.DocxSha256, EncryptedFields.FinalizedDocumentDocx(row), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
            _ => (row.TextCipher, row.TextSha256, EncryptedFields.FinalizedDocumentText(row), "text/plain; charset=utf-8"),
        };
        var bytes = await content.ReadAsync(grant, field, cipherText, ct);
        if (!SHA256.HashData(bytes).AsSpan().SequenceEqual(hash))
        {
            throw new CryptographicException($"finalized document {row.Id:N} does not match its checksum");
        }
        audit.Add(row.PracticeId, f.Viewer.UserId, AuditEvent.FinalizedDocumentExported(row, format, Reason));
        await db.SaveChangesAsync(ct);
        return File(bytes, type, $"{Wire<DocumentKind>.Name(row.Kind)}-v{row.Version}.{format}");
    }

    private Task<FinalizedDocument?> LatestAsync(Guid requestId, DocumentKind kind, CancellationToken ct) =>
        db.FinalizedDocuments.AsNoTracking().Where(d => d.RequestId == requestId && d.Kind == kind).OrderByDescending(d => d.Version).FirstOrDefaultAsync(ct);

    /// <summary>What <see cref="FindAsync"/> found; without a grant (a reason to state, or the client shredded) nothing else was read.</summary>
    private sealed record Found(Viewer Viewer, RecordRequest Request, RequestDetermination? Determination, DocumentKind Kind, DocumentModel? Composed, ClientGrant? Grant);

    /// <summary>The request, its current determination and the composed document, when the viewer may see them and the determination lists the kind (without one: its first document).</summary>
    private async Task<Found?> FindAsync(Guid id, string? kind, CancellationToken ct)
    {
        var viewer = Viewer.From(User);
        if (Reason is not null && !ClientAccess.IsReason(Reason))
        {
            Reason = null;
        }
        var request = await RequestAccess.Visible(db, viewer).AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, ct);
        if (request is null)
        {
            return null;
        }
        var decision = await content.OpenAsync(viewer.Reader, request.ClientId, ContentPurpose.Record, Reason, ct);
        if (decision.Outcome is AccessOutcome.NeedsReason or AccessOutcome.Shredded)
        {
            Item = request;
            return new Found(viewer, request, null, default, null, null);
        }
        if (decision.Grant is not { } grant)
        {
            return null;
        }
        var stored = await records.ReadCurrentAsync(grant, id, ct);
        if (kind is null)
        {
            var listed = stored.Determination.Documents;
            if (listed.Count == 0)
            {
                return null;
            }
            kind = Wire<DocumentKind>.Name(listed[0]);
        }
        if (!Wire<DocumentKind>.TryParse(kind, out var documentKind))
        {
            return null;
        }
        var composed = requests.Compose(stored, documentKind);
        if (composed is null)
        {
            return null;
        }
        Item = request;
        Kind = documentKind;
        return new Found(viewer, request, stored.Row, documentKind, composed, grant);
    }
}
