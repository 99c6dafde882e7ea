using System.ComponentModel.DataAnnotations;
using Confide.Data;
using Confide.Data.Audit;
using Confide.Data.Entities;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Confide.Web.Pages.Account;

/// <summary>The second step of sign-in: a TOTP code. Success signs in with amr=mfa.</summary>
[AllowAnonymous]
public sealed class SignInCodeModel(SignInManager<User> signIn, ConfideDbContext db, IAuditTrail audit) : PageModel
{
    [BindProperty]
    [Required, StringLength(7)]
    public string Code { get; set; } = "";

    public string? Message { get; private set; }

    public async Task<IActionResult> OnGetAsync() =>
        await signIn.GetTwoFactorAuthenticationUserAsync() is null ? Redirect("/Account/SignIn") : Page();

    public async Task<IActionResult> OnPostAsync()
    {
        if (await signIn.GetTwoFactorAuthenticationUserAsync() is not { } user)
        {
            return Redirect("/Account/SignIn");
        }
        if (!ModelState.IsValid)
        {
            return Page();
        }
        var result = await SignInAudit.RunAsync(
            db,
            audit,
            user,
            () => signIn.TwoFactorAuthenticatorSignInAsync(Code.Replace(" ", "", StringComparison.Ordinal), isPersistent: false, rememberClient: false),
            r => SignInAudit.ForResult(user, r, SignInStep.Code, user.AccessFailedCount),
            HttpContext.RequestAborted
        );
        if (result.Succeeded)
        {
            return Redirect("/Clients");
        }
        Message = result.IsLockedOut ? "This account is locked after too many failed attempts. Try again in 15 minutes." : "That code is not right.";
        return Page();
    }
}
