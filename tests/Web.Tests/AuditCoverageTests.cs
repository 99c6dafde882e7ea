using System.Net;
using System.Text.RegularExpressions;
using Confide.Data.Audit;
using Confide.Data.Entities;
using Confide.Web.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using CoreChain = Confide.Core.Audit.AuditChain;

namespace Confide.Web.Tests;

/// <summary>
/// Sign-ins (success, failure, lockout, the code step), sign-outs and two-factor enrolment each
/// append their audit entry, with identifiers and codes only, in the same transaction as what
/// Identity saves; the chain stays intact. Each test has an account of its own in the demo practice.
/// </summary>
public abstract partial class AuditCoverageTests<TApp>(TApp app) : IClassFixture<TApp>
    where TApp : AppFactory
{
    private const string Secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

    [Fact]
    public async Task SignIn_EachStepAndOutcome_AuditedWithIdentifiersOnly()
    {
        var (id, email) = await NewUserAsync(twoFactor: true);
        using var browser = new Browser(app);

        var wrong = await browser.SubmitAsync("/Account/SignIn", "/Account/SignIn", ("Input.Email", email), ("Input.Password", "not the password at all"));
        Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
        var password = await browser.SubmitAsync("/Account/SignIn", "/Account/SignIn", ("Input.Email", email), ("Input.Password", DemoSeeder.Password));
        Assert.Equal("/Account/SignInCode", Browser.Location(password));
        var badCode = await browser.SubmitAsync("/Account/SignInCode", "/Account/SignInCode", ("Code", OtherCode(Totp.Now(Secret))));
        Assert.Equal(HttpStatusCode.OK, badCode.StatusCode);
        var code = await browser.SubmitAsync("/Account/SignInCode", "/Account/SignInCode", ("Code", Totp.Now(Secret)));
        Assert.Equal("/Clients", Browser.Location(code));
        var signedOut = await browser.SubmitAsync("/Clients", "/Account/SignOut");
        Assert.Equal("/Account/SignIn", Browser.Location(signedOut));

        var entries = await EntriesAsync(id);
        Assert.Equal(
            [
                (AuditActions.SignInFailure, "step=password;failed=1"),
                (AuditActions.SignInPassword, "next=code"),
                (AuditActions.SignInFailure, "step=code;failed=2"), // the password step's failure still counts until a full sign-in
                (AuditActions.SignInSuccess, "mfa=totp"),
                (AuditActions.SignOut, "mfa=totp"),
            ],
            entries.Where(e => e.Action != AuditActions.ClientList).Select(e => (e.Action, e.Detail))
        );
        AssertIdentifiersOnly([.. entries.Where(e => e.Action != AuditActions.ClientList)], id, email);
        await AssertChainIntactAsync();
    }

    [Fact]
    public async Task SignIn_Lockout_Audited_AndAnUnknownEmailWritesNothing()
    {
        var (id, email) = await NewUserAsync(twoFactor: true);
        using var browser = new Browser(app);
        for (var i = 0; i < 5; i++)
        {
            await browser.SubmitAsync("/Account/SignIn", "/Account/SignIn", ("Input.Email", email), ("Input.Password", "not the password at all"));
        }
        await browser.SubmitAsync("/Account/SignIn", "/Account/SignIn", ("Input.Email", email), ("Input.Password", DemoSeeder.Password));

        var entries = await EntriesAsync(id);
        Assert.Equal(
            [.. Enumerable.Range(1, 4).Select(n => $"{AuditActions.SignInFailure} step=password;failed={n}"), $"{AuditActions.SignInLockout} step=password", $"{AuditActions.SignInLockout} step=password"],
            entries.Select(e => $"{e.Action} {e.Detail}")
        );
        // Identity's lockout and the entry that records it were saved together.
        await using (var db = app.NewDbContext())
        {
            Assert.NotNull((await db.Users.AsNoTracking().SingleAsync(u => u.Id == id, TestContext.Current.CancellationToken)).LockoutEnd);
        }
        AssertIdentifiersOnly(entries, id, email);

        var before = await CountAsync();
        await browser.SubmitAsync("/Account/SignIn", "/Account/SignIn", ("Input.Email", "nobody-" + email), ("Input.Password", DemoSeeder.Password));
        Assert.Equal(before, await CountAsync());
        await AssertChainIntactAsync();
    }

    [Fact]
    public async Task TwoFactorEnrolment_KeyResetFailureAndEnable_Audited()
    {
        var (id, email) = await NewUserAsync(twoFactor: false);
        using var browser = new Browser(app);
        var password = await browser.SubmitAsync("/Account/SignIn", "/Account/SignIn", ("Input.Email", email), ("Input.Password", DemoSeeder.Password));
        Assert.Equal("/Account/Authenticator", Browser.Location(password));
        var key = Browser.AuthenticatorKey(await browser.GetPageAsync("/Account/Authenticator"));
        var bad = await browser.SubmitAsync("/Account/Authenticator", "/Account/Authenticator", ("Code", OtherCode(Totp.Now(key))));
        Assert.Equal(HttpStatusCode.OK, bad.StatusCode);
        var good = await browser.SubmitAsync("/Account/Authenticator", "/Account/Authenticator", ("Code", Totp.Now(key)));
        Assert.Equal("/Clients", Browser.Location(good));

        var entries = await EntriesAsync(id);
        Assert.Equal(
            [
                (AuditActions.SignInSuccess, "mfa=none;next=enrol"),
                (AuditActions.TwoFactorKeyReset, "method=totp"),
                (AuditActions.TwoFactorEnableFailure, "method=totp"),
                (AuditActions.TwoFactorEnable, "method=totp"),
            ],
            entries.Select(e => (e.Action, e.Detail))
        );
        AssertIdentifiersOnly(entries, id, email, key);
        await AssertChainIntactAsync();
    }

    /// <summary>Every entry the app wrote in this practice so far (sign-ins, views, downloads, feeds, determinations): identifiers and codes only.</summary>
    [Fact]
    public async Task EveryEntryInThePractice_HoldsIdentifiersAndCodesOnly()
    {
        await using var db = app.NewDbContext();
        var all = await db.AuditEntries.AsNoTracking().Where(e => e.PracticeId == DemoSeeder.PracticeId).ToListAsync(TestContext.Current.CancellationToken);
        Assert.NotEmpty(all);
        Assert.All(
            all,
            e =>
            {
                Assert.Matches(ActionPattern(), e.Action);
                Assert.Matches(CodePattern(), e.TargetType);
                Assert.Matches(IdPattern(), e.TargetId);
                Assert.True(e.Detail is null || DetailPattern().IsMatch(e.Detail), $"{e.Action}: detail '{e.Detail}' is not key=code pairs");
            }
        );
    }

    private static void AssertIdentifiersOnly(List<AuditEntry> entries, Guid userId, params string[] secrets)
    {
        Assert.All(
            entries,
            e =>
            {
                Assert.Equal(userId, e.ActorUserId);
                Assert.Equal(("user", userId.ToString("N")), (e.TargetType, e.TargetId));
                Assert.Null(e.ClientId);
                Assert.Matches(DetailPattern(), e.Detail!);
                foreach (var secret in secrets.Append(DemoSeeder.Password))
                {
                    Assert.DoesNotContain(secret, e.Detail!, StringComparison.OrdinalIgnoreCase);
                }
            }
        );
    }

    private async Task<(Guid Id, string Email)> NewUserAsync(bool twoFactor)
    {
        var email = $"audit-{Guid.NewGuid():N}@demo.confide.test";
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<User>>();
        var user = new User { PracticeId = DemoSeeder.PracticeId, UserName = email, Email = email, DisplayName = "Audit Test" };
        Assert.True((await users.CreateAsync(user, DemoSeeder.Password)).Succeeded);
        Assert.True((await users.AddToRoleAsync(user, Roles.Clinician)).Succeeded);
        if (twoFactor)
        {
            var store = (IUserAuthenticatorKeyStore<User>)scope.ServiceProvider.GetRequiredService<IUserStore<User>>();
            await store.SetAuthenticatorKeyAsync(user, Secret, TestContext.Current.CancellationToken);
            Assert.True((await users.SetTwoFactorEnabledAsync(user, true)).Succeeded);
        }
        return (user.Id, email);
    }

    private async Task<List<AuditEntry>> EntriesAsync(Guid userId)
    {
        await using var db = app.NewDbContext();
        return await db.AuditEntries.AsNoTracking()
            .Where(e => e.ActorUserId == userId)
            .OrderBy(e => e.Sequence)
            .ToListAsync(TestContext.Current.CancellationToken);
    }

    private async Task<int> CountAsync()
    {
        await using var db = app.NewDbContext();
        return await db.AuditEntries.CountAsync(TestContext.Current.CancellationToken);
    }

    private async Task AssertChainIntactAsync()
    {
        await using var db = app.NewDbContext();
        var chain = await db.AuditEntries.AsNoTracking()
            .Where(e => e.PracticeId == DemoSeeder.PracticeId)
            .OrderBy(e => e.Sequence)
            .ToListAsync(TestContext.Current.CancellationToken);
        Assert.True(CoreChain.Verify(chain.Select(e => e.ToRecord())));
    }

    private static string OtherCode(string code) => ((int.Parse(code, System.Globalization.CultureInfo.InvariantCulture) + 500_000) % 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);

    [GeneratedRegex("^[a-z0-9]+([.-][a-z0-9]+)*$")]
    private static partial Regex ActionPattern();

    [GeneratedRegex("^[a-z0-9-]+$")]
    private static partial Regex CodePattern();

    [GeneratedRegex("^[0-9a-f]{32}$")]
    private static partial Regex IdPattern();

    // key=value pairs separated by ';' (or the bare code "demo"); values are identifiers, numbers and codes.
    [GeneratedRegex("^(demo|[a-z-]+=[A-Za-z0-9+._@-]*)(;(demo|[a-z-]+=[A-Za-z0-9+._@-]*))*$")]
    private static partial Regex DetailPattern();
}

public sealed class SqliteAuditCoverageTests(SqliteDemoApp app) : AuditCoverageTests<SqliteDemoApp>(app);

public sealed class PostgresAuditCoverageTests(PostgresDemoApp app) : AuditCoverageTests<PostgresDemoApp>(app);
