using System.Net;
using System.Text;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Confide.Security.Tests;

/// <summary>One signed-in person: a cookie-keeping HTTP client that does not follow redirects.</summary>
public sealed class Session(SecurityApp app, string who) : IDisposable
{
    private readonly HttpClient _http = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    public string Who { get; } = who;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async Task<Response> SendAsync(HttpMethod method, string url, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(method, url) { Content = content };
        using var response = await _http.SendAsync(request, Ct);
        var body = await response.Content.ReadAsByteArrayAsync(Ct);
        var headers = string.Join('\n', response.Headers.Concat(response.Content.Headers).Select(h => $"{h.Key}: {string.Join(", ", h.Value)}"));
        return new Response(response.StatusCode, response.Headers.Location?.OriginalString, headers, body);
    }

    public Task<Response> GetAsync(string url) => SendAsync(HttpMethod.Get, url);

    /// <summary>An antiforgery token for this session (the signed-in layout carries one in its sign-out form).</summary>
    public async Task<string> TokenAsync(string page = "/Account/SignIn")
    {
        var response = await GetAsync(page);
        Assert.True(response.Status == HttpStatusCode.OK, $"{Who}: GET {page} gave {(int)response.Status}, expected a page with a form");
        return SignIn.Token(response.Text);
    }

    /// <summary>POSTs the fields with a fresh antiforgery token.</summary>
    public async Task<Response> SubmitAsync(string url, params (string Name, string Value)[] fields) =>
        await SendAsync(HttpMethod.Post, url, Form([.. fields, ("__RequestVerificationToken", await TokenAsync())]));

    public static FormUrlEncodedContent Form(params (string Name, string Value)[] fields) =>
        new(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)));

    /// <summary>Password, then the TOTP code; both steps must redirect as a real sign-in does.</summary>
    public Task SignInAsync(string email, string password, string totpSecret) => SignIn.WithCodeAsync(_http, email, password, totpSecret);

    public void Dispose() => _http.Dispose();

    public sealed record Response(HttpStatusCode Status, string? Location, string Headers, byte[] Body)
    {
        /// <summary>The body as text (Latin-1 for binary bodies, so ASCII markers inside a PDF are still found).</summary>
        public string Text => Encoding.UTF8.GetString(Body);

        public string Everything => Headers + "\n" + Text + "\n" + Encoding.Latin1.GetString(Body);
    }
}
