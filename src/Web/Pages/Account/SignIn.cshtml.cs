using System.ComponentModel.DataAnnotations;
using Confide.Data;
using Confide.Data.Audit;
using Confide.Data.Entities;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Confide.Web.Pages.Account;

/// <summary>Password first; an account with two-factor on then goes to the code page. Every outcome for an existing account is audited.</summary>
[AllowAnonymous]
public sealed class SignInModel(SignInManager<User> signIn, ConfideDbContext db, IAuditTrail audit) : PageModel
{
    [BindProperty]
    public SignInInput Input { get; set; } = new();

    public string? Message { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!ModelState.IsValid)
        {
            return Page();
        }
        var user = await signIn.UserManager.FindByEmailAsync(Input.Email.Trim());
        var result = user is null
            ? Microsoft.AspNetCore.Identity.SignInResult.Failed
            : await SignInAudit.RunAsync(
                db,
                audit,
                user,
                () => signIn.PasswordSignInAsync(user, Input.Password, isPersistent: false, lockoutOnFailure: true),
                r => SignInAudit.ForResult(user, r, SignInStep.Password, user.AccessFailedCount),
                HttpContext.RequestAborted
            );
        if (result.RequiresTwoFactor)
        {
            return Redirect("/Account/SignInCode");
        }
        if (result.Succeeded)
        {
            // Signed in with a password only: enrol an authenticator before any client record opens.
            return Redirect("/Account/Authenticator");
        }
        Message = result.IsLockedOut
            ? "This account is locked after too many failed attempts. Try again in 15 minutes."
            : "The email or password is not right.";
        return Page();
    }

    public sealed class SignInInput
    {
        [Required, StringLength(256)]
        public string Email { get; set; } = "";

        [Required, StringLength(AccountRules.MaxPasswordLength)]
        [DataType(DataType.Password)]
        public string Password { get; set; } = "";
    }
}
