using Confide.Data;
using Confide.Data.Audit;
using Confide.Data.Entities;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Confide.Web.Pages.Account;

[AllowAnonymous]
public sealed class SignOutModel(SignInManager<User> signIn, UserManager<User> users, ConfideDbContext db, IAuditTrail audit) : PageModel
{
    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (User.Identity?.IsAuthenticated == true && User.HasClaim(c => c.Type == AccountRules.PracticeClaim))
        {
            var viewer = Viewer.From(User);
            audit.Add(viewer.PracticeId, viewer.UserId, AuditEvent.SignedOut(viewer.UserId, withCode: User.HasClaim("amr", "mfa")));
            // A new security stamp ends every copy of this sign-in (another tab, device, or a stolen
            // cookie) at its next check, within a minute; saved with the audit entry.
            if (await users.GetUserAsync(User) is { } user)
            {
                await users.UpdateSecurityStampAsync(user);
            }
            else
            {
                await db.SaveChangesAsync(HttpContext.RequestAborted);
            }
        }
        await signIn.SignOutAsync();
        return Redirect("/Account/SignIn");
    }
}
