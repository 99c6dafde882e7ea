using System.Net;
using System.Text.RegularExpressions;

namespace Confide.TestKit;

/// <summary>The app's sign-in as a person does it (the password form, then the authenticator code), for every test client of the app.</summary>
public static partial class SignIn
{
    /// <summary>The antiforgery token of the form on a page.</summary>
    public static string Token(string html) =>
        TokenPattern().Match(html) is { Success: true } m ? m.Groups[1].Value : throw new InvalidOperationException("no antiforgery token on the page");

    /// <summary>
    /// Signs in through <paramref name="http"/> (a client that keeps cookies and does not follow
    /// redirects): password, then the TOTP code; asserts that each step redirects as a real sign-in does.
    /// </summary>
    public static async Task WithCodeAsync(HttpClient http, string email, string password, string totpSecret)
    {
        ArgumentNullException.ThrowIfNull(http);
        using var first = await SubmitAsync(http, "/Account/SignIn", ("Input.Email", email), ("Input.Password", password));
        Assert.Equal("/Account/SignInCode", first.Headers.Location?.OriginalString);
        using var code = await SubmitAsync(http, "/Account/SignInCode", ("Code", Totp.Now(totpSecret)));
        Assert.True(code.Headers.Location?.OriginalString == "/Clients", $"{email}: the TOTP sign-in gave {(int)code.StatusCode} {code.Headers.Location}");
    }

    private static async Task<HttpResponseMessage> SubmitAsync(HttpClient http, string page, params (string Name, string Value)[] fields)
    {
        var ct = TestContext.Current.CancellationToken;
        using var form = await http.GetAsync(page, ct);
        Assert.True(form.StatusCode == HttpStatusCode.OK, $"GET {page} gave {(int)form.StatusCode}, expected a page with a form");
        var token = Token(await form.Content.ReadAsStringAsync(ct));
        using var content = new FormUrlEncodedContent([.. fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)), new("__RequestVerificationToken", token)]);
        return await http.PostAsync(page, content, ct);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
