using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Confide.Web.Tests;

/// <summary>A cookie-keeping client that does not follow redirects, with form helpers.</summary>
internal sealed partial class Browser(AppFactory app) : IDisposable
{
    private readonly HttpClient _http = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    public Task<HttpResponseMessage> GetAsync(string url) => _http.GetAsync(url, TestContext.Current.CancellationToken);

    public async Task<string> GetPageAsync(string url)
    {
        var response = await GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
    }

    /// <summary>GETs the page at <paramref name="formPage"/> for its antiforgery token, then POSTs the fields with it to <paramref name="action"/>.</summary>
    public async Task<HttpResponseMessage> SubmitAsync(string formPage, string action, params (string Name, string Value)[] fields)
    {
        var token = Token(await GetPageAsync(formPage));
        return await PostAsync(action, [.. fields, ("__RequestVerificationToken", token)]);
    }

    public Task<HttpResponseMessage> PostAsync(string url, params (string Name, string Value)[] fields) =>
        _http.PostAsync(url, new FormUrlEncodedContent(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value))), TestContext.Current.CancellationToken);

    public Task<HttpResponseMessage> PostAsync(string url, HttpContent content) => _http.PostAsync(url, content, TestContext.Current.CancellationToken);

    /// <summary>Like <see cref="SubmitAsync"/>, as multipart/form-data with an optional file.</summary>
    public async Task<HttpResponseMessage> SubmitMultipartAsync(string formPage, string action, IEnumerable<(string Name, string Value)> fields, (string Field, string FileName, string ContentType, byte[] Bytes)? file = null)
    {
        var token = Token(await GetPageAsync(formPage));
        using var form = new MultipartFormDataContent();
        foreach (var (name, value) in fields)
        {
            form.Add(new StringContent(value), name);
        }
        form.Add(new StringContent(token), "__RequestVerificationToken");
        if (file is { } f)
        {
            var content = new ByteArrayContent(f.Bytes);
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(f.ContentType);
            form.Add(content, f.Field, f.FileName);
        }
        return await PostAsync(action, form);
    }

    /// <summary>The page's text as a reader sees it (Razor encodes non-ASCII characters such as §).</summary>
    public async Task<string> GetTextAsync(string url) => System.Net.WebUtility.HtmlDecode(await GetPageAsync(url));

    public static string Token(string html) => SignIn.Token(html);

    /// <summary>Signs in with password and TOTP code; asserts each step's redirect.</summary>
    public Task SignInAsync(string email, string password, string totpSecret) => SignIn.WithCodeAsync(_http, email, password, totpSecret);

    public static string? Location(HttpResponseMessage response) => response.Headers.Location?.OriginalString;

    public void Dispose() => _http.Dispose();

    /// <summary>The secret key shown on the enrolment page, as base32.</summary>
    public static string AuthenticatorKey(string html) =>
        KeyPattern().Match(html) is { Success: true } m ? m.Groups[1].Value.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant() : throw new InvalidOperationException("no key on the page");

    [GeneratedRegex("id=\"authenticator-key\">([a-z0-9 ]+)<")]
    private static partial Regex KeyPattern();
}
