using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Confide.Data;
using Confide.Data.Audit;
using Confide.Data.Entities;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Confide.Web.Pages.Account;

/// <summary>
/// Enrols a TOTP authenticator: shows the secret key and its otpauth:// URI, then checks a code.
/// A correct code turns two-factor on and re-issues the cookie with amr=mfa (the code just proved
/// possession of the second factor).
/// </summary>
public sealed class AuthenticatorModel(UserManager<User> users, SignInManager<User> signIn, ConfideDbContext db, IAuditTrail audit, IUserStore<User> store) : PageModel
{
    [BindProperty]
    [Required, StringLength(7)]
    public string Code { get; set; } = "";

    public bool Enabled { get; private set; }
    public bool SignedInWithCode { get; private set; }
    public string FormattedKey { get; private set; } = "";
    public string AuthenticatorUri { get; private set; } = "";

    /// <summary>Two-factor is off but this account's authenticator was turned on before: only the owner's reset reopens enrolment.</summary>
    public bool NeedsOwnerReset { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return Redirect("/Account/SignIn");
        }
        await LoadAsync(user);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return Redirect("/Account/SignIn");
        }
        if (await users.GetTwoFactorEnabledAsync(user) || await WasEnrolledAsync(user))
        {
            return Redirect("/Account/Authenticator");
        }
        if (ModelState.IsValid)
        {
            var code = Code.Replace(" ", "", StringComparison.Ordinal);
            var enabled = await SignInAudit.RunAsync(
                db,
                audit,
                user,
                async () =>
                {
                    if (!await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, code))
                    {
                        return false;
                    }
                    await users.SetTwoFactorEnabledAsync(user, true);
                    return true;
                },
                ok => ok ? AuditEvent.TwoFactorEnabled(user.Id) : AuditEvent.TwoFactorEnableFailed(user.Id),
                HttpContext.RequestAborted
            );
            if (enabled)
            {
                await signIn.SignInWithClaimsAsync(user, isPersistent: false, [new Claim("amr", "mfa")]);
                return Redirect("/Clients");
            }
            ModelState.AddModelError(nameof(Code), "That code is not right. Check the time on your phone and try the next code.");
        }
        await LoadAsync(user);
        return Page();
    }

    private Task<bool> WasEnrolledAsync(User user) => ((ConfideUserStore)store).WasEnrolledAsync(user, HttpContext.RequestAborted);

    private async Task LoadAsync(User user)
    {
        Enabled = await users.GetTwoFactorEnabledAsync(user);
        SignedInWithCode = User.HasClaim("amr", "mfa");
        if (Enabled)
        {
            return;
        }
        if (await WasEnrolledAsync(user))
        {
            // The flag was switched off outside the app (nothing in it does that): never show the secret again.
            NeedsOwnerReset = true;
            return;
        }
        var key = await users.GetAuthenticatorKeyAsync(user);
        if (string.IsNullOrEmpty(key))
        {
            await SignInAudit.RunAsync<bool>(
                db,
                audit,
                user,
                async () => (await users.ResetAuthenticatorKeyAsync(user)).Succeeded,
                ok => ok ? AuditEvent.AuthenticatorKeyReset(user.Id) : null,
                HttpContext.RequestAborted
            );
            await signIn.RefreshSignInAsync(user); // the reset changed the security stamp
            key = await users.GetAuthenticatorKeyAsync(user) ?? throw new InvalidOperationException("no authenticator key after reset");
        }
        FormattedKey = AccountRules.FormatKey(key);
        AuthenticatorUri = AccountRules.AuthenticatorUri(user.Email ?? user.UserName ?? "", key);
    }
}
