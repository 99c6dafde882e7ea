using System.Globalization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace Confide.Web.Hosting;

/// <summary>
/// The longest a sign-in lasts, however active (ASVS 5.0 V7.3.2; NIST SP 800-63B asks AAL2 to
/// re-authenticate at least every 12 hours). Idle sign-out after 15 minutes is the cookie's sliding
/// expiry; this is the absolute cap. The moment of sign-in travels in the cookie's properties, which
/// survive sliding renewal and security-stamp refreshes; a new password-and-code sign-in (or a
/// re-authentication) starts a new one.
/// </summary>
internal static class SessionLifetime
{
    public static readonly TimeSpan Maximum = TimeSpan.FromHours(12);
    private const string Item = "confide.signed-in-at";

    /// <summary>The claims a refreshed principal keeps from the current one: the MFA marker and the re-authentication time.</summary>
    public static Task CarryOver(System.Security.Claims.ClaimsPrincipal? current, System.Security.Claims.ClaimsPrincipal? refreshed)
    {
        if (current is null || refreshed?.Identities.FirstOrDefault() is not { } identity)
        {
            return Task.CompletedTask;
        }
        foreach (var claim in current.Claims.Where(c => c.Type is "amr" or Reauthentication.Claim).ToList())
        {
            if (!identity.HasClaim(claim.Type, claim.Value))
            {
                identity.AddClaim(new System.Security.Claims.Claim(claim.Type, claim.Value));
            }
        }
        return Task.CompletedTask;
    }

    public static void Apply(CookieAuthenticationOptions options)
    {
        var validate = options.Events.OnValidatePrincipal;
        var signingIn = options.Events.OnSigningIn;
        options.Events.OnSigningIn = async context =>
        {
            if (!context.Properties.Items.ContainsKey(Item))
            {
                var now = context.HttpContext.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
                context.Properties.Items[Item] = now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
            }
            await signingIn(context);
        };
        options.Events.OnValidatePrincipal = async context =>
        {
            var now = context.HttpContext.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
            if (!context.Properties.Items.TryGetValue(Item, out var value)
                || !long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
                || now - DateTimeOffset.FromUnixTimeSeconds(seconds) > Maximum)
            {
                context.RejectPrincipal();
                await context.HttpContext.SignOutAsync(context.Scheme.Name);
                return;
            }
            await validate(context);
        };
    }
}
