using System.Net;
using Confide.Web.Hosting;

namespace Confide.Web.Tests;

/// <summary>Every response carries the security headers; pages are never cached, the stylesheet may be.</summary>
public sealed class SecurityHeadersTests(SqliteDemoApp app) : IClassFixture<SqliteDemoApp>
{
    [Theory]
    [InlineData("/Account/SignIn")]
    [InlineData("/Clients")]
    [InlineData("/portal/not-a-real-token")]
    [InlineData("/health")]
    public async Task EveryResponse_CarriesThePolicy_AndIsNotCached(string url)
    {
        using var browser = await app.SignedInAsync(DemoSeeder.Accounts[0]);
        var response = await browser.GetAsync(url);
        Assert.Equal("default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'", Header(response, "Content-Security-Policy"));
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        Assert.Equal("DENY", Header(response, "X-Frame-Options"));
        Assert.Equal("no-referrer", Header(response, "Referrer-Policy"));
        Assert.Contains("no-store", Header(response, "Cache-Control") ?? "", StringComparison.Ordinal); // antiforgery adds no-cache on form pages
    }

    [Fact]
    public async Task TheStylesheet_MayBeCached()
    {
        using var browser = new Browser(app);
        var response = await browser.GetAsync("/site.css");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("public, max-age=3600", Header(response, "Cache-Control"));
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
    }

    [Fact]
    public async Task NoPage_HasInlineStyleOrScript_ThePolicyWouldBlock()
    {
        using var browser = await app.SignedInAsync(DemoSeeder.Accounts[0]);
        foreach (var url in new[] { "/Home", "/Clients", "/Requests", "/Calendar" })
        {
            var html = await browser.GetPageAsync(url);
            Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(" style=", html, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("<style", html, StringComparison.OrdinalIgnoreCase);
        }
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values) ? string.Join(", ", values) : null;
}

/// <summary>
/// A sign-in ends after 12 hours however active it is (the absolute cap), while idle sign-out still
/// ends it after 15 quiet minutes; the app's clock is moved, the cookie is the browser's.
/// </summary>
public sealed class SessionLifetimeTests(SqliteClockedDemoApp app) : IClassFixture<SqliteClockedDemoApp>
{
    [Fact]
    public async Task AnActiveSession_EndsAfterTwelveHours_AndAnIdleOneAfterFifteenMinutes()
    {
        var owner = DemoSeeder.Accounts[0];
        using var browser = await app.SignedInAsync(owner);

        // Active: a request every 10 minutes keeps the session for 12 hours, not a minute more.
        var elapsed = TimeSpan.Zero;
        while (elapsed + TimeSpan.FromMinutes(10) <= SessionLifetime.Maximum)
        {
            app.Clock.Advance(TimeSpan.FromMinutes(10));
            elapsed += TimeSpan.FromMinutes(10);
            var r = await browser.GetAsync("/Clients");
            Assert.True(r.StatusCode == HttpStatusCode.OK, $"{elapsed}: {r.StatusCode} {Browser.Location(r)}");
        }
        app.Clock.Advance(TimeSpan.FromMinutes(10));
        Assert.Contains("/Account/SignIn", Browser.Location(await browser.GetAsync("/Clients")), StringComparison.Ordinal);

        // A fresh sign-in starts a new session; 16 quiet minutes end it.
        using var second = await app.SignedInAsync(owner);
        Assert.Equal(HttpStatusCode.OK, (await second.GetAsync("/Clients")).StatusCode);
        app.Clock.Advance(TimeSpan.FromMinutes(16));
        Assert.Contains("/Account/SignIn", Browser.Location(await second.GetAsync("/Clients")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SigningOut_EndsEveryCopyOfTheSession_WithinAMinute()
    {
        var owner = DemoSeeder.Accounts[0];
        using var laptop = new Browser(app);
        using var phone = new Browser(app);
        await laptop.SignInAsync(owner.Email, DemoSeeder.Password, owner.TotpSecret);
        await phone.SignInAsync(owner.Email, DemoSeeder.Password, owner.TotpSecret);
        app.Clock.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(HttpStatusCode.OK, (await phone.GetAsync("/Clients")).StatusCode);

        Assert.Equal("/Account/SignIn", Browser.Location(await laptop.SubmitAsync("/Clients", "/Account/SignOut")));
        app.Clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Contains("/Account/SignIn", Browser.Location(await phone.GetAsync("/Clients")), StringComparison.Ordinal);
    }
}
