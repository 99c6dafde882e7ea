using Confide.Data;
using Confide.Data.Access;
using Confide.Data.Audit;
using Confide.Data.Entities;
using Confide.Web.Features.Releases;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Confide.Web.Pages.Releases;

/// <summary>
/// A release: what it says, its status (expiry computed today), whether the text the client signed
/// still matches the hash recorded at signing, the signing and revocation evidence, the signed
/// PDF. "Send" makes a sign link (shown once) and refuses an incomplete release, saying what is
/// missing. Content is decrypted once per request, in <see cref="ReleaseService.OpenAsync"/>, under the
/// grant <see cref="ReleaseAccess.OpenAsync"/> gives (a shredded client's release sends to their page, which says so).
/// </summary>
public sealed class DetailModel(ConfideDbContext db, ClientContent content, IAuditTrail audit, ReleaseService releases, IConfiguration configuration) : PageModel
{
    public ReleaseService.Opened Release { get; private set; } = null!;
    public DateOnly Today { get; private set; }

    /// <summary>The sign link, shown only in the response that made it.</summary>
    public string? SignLink { get; private set; }

    public double SignLinkDays => releases.SignLinkLifetime.TotalDays;

    public IReadOnlyList<Core.Releases.ReleaseProblem> Problems { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        var viewer = Viewer.From(User);
        var row = await ReleaseAccess.Visible(db, viewer).FirstOrDefaultAsync(r => r.Id == id, ct);
        if (row is null)
        {
            return NotFound();
        }
        var (grant, refusal) = await GrantAsync(viewer, row, ct);
        if (grant is null)
        {
            return refusal!;
        }
        audit.Add(row.PracticeId, viewer.UserId, AuditEvent.ReleaseViewed(row));
        await db.SaveChangesAsync(ct);
        return await ShowAsync(grant, row, ct);
    }

    public async Task<IActionResult> OnPostSendAsync(Guid id, CancellationToken ct)
    {
        var viewer = Viewer.From(User);
        var row = await ReleaseAccess.Visible(db, viewer).FirstOrDefaultAsync(r => r.Id == id, ct);
        if (row is null)
        {
            return NotFound();
        }
        if (row.Status is not (ReleaseStatus.Draft or ReleaseStatus.Sent))
        {
            return BadRequest();
        }
        var (grant, refusal) = await GrantAsync(viewer, row, ct);
        if (grant is null)
        {
            return refusal!;
        }
        var opened = await releases.OpenAsync(grant, row, ct);
        var (token, problems) = await releases.SendAsync(row, opened.Content, viewer.UserId, ct);
        Problems = problems;
        if (token is not null)
        {
            await db.SaveChangesAsync(ct);
            var baseUrl = configuration["Confide:PublicBaseUrl"] is { Length: > 0 } configured ? configured : $"{Request.Scheme}://{Request.Host}";
            SignLink = ReleaseService.PortalUrl(baseUrl, token);
        }
        Release = opened;
        Today = await releases.TodayAsync(row.PracticeId, ct);
        var page = Page();
        page.StatusCode = token is null ? StatusCodes.Status422UnprocessableEntity : StatusCodes.Status200OK;
        return page;
    }

    /// <summary>The client's name as they signed a revocation given to the practice in writing.</summary>
    [BindProperty]
    public string? ClientName { get; set; }

    [BindProperty]
    public bool Confirm { get; set; }

    /// <summary>Records a revocation the client gave the practice in writing (not through the portal): the same effect, audited as the practice's.</summary>
    public async Task<IActionResult> OnPostRevokeAsync(Guid id, CancellationToken ct)
    {
        var viewer = Viewer.From(User);
        var row = await ReleaseAccess.Visible(db, viewer).FirstOrDefaultAsync(r => r.Id == id, ct);
        if (row is null)
        {
            return NotFound();
        }
        if (row.Status != ReleaseStatus.Signed)
        {
            return BadRequest();
        }
        var (grant, refusal) = await GrantAsync(viewer, row, ct);
        if (grant is null)
        {
            return refusal!;
        }
        var name = ClientName?.Trim() ?? "";
        if (name.Length == 0 || name.Length > Portal.IndexModel.MaxName)
        {
            ModelState.AddModelError(nameof(ClientName), name.Length == 0 ? "Type the client's name as they signed the written revocation." : $"The name can be at most {Portal.IndexModel.MaxName} characters.");
        }
        if (!Confirm)
        {
            ModelState.AddModelError(nameof(Confirm), "Tick the box to confirm the client revoked this release in writing.");
        }
        if (!ModelState.IsValid)
        {
            var page = await ShowAsync(grant, row, ct);
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return page;
        }
        var opened = await releases.OpenAsync(grant, row, ct);
        var ua = Request.Headers.UserAgent.ToString();
        await releases.RevokeForClientAsync(opened, name, viewer.UserId, HttpContext.Connection.RemoteIpAddress?.ToString() ?? "unknown", ua.Length > 300 ? ua[..300] : ua, ct);
        await db.SaveChangesAsync(ct);
        return Redirect($"/Releases/{row.Id}");
    }

    public async Task<IActionResult> OnGetPdfAsync(Guid id, CancellationToken ct)
    {
        var viewer = Viewer.From(User);
        var row = await ReleaseAccess.Visible(db, viewer).AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, ct);
        if (row?.SignedPdfCipher is null)
        {
            return NotFound();
        }
        var (grant, refusal) = await GrantAsync(viewer, row, ct);
        if (grant is null)
        {
            return refusal!;
        }
        var pdf = await releases.SignedPdfAsync(grant, row, ct);
        audit.Add(row.PracticeId, viewer.UserId, AuditEvent.ReleaseDownloadedByPractice(row));
        await db.SaveChangesAsync(ct);
        return File(pdf, "application/pdf", $"release-{row.Id:N}.pdf");
    }

    private async Task<(ClientGrant? Grant, IActionResult? Refusal)> GrantAsync(Viewer viewer, Release row, CancellationToken ct)
    {
        var decision = await ReleaseAccess.OpenAsync(content, viewer, row.ClientId, ct);
        return decision.Outcome switch
        {
            AccessOutcome.Granted => (decision.Grant, null),
            AccessOutcome.Shredded => (null, Redirect($"/Clients/{row.ClientId}")),
            _ => (null, NotFound()),
        };
    }

    private async Task<IActionResult> ShowAsync(ClientGrant grant, Release row, CancellationToken ct)
    {
        Release = await releases.OpenAsync(grant, row, ct);
        Today = await releases.TodayAsync(row.PracticeId, ct);
        return Page();
    }
}
