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
public sealed class SignInModel(SignInManager<User> signIn, ConfideDbContext db, IAuditTrail audit, SignInThrottle throttle, IPasswordHasher<User> hasher) : PageModel
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
        var email = Input.Email.Trim();
        var address = HttpContext.Connection.RemoteIpAddress;
        // Too many failures from this address (or its IPv6 /64) or for this email: refused before the
        // password is looked at. Every refusal below does the same password-hash work and says the
        // same thing, so neither the words nor the time tell whether the account exists or is locked.
        if (throttle.IsBlocked(address, email))
        {
            SpendHashWork();
            Message = AccountRules.SignInFailed;
            return Page();
        }
        var user = await signIn.UserManager.FindByEmailAsync(email);
        if (user is null || await signIn.UserManager.IsLockedOutAsync(user))
        {
            SpendHashWork(); // Identity checks no password for a locked account: do the same work as a wrong one
        }
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
        throttle.Failed(address, email);
        Message = AccountRules.SignInFailed;
        return Page();
    }

    private static string? s_decoyHash;

    /// <summary>One password verification against a decoy hash: the cost of checking a real password.</summary>
    private void SpendHashWork()
    {
        var decoy = new User();
        s_decoyHash ??= hasher.HashPassword(decoy, Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16)));
        hasher.VerifyHashedPassword(decoy, s_decoyHash, Input.Password);
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
