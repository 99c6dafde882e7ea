using System.Net;
using Confide.Data.Audit;
using Confide.Data.Entities;
using Confide.Web.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Confide.Web.Tests;

/// <summary>First run, as a person meets it: setup, authenticator enrolment, sign-out, sign-in with a code.</summary>
public abstract class SetupTests<TApp>(TApp app) : IClassFixture<TApp>
    where TApp : AppFactory
{
    private const string Email = "owner@example.test";
    private const string Password = "a long enough passphrase";

    private static (string, string)[] Fields(string jurisdiction, string setupCode) =>
    [
        ("Input.SetupCode", setupCode),
        ("Input.PracticeName", "Riverbend Therapy"),
        ("Input.Address", "12 River Rd, Austin, TX"),
        ("Input.Jurisdiction", jurisdiction),
        ("Input.OwnerName", "Dr. Test Owner"),
        ("Input.Email", Email),
        ("Input.Password", Password),
    ];

    [Fact]
    public async Task Setup_CreatesPracticeAndOwner_ThenIs404_AndClientsNeedATotpSignIn()
    {
        var ct = TestContext.Current.CancellationToken;
        using var browser = new Browser(app);
        // The code printed at start; the test takes a new one from the service (no HTTP route reaches it).
        var setupCode = app.Services.GetRequiredService<SetupCode>().Issue();

        Assert.Equal("/Setup", Browser.Location(await browser.GetAsync("/")));
        Assert.Equal(HttpStatusCode.BadRequest, (await browser.PostAsync("/Setup", Fields("US-TX", setupCode))).StatusCode); // no antiforgery token
        var badState = await browser.SubmitAsync("/Setup", "/Setup", Fields("US-ZZ", setupCode));
        Assert.Equal(HttpStatusCode.OK, badState.StatusCode); // the form again, with the error
        var wrongCode = await browser.SubmitAsync("/Setup", "/Setup", [("Input.SetupCode", "AAAAA-AAAAA-AAAAA-AAAAA"), .. Fields("US-TX", setupCode)[1..]]);
        Assert.Contains("The setup code is not right", await wrongCode.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
        var noCode = await browser.SubmitAsync("/Setup", "/Setup", Fields("US-TX", setupCode)[1..]);
        Assert.Equal(HttpStatusCode.OK, noCode.StatusCode);
        var shortPassword = await browser.SubmitAsync("/Setup", "/Setup", [.. Fields("US-TX", setupCode)[..^1], ("Input.Password", "elevenchars")]);
        Assert.Equal(HttpStatusCode.OK, shortPassword.StatusCode);
        await using (var db = app.NewDbContext())
        {
            Assert.False(await db.Practices.AnyAsync(ct));
        }

        var created = await browser.SubmitAsync("/Setup", "/Setup", Fields("US-TX", setupCode));
        Assert.Equal("/Account/Authenticator", Browser.Location(created));
        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync("/Setup")).StatusCode);
        Assert.False(app.Services.GetRequiredService<SetupCode>().Matches(setupCode)); // used up
        await using (var db = app.NewDbContext())
        {
            var practice = await db.Practices.SingleAsync(ct);
            Assert.Equal(("Riverbend Therapy", "US-TX"), (practice.Name, practice.Jurisdiction));
            Assert.Equal("America/Chicago", practice.TimeZone); // no zone chosen: Texas's usual one
            var owner = await db.Users.SingleAsync(ct);
            Assert.Equal(practice.Id, owner.PracticeId);
            var roles = await db.UserRoles.Where(r => r.UserId == owner.Id).Join(db.Roles, ur => ur.RoleId, r => r.Id, (_, r) => r.Name).ToListAsync(ct);
            Assert.Contains(Roles.Owner, roles);
            Assert.Contains(AuditActions.PracticeCreate, await db.AuditEntries.Select(e => e.Action).ToListAsync(ct));
        }

        // Signed in with a password only: client records stay shut.
        Assert.Contains("/Account/TwoFactorRequired", Browser.Location(await browser.GetAsync("/Clients")), StringComparison.Ordinal);

        var enrolment = await browser.GetPageAsync("/Account/Authenticator");
        var key = Browser.AuthenticatorKey(enrolment);
        Assert.NotEmpty(key);
        Assert.Contains($"otpauth://totp/Confide:{Uri.EscapeDataString(Email)}?secret={key}&amp;issuer=Confide", enrolment, StringComparison.Ordinal);
        var wrong = await browser.SubmitAsync("/Account/Authenticator", "/Account/Authenticator", ("Code", WrongCode(key)));
        Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
        var enrolled = await browser.SubmitAsync("/Account/Authenticator", "/Account/Authenticator", ("Code", Totp.Now(key)));
        Assert.Equal("/Clients", Browser.Location(enrolled));
        await using (var db = app.NewDbContext())
        {
            // The TOTP secret is sealed at rest: the database holds no copy of it (the sign-in below reads it back).
            var stored = await db.UserTokens.AsNoTracking().Where(t => t.Name == Confide.Data.Crypto.AuthenticatorSecrets.TokenName).Select(t => t.Value!).SingleAsync(TestContext.Current.CancellationToken);
            Assert.True(Confide.Data.Crypto.AuthenticatorSecrets.IsSealed(stored));
            Assert.DoesNotContain(key, stored, StringComparison.OrdinalIgnoreCase);
        }
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/Clients")).StatusCode);

        var signedOut = await browser.SubmitAsync("/Clients", "/Account/SignOut");
        Assert.Equal("/Account/SignIn", Browser.Location(signedOut));
        Assert.Contains("/Account/SignIn", Browser.Location(await browser.GetAsync("/Clients")), StringComparison.Ordinal);

        // Now the password alone is not enough: it leads to the code page, and the records stay shut until the code.
        var password = await browser.SubmitAsync("/Account/SignIn", "/Account/SignIn", ("Input.Email", Email), ("Input.Password", Password));
        Assert.Equal("/Account/SignInCode", Browser.Location(password));
        Assert.Contains("/Account/SignIn", Browser.Location(await browser.GetAsync("/Clients")), StringComparison.Ordinal);
        var code = await browser.SubmitAsync("/Account/SignInCode", "/Account/SignInCode", ("Code", Totp.Now(key)));
        Assert.Equal("/Clients", Browser.Location(code));
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/Clients")).StatusCode);
    }

    private static string WrongCode(string key)
    {
        var now = TimeProvider.System.GetUtcNow();
        var valid = Enumerable.Range(-3, 7).Select(i => Totp.At(key, now.AddSeconds(30 * i))).ToHashSet();
        return Enumerable.Range(0, 1000).Select(i => i.ToString("D6", System.Globalization.CultureInfo.InvariantCulture)).First(c => !valid.Contains(c));
    }
}

public sealed class SqliteSetupTests(SqliteApp app) : SetupTests<SqliteApp>(app);

public sealed class PostgresSetupTests(PostgresApp app) : SetupTests<PostgresApp>(app);
