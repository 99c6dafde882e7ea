using Confide.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Confide.Web.Pages;

/// <summary>The front door: setup on a fresh install, else the practice's home (which asks for sign-in).</summary>
[AllowAnonymous]
public sealed class IndexModel(ConfideDbContext db) : PageModel
{
    public async Task<IActionResult> OnGetAsync(CancellationToken ct) =>
        await db.Practices.AnyAsync(ct) ? Redirect("/Home") : Redirect("/Setup");
}
