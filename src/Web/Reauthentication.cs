using System.Globalization;
using System.Security.Claims;

namespace Confide.Web;

/// <summary>
/// Re-authentication before a disclosure leaves the practice (OWASP ASVS 5.0 V7.5, issue 6): building
/// or downloading a packet and recording a report require that the user entered their password and an
/// authenticator code again within the last <see cref="Window"/>. The moment is a claim in the
/// sign-in cookie, set only by <c>/Account/Reauthenticate</c>.
/// </summary>
internal static class Reauthentication
{
    public const string Claim = "confide:reauth";
    public const string PagePath = "/Account/Reauthenticate";
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(5);

    /// <summary>True when <paramref name="user"/> re-authenticated within the window, by <paramref name="time"/>'s clock.</summary>
    public static bool IsFresh(ClaimsPrincipal user, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(time);
        if (user.FindFirstValue(Claim) is not { } value || !long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return false;
        }
        var at = DateTimeOffset.FromUnixTimeSeconds(seconds);
        var now = time.GetUtcNow();
        return at <= now.AddSeconds(5) && now - at <= Window;
    }

    /// <summary>The re-authentication page's address, returning to <paramref name="returnUrl"/> (a local path).</summary>
    public static string PageFor(string returnUrl) => $"{PagePath}?returnUrl={Uri.EscapeDataString(returnUrl)}";
}
