using System.Net;
using Confide.Data.Entities;
using Confide.Web.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Confide.Web.Tests;

/// <summary>
/// The demo practice behind a proxy at 10.0.0.0/24 (<c>Confide:TrustedProxies</c>). The test server has
/// no network: the peer's address comes from the test-only <c>X-Test-Peer</c> header, set before the
/// app's own pipeline (as a socket would), so the app's forwarded-headers handling is what is tested.
/// Sign-in limits are low so the tests reach them: 3 failures per address, 3 per email.
/// </summary>
public class ProxiedDemoApp : SqliteApp
{
    public const string PeerHeader = "X-Test-Peer";

    protected override bool SeedDemo => true;

    protected virtual string Environment => "Development";

    public CountingHasher Hasher { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseEnvironment(Environment);
        builder.UseSetting(TrustedProxies.Key, "10.0.0.0/24, 192.0.2.1");
        builder.UseSetting(SignInThrottle.PerAddressKey, "3");
        builder.UseSetting(SignInThrottle.PerAccountKey, "3");
        builder.ConfigureTestServices(s =>
        {
            s.AddTransient<IStartupFilter, PeerFilter>();
            s.RemoveAll<IPasswordHasher<User>>();
            s.AddSingleton<IPasswordHasher<User>>(Hasher);
        });
    }

    private sealed class PeerFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) =>
            app =>
            {
                app.Use((context, nextMiddleware) =>
                {
                    if (context.Request.Headers[PeerHeader] is [{ } peer])
                    {
                        context.Connection.RemoteIpAddress = IPAddress.Parse(peer);
                    }
                    return nextMiddleware(context);
                });
                next(app);
            };
    }

    /// <summary>Identity's hasher, counting password verifications (the cost that must not tell accounts apart).</summary>
    public sealed class CountingHasher : IPasswordHasher<User>
    {
        private readonly PasswordHasher<User> _inner = new();
        private int _verified;

        public int Verified => Volatile.Read(ref _verified);

        public string HashPassword(User user, string password) => _inner.HashPassword(user, password);

        public PasswordVerificationResult VerifyHashedPassword(User user, string hashedPassword, string providedPassword)
        {
            Interlocked.Increment(ref _verified);
            return _inner.VerifyHashedPassword(user, hashedPassword, providedPassword);
        }
    }
}

/// <summary>The same, in the Production environment (HSTS, Secure and __Host- cookies).</summary>
public sealed class ProxiedProductionApp : ProxiedDemoApp
{
    protected override string Environment => "Production";
}

public sealed class SignInThrottleTests(ProxiedDemoApp app) : IClassFixture<ProxiedDemoApp>
{
    private const string Password = "a passphrase for throttle tests";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>An account with a password and no authenticator: a right password redirects to enrolment.</summary>
    private async Task<string> AccountAsync(string name)
    {
        var email = $"{name}@demo.confide.test";
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<User>>();
        Assert.True((await users.CreateAsync(new User { PracticeId = DemoSeeder.PracticeId, UserName = email, Email = email, DisplayName = name }, Password)).Succeeded);
        return email;
    }

    /// <summary>One password attempt from <paramref name="peer"/> (optionally through it, for <paramref name="forwardedFor"/>): the redirect, or the page's message.</summary>
    private async Task<string> AttemptAsync(string peer, string? forwardedFor, string email, string password)
    {
        using var http = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        http.DefaultRequestHeaders.Add(ProxiedDemoApp.PeerHeader, peer);
        if (forwardedFor is not null)
        {
            http.DefaultRequestHeaders.Add("X-Forwarded-For", forwardedFor);
        }
        var form = await http.GetStringAsync("/Account/SignIn", Ct);
        using var content = new FormUrlEncodedContent([new("Input.Email", email), new("Input.Password", password), new("__RequestVerificationToken", Browser.Token(form))]);
        using var response = await http.PostAsync("/Account/SignIn", content, Ct);
        if (response.StatusCode == HttpStatusCode.Redirect)
        {
            return "redirect " + response.Headers.Location;
        }
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync(Ct));
        Assert.Contains(AccountRules.SignInFailed, html, StringComparison.Ordinal);
        return AccountRules.SignInFailed;
    }

    [Fact]
    public async Task PerClientAddress_ThroughATrustedProxy_EachClientCounted_ThroughAnUntrustedOne_ThePeerIs()
    {
        var email = await AccountAsync("per-address");
        const string ToEnrolment = "redirect /Account/Authenticator";
        // Client A through the trusted proxy: three failures (unknown emails), then even the right password is refused, with the same words.
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(AccountRules.SignInFailed, await AttemptAsync("10.0.0.5", "203.0.113.7", $"nobody{i}@demo.confide.test", "wrong wrong wrong"));
        }
        Assert.Equal(AccountRules.SignInFailed, await AttemptAsync("10.0.0.5", "203.0.113.7", email, Password));
        // Client B through the same proxy is another client.
        Assert.Equal(ToEnrolment, await AttemptAsync("10.0.0.5", "203.0.113.8", email, Password));
        // Through two trusted hops, the client is still the one the first proxy saw.
        Assert.Equal(AccountRules.SignInFailed, await AttemptAsync("10.0.0.6", "203.0.113.7, 192.0.2.1", email, Password));

        // An untrusted peer cannot pick its address: X-Forwarded-For is ignored, the peer itself is counted.
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(AccountRules.SignInFailed, await AttemptAsync("198.51.100.9", $"203.0.113.{20 + i}", $"other{i}@demo.confide.test", "wrong wrong wrong"));
        }
        Assert.Equal(AccountRules.SignInFailed, await AttemptAsync("198.51.100.9", "203.0.113.99", email, Password));

        // IPv6: one /64 is one client; the next /64 is another.
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(AccountRules.SignInFailed, await AttemptAsync($"2001:db8:1:2::{10 + i}", null, $"six{i}@demo.confide.test", "wrong wrong wrong"));
        }
        Assert.Equal(AccountRules.SignInFailed, await AttemptAsync("2001:db8:1:2:ffff:eeee:dddd:1", null, email, Password));
        Assert.Equal(ToEnrolment, await AttemptAsync("2001:db8:1:3::1", null, email, Password));
    }

    [Fact]
    public async Task PerAccount_FailuresFromManyAddresses_StopTheRightPassword_BeforeIdentityLocksTheAccount()
    {
        var email = await AccountAsync("per-account");
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(AccountRules.SignInFailed, await AttemptAsync($"198.51.100.{100 + i}", null, email, "wrong wrong wrong"));
        }
        Assert.Equal(AccountRules.SignInFailed, await AttemptAsync("198.51.100.200", null, email, Password));
        await using var db = app.NewDbContext();
        var user = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(db.Users, u => u.Email == email, Ct);
        Assert.Equal(3, user.AccessFailedCount); // not locked by Identity (5): the throttle refused it
        Assert.Null(user.LockoutEnd);
        // Another account from the same (fresh) address is not affected.
        Assert.Equal("redirect /Account/Authenticator", await AttemptAsync("198.51.100.201", null, await AccountAsync("per-account-other"), Password));
    }

    [Fact]
    public async Task UnknownEmail_LockedAccount_AndWrongPassword_SayTheSame_AndDoTheSamePasswordHashWork()
    {
        var email = await AccountAsync("timing");
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<User>>();
            var locked = new User { PracticeId = DemoSeeder.PracticeId, UserName = "locked@demo.confide.test", Email = "locked@demo.confide.test", DisplayName = "locked" };
            Assert.True((await users.CreateAsync(locked, Password)).Succeeded);
            Assert.True((await users.SetLockoutEndDateAsync(locked, TimeProvider.System.GetUtcNow().AddMinutes(15))).Succeeded);
        }
        var cases = new (string Email, string Password)[]
        {
            (email, "wrong wrong wrong"), // an account, a wrong password
            ("nobody-here@demo.confide.test", "wrong wrong wrong"), // no such account
            ("locked@demo.confide.test", Password), // locked, with its right password
        };
        var peer = 50;
        foreach (var (e, p) in cases)
        {
            var before = app.Hasher.Verified;
            Assert.Equal(AccountRules.SignInFailed, await AttemptAsync($"198.51.100.{peer++}", null, e, p));
            Assert.True(app.Hasher.Verified - before == 1, $"{e}: {app.Hasher.Verified - before} password verifications, expected exactly 1");
        }
    }
}

public sealed class ProductionCookieTests(ProxiedProductionApp app) : IClassFixture<ProxiedProductionApp>
{
    private async Task<HttpResponseMessage> GetAsync(string peer, string proto)
    {
        var http = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false, BaseAddress = new Uri("http://confide.example.org/") });
        http.DefaultRequestHeaders.Add(ProxiedDemoApp.PeerHeader, peer);
        http.DefaultRequestHeaders.Add("X-Forwarded-Proto", proto);
        http.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.7");
        return await http.GetAsync("/Account/SignIn", TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task BehindATrustedTlsProxy_HstsAndHostPrefixedSecureCookies_AnUntrustedPeerGetsNoHsts()
    {
        using var trusted = await GetAsync("10.0.0.5", "https");
        Assert.Equal(HttpStatusCode.OK, trusted.StatusCode);
        Assert.True(trusted.Headers.Contains("Strict-Transport-Security"), "no HSTS behind the trusted TLS proxy");
        var cookie = Assert.Single(trusted.Headers.GetValues("Set-Cookie"), c => c.Contains("confide.csrf", StringComparison.Ordinal));
        Assert.StartsWith("__Host-confide.csrf=", cookie, StringComparison.Ordinal);
        Assert.Contains("; secure", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("; path=/", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("; samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("; httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("domain=", cookie, StringComparison.OrdinalIgnoreCase);

        // The same headers from a peer that is not a trusted proxy: not believed, so the request is plain
        // http, which outside Development is refused plainly (no HSTS, no cookie, no form).
        using var untrusted = await GetAsync("198.51.100.9", "https");
        Assert.Equal(HttpStatusCode.BadRequest, untrusted.StatusCode);
        Assert.Equal(TrustedProxies.PlainHttpRefused, await untrusted.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.False(untrusted.Headers.Contains("Strict-Transport-Security"), "HSTS sent on a forged X-Forwarded-Proto");
        Assert.False(untrusted.Headers.Contains("Set-Cookie"));
    }
}
