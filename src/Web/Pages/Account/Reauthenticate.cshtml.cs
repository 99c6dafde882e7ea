using System.Globalization;
using System.Security.Claims;
using Confide.Data;
using Confide.Data.Audit;
using Confide.Data.Entities;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Confide.Web.Pages.Account;

/// <summary>
/// Enter the password and an authenticator code again before a disclosure leaves the practice; on
/// success the sign-in is renewed with the moment of re-authentication and the user goes back to
/// where they were (a local address only). Failures count toward the account's lockout. Audited.
/// </summary>
[Authorize(Policy = AccountRules.TwoFactorPolicy)]
public sealed class ReauthenticateModel(UserManager<User> users, SignInManager<User> signIn, ConfideDbContext db, IAuditTrail audit, TimeProvider time) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    [BindProperty]
    public string Password { get; set; } = "";

    [BindProperty]
    public string Code { get; set; } = "";

    public string? Message { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var viewer = Viewer.From(User);
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return Redirect("/Account/SignIn");
        }
        if (await users.IsLockedOutAsync(user))
        {
            Message = "This account is locked after too many failed attempts. Try again in 15 minutes.";
            return Page();
        }
        var code = (Code ?? "").Replace(" ", "", StringComparison.Ordinal);
        var ok = await signIn.CanSignInAsync(user) // the account seal holds
            && await users.CheckPasswordAsync(user, Password ?? "")
            && code.Length is > 0 and <= 7
            && await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, code);
        audit.Add(viewer.PracticeId, viewer.UserId, AuditEvent.Reauthenticated(viewer.UserId, ok));
        await db.SaveChangesAsync(ct);
        if (!ok)
        {
            await users.AccessFailedAsync(user);
            Message = "The password or the code is not right.";
            return Page();
        }
        await users.ResetAccessFailedCountAsync(user);
        var at = time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        await signIn.SignInWithClaimsAsync(user, isPersistent: false, [new Claim("amr", "mfa"), new Claim(Reauthentication.Claim, at)]);
        return Redirect(ReturnUrl is { Length: > 0 } r && Url.IsLocalUrl(r) ? r : "/Home");
    }
}
