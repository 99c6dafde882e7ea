using System.ComponentModel.DataAnnotations;
using Confide.Core;
using Confide.Core.Requests;
using Confide.Data;
using Confide.Data.Audit;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Confide.Web.Pages.Account;

/// <summary>
/// A clinician's own professional details: the profession (the default on the intake form, which
/// selects the ethics code and privilege statute) and the license printed on the letters they sign.
/// </summary>
[Authorize(Policy = AccountRules.TwoFactorPolicy)]
public sealed class ProfileModel(ConfideDbContext db, IAuditTrail audit) : PageModel
{
    [BindProperty]
    public string? Profession { get; set; }

    [BindProperty]
    [StringLength(100)]
    public string? LicenseNumber { get; set; }

    public bool Saved { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        var viewer = Viewer.From(User);
        var user = await db.Users.AsNoTracking().SingleAsync(u => u.Id == viewer.UserId, ct);
        Profession = user.Profession is { } p ? Wire<Profession>.Name(p) : null;
        LicenseNumber = user.LicenseNumber;
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var viewer = Viewer.From(User);
        Profession? profession = null;
        if (!string.IsNullOrEmpty(Profession))
        {
            if (Wire<Profession>.TryParse(Profession, out var parsed))
            {
                profession = parsed;
            }
            else
            {
                ModelState.AddModelError(nameof(Profession), "Choose a profession from the list.");
            }
        }
        if (!ModelState.IsValid)
        {
            return Page();
        }
        var user = await db.Users.SingleAsync(u => u.Id == viewer.UserId, ct);
        user.Profession = profession;
        user.LicenseNumber = string.IsNullOrWhiteSpace(LicenseNumber) ? null : LicenseNumber.Trim();
        audit.Add(viewer.PracticeId, viewer.UserId, AuditEvent.ProfileUpdated(user.Id));
        await db.SaveChangesAsync(ct);
        Saved = true;
        return Page();
    }
}
