using Confide.Core.Releases;
using Confide.Data;
using Confide.Data.Access;
using Confide.Data.Audit;
using Confide.Data.Entities;
using Confide.Web.Features.Releases;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.EntityFrameworkCore;

namespace Confide.Web.Pages.Portal;

/// <summary>
/// The client portal, without a sign-in: the link's token is the credential. A sign link shows the
/// release in plain words and in full, asks the understanding check (a wrong answer shows the
/// explanation again), and takes a typed-name signature; it is used up by signing, not by opening.
/// A copy link gives the signed copy; a revocation link (kept apart, never printed on the copy) takes a
/// written revocation after a second check, the client's date of birth (a few wrong answers lock the
/// link). An unknown, expired, used or locked link gets the same plain 404. Rate-limited by address; every action and every refused
/// link is audited with the token's hash prefix only. The release is decrypted under a grant
/// ClientContent opens from the link itself (that release only); a shredded client's link does not work.
/// </summary>
[AllowAnonymous]
[EnableRateLimiting(PortalRules.RateLimitPolicy)]
public sealed class IndexModel(ConfideDbContext db, ClientContent content, IAuditTrail audit, ReleaseService releases, IConfiguration configuration) : PageModel
{
    public const int MaxName = 200;

    public enum Step
    {
        Read,
        Wrong,
        Sign,
        Signed,
        Manage,
        Revoked,

        /// <summary>A copy link: the signed copy to download, nothing else.</summary>
        Copy,
    }

    [BindProperty]
    public Dictionary<string, string?> Answers { get; set; } = [];

    [BindProperty]
    public string? TypedName { get; set; }

    /// <summary>The hash of the text the page showed, posted back so a release changed meanwhile is not signed.</summary>
    [BindProperty]
    public string? ShownHash { get; set; }

    [BindProperty]
    public bool Confirm { get; set; }

    /// <summary>The revocation's second check: the client's date of birth (YYYY-MM-DD), which the link alone does not give.</summary>
    [BindProperty]
    public string? DateOfBirth { get; set; }

    public Step View { get; private set; }
    public ReleaseContent Release { get; private set; } = null!;
    public string PracticeName { get; private set; } = "";
    public IReadOnlyList<string> TextLines { get; private set; } = [];
    public IReadOnlyList<UnderstandingQuestion> Questions { get; private set; } = [];
    public IReadOnlyList<UnderstandingQuestion> WrongAnswers { get; private set; } = [];
    public string? CopyUrl { get; private set; }
    public string? RevocationUrl { get; private set; }
    public DateTimeOffset? RevokedAt { get; private set; }
    public DateTimeOffset? SignedAt { get; private set; }

    public async Task<IActionResult> OnGetAsync(string token, CancellationToken ct)
    {
        var found = await FindAsync(token, ct);
        if (found is null)
        {
            return Gone();
        }
        var (link, release, practice, _) = found.Value;
        View = link.Purpose switch
        {
            PortalTokenPurpose.Sign => Step.Read,
            PortalTokenPurpose.Copy => Step.Copy,
            _ => release.Row.Status == ReleaseStatus.Revoked ? Step.Revoked : Step.Manage,
        };
        audit.Add(link.PracticeId, null, AuditEvent.PortalViewed(link));
        await db.SaveChangesAsync(ct);
        return Show(release, practice, token);
    }

    public async Task<IActionResult> OnPostCheckAsync(string token, CancellationToken ct)
    {
        var found = await FindAsync(token, ct);
        if (found is not { Link.Purpose: PortalTokenPurpose.Sign })
        {
            return Gone();
        }
        var (link, release, practice, _) = found.Value;
        WrongAnswers = UnderstandingCheck.Wrong(release.Content, Answers);
        View = WrongAnswers.Count > 0 ? Step.Wrong : Step.Sign;
        audit.Add(link.PracticeId, null, AuditEvent.PortalChecked(link, WrongAnswers));
        await db.SaveChangesAsync(ct);
        return Show(release, practice, token);
    }

    public async Task<IActionResult> OnPostSignAsync(string token, CancellationToken ct)
    {
        var found = await FindAsync(token, ct);
        if (found is not { Link.Purpose: PortalTokenPurpose.Sign })
        {
            return Gone();
        }
        var (link, release, practice, _) = found.Value;
        WrongAnswers = UnderstandingCheck.Wrong(release.Content, Answers);
        if (WrongAnswers.Count > 0)
        {
            View = Step.Wrong;
            return Show(release, practice, token);
        }
        var shown = ReleaseService.TextShown(release.Content, practice);
        if (!string.Equals(ShownHash, ReleaseService.Hex(ReleaseService.Sha256(shown)), StringComparison.Ordinal))
        {
            View = Step.Read;
            ModelState.AddModelError("", "This release changed after you opened it. Nothing was signed: please read it again.");
            return Show(release, practice, token);
        }
        var name = TypedName?.Trim() ?? "";
        if (name.Length == 0 || name.Length > MaxName)
        {
            View = Step.Sign;
            ModelState.AddModelError(nameof(TypedName), name.Length == 0 ? "Type your full name to sign." : $"Your name can be at most {MaxName} characters.");
            return Show(release, practice, token);
        }
        var (copyToken, revokeToken) = await releases.SignAsync(release, link, practice, shown, name, ClientAddress(), UserAgent(), ct);
        if (!await SavedAsync(ct))
        {
            return Gone(); // signed at the same moment through another request: that one stands
        }
        View = Step.Signed;
        SignedAt = release.Row.SignedAt;
        var page = Show(release, practice, revokeToken);
        CopyUrl = ReleaseService.PortalUrl(PublicBaseUrl(), copyToken) + "?handler=Copy";
        return page;
    }

    /// <summary>The signed copy (copy link only: the revocation link does not download, so the two can be kept apart).</summary>
    public async Task<IActionResult> OnGetCopyAsync(string token, CancellationToken ct)
    {
        var found = await FindAsync(token, ct);
        if (found is not { Link.Purpose: PortalTokenPurpose.Copy } || found.Value.Release.Row.SignedPdfCipher is null)
        {
            return Gone();
        }
        var (link, release, _, _) = found.Value;
        var pdf = await releases.SignedPdfAsync(found.Value.Grant, release.Row, ct);
        audit.Add(link.PracticeId, null, AuditEvent.ReleaseDownloadedByClient(link));
        await db.SaveChangesAsync(ct);
        return File(pdf, "application/pdf", "signed-release.pdf");
    }

    public async Task<IActionResult> OnPostRevokeAsync(string token, CancellationToken ct)
    {
        var found = await FindAsync(token, ct);
        if (found is not { Link.Purpose: PortalTokenPurpose.Revoke })
        {
            return Gone();
        }
        var (link, release, practice, _) = found.Value;
        if (release.Row.Status == ReleaseStatus.Revoked)
        {
            View = Step.Revoked;
            return Show(release, practice, token);
        }
        var name = TypedName?.Trim() ?? "";
        if (name.Length == 0 || name.Length > MaxName)
        {
            ModelState.AddModelError(nameof(TypedName), name.Length == 0 ? "Type your full name to revoke in writing." : $"Your name can be at most {MaxName} characters.");
        }
        if (!Confirm)
        {
            ModelState.AddModelError(nameof(Confirm), "Tick the box to confirm you want to revoke this release.");
        }
        DateOnly? born = DateOnly.TryParseExact(DateOfBirth?.Trim(), "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var d) ? d : null;
        if (born is null)
        {
            ModelState.AddModelError(nameof(DateOfBirth), "Enter your date of birth as YYYY-MM-DD.");
        }
        if (!ModelState.IsValid)
        {
            View = Step.Manage;
            return Show(release, practice, token);
        }
        if (!await releases.SecondCheckAsync(link, born, ct))
        {
            await db.SaveChangesAsync(ct);
            if (link.LockedAt is not null)
            {
                return Gone();
            }
            View = Step.Manage;
            ModelState.AddModelError(nameof(DateOfBirth), "That date of birth does not match our records. Nothing was revoked.");
            return Show(release, practice, token);
        }
        await releases.RevokeAsync(release, link, name, ClientAddress(), UserAgent(), ct);
        if (!await SavedAsync(ct))
        {
            return Gone();
        }
        View = Step.Revoked;
        return Show(release, practice, token);
    }

    /// <summary>Saves; false when the release changed meanwhile (its version token), nothing of this request kept.</summary>
    private async Task<bool> SavedAsync(CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
            return true;
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            return false;
        }
    }

    /// <summary>The same plain page for every link that does not work: it says nothing about why.</summary>
    private ContentResult Gone() =>
        new() { StatusCode = StatusCodes.Status404NotFound, ContentType = "text/html; charset=utf-8", Content = PortalRules.NotFoundPage };

    private async Task<(PortalToken Link, ReleaseService.Opened Release, Practice Practice, ClientGrant Grant)?> FindAsync(string token, CancellationToken ct)
    {
        var link = await releases.FindTokenAsync(token, ct);
        if (link is null)
        {
            return null;
        }
        // The link is the only credential: ClientContent checks it again and grants its one release (nothing for a shredded client).
        var decision = await content.OpenPortalAsync(token, ct);
        if (decision.Grant is not { } grant || grant.ReleaseId != link.ReleaseId)
        {
            return null;
        }
        var row = await db.Releases.FirstOrDefaultAsync(r => r.Id == link.ReleaseId, ct);
        // A sign link works only while the release waits for a signature.
        if (row is null || (link.Purpose == PortalTokenPurpose.Sign && row.Status != ReleaseStatus.Sent))
        {
            return null;
        }
        var practice = await db.Practices.AsNoTracking().SingleAsync(p => p.Id == link.PracticeId, ct);
        return (link, await releases.OpenAsync(grant, row, ct), practice, grant);
    }

    private PageResult Show(ReleaseService.Opened release, Practice practice, string token)
    {
        Release = release.Content;
        PracticeName = practice.Name;
        var text = release.ShownText ?? ReleaseService.TextShown(release.Content, practice);
        TextLines = text.Split('\n');
        ShownHash = ReleaseService.Hex(ReleaseService.Sha256(text));
        Questions = UnderstandingCheck.Questions(release.Content);
        RevokedAt = release.Row.RevokedAt;
        SignedAt = release.Row.SignedAt;
        if (View is Step.Signed or Step.Manage or Step.Revoked)
        {
            RevocationUrl = ReleaseService.PortalUrl(PublicBaseUrl(), token);
        }
        if (View is Step.Copy)
        {
            CopyUrl = $"/portal/{token}?handler=Copy";
        }
        return Page();
    }

    private string PublicBaseUrl() => configuration["Confide:PublicBaseUrl"] is { Length: > 0 } configured ? configured : $"{Request.Scheme}://{Request.Host}";

    private string ClientAddress() => HttpContext.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    private string UserAgent()
    {
        var ua = Request.Headers.UserAgent.ToString();
        return ua.Length > 300 ? ua[..300] : ua;
    }
}
