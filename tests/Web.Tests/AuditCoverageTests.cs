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

    /// <summary>
    /// Each view, change, determination, download, export and calendar feed read writes its own entry,
    /// naming the actor, the thing acted on and the client by identifier, with codes only.
    /// </summary>
    [Fact]
    public async Task EachAction_WritesItsEntry_WithIdentifiersOnly()
    {
        var ct = TestContext.Current.CancellationToken;
        var sam = DemoSeeder.Accounts[1];
        using var browser = await app.SignedInAsync(sam);
        var samId = await app.UserIdAsync(sam);
        var pdf = System.Text.Encoding.ASCII.GetBytes("%PDF-1.4\n% fictional\n%%EOF\n");
        var steps = new List<(string Action, Guid Target, Guid? Client)>();

        var clientPath = Browser.Location(await browser.SubmitAsync("/Clients/Create", "/Clients/Create", ("Input.Name", "Coverage Client (fictional)"), ("Input.DateOfBirth", "1990-05-06")))!;
        var clientId = Guid.Parse(clientPath["/Clients/".Length..]);
        steps.Add((AuditActions.ClientCreate, clientId, clientId));
        await browser.GetPageAsync(clientPath);
        steps.Add((AuditActions.ClientView, clientId, clientId));
        var recordPath = Browser.Location(await browser.SubmitAsync(clientPath, $"{clientPath}?handler=Record", ("item.Category", "progress-notes"), ("item.Date", "2026-06-01"), ("item.Content", "coverage")))!;
        var itemId = Guid.Parse(recordPath[(recordPath.LastIndexOf('/') + 1)..]);
        steps.Add((AuditActions.RecordCreate, itemId, clientId));
        await browser.GetPageAsync(recordPath);
        steps.Add((AuditActions.RecordView, itemId, clientId));
        Assert.Equal(System.Net.HttpStatusCode.Redirect, (await BadInputTests<TApp>.UploadAsync(browser, recordPath, pdf, "application/pdf", "c.pdf")).StatusCode);
        Guid attachmentId;
        await using (var db = app.NewDbContext())
        {
            attachmentId = await db.Attachments.Where(a => a.RecordItemId == itemId).Select(a => a.Id).SingleAsync(ct);
        }
        steps.Add((AuditActions.AttachmentCreate, attachmentId, clientId));
        Assert.Equal(System.Net.HttpStatusCode.OK, (await browser.GetAsync($"{recordPath}?handler=Download&attachmentId={attachmentId}")).StatusCode);
        steps.Add((AuditActions.AttachmentDownload, attachmentId, clientId));

        var intake = $"/Requests/Intake?clientId={clientId}";
        var requestId = RequestTests<TApp>.RequestIdFrom(await browser.SubmitMultipartAsync(intake, intake, RequestTests<TApp>.Subpoena(samId), ("Upload", "s.pdf", "application/pdf", pdf)));
        steps.Add((AuditActions.RequestCreate, requestId, clientId));
        steps.Add((AuditActions.RequestTriage, requestId, clientId)); // the first determination
        var path = $"/Requests/{requestId}";
        await browser.GetPageAsync(path);
        steps.Add((AuditActions.RequestView, requestId, clientId));
        Guid fileId;
        string version;
        await using (var db = app.NewDbContext())
        {
            fileId = await db.RequestFiles.Where(f => f.RequestId == requestId).Select(f => f.Id).SingleAsync(ct);
            version = (await db.Requests.Where(r => r.Id == requestId).Select(r => r.Version).SingleAsync(ct)).ToString();
        }
        steps.Add((AuditActions.RequestFileCreate, fileId, clientId));
        Assert.Equal(System.Net.HttpStatusCode.OK, (await browser.GetAsync($"{path}?handler=File&fileId={fileId}")).StatusCode);
        steps.Add((AuditActions.RequestFileDownload, fileId, clientId));
        Assert.Equal(System.Net.HttpStatusCode.OK, (await browser.GetAsync($"{path}?handler=Document&kind=privilege-assertion-letter&format=docx")).StatusCode);
        steps.Add((AuditActions.DocumentExport, requestId, clientId));
        Assert.Equal(System.Net.HttpStatusCode.Redirect, (await browser.SubmitAsync(path, $"{path}?handler=Retriage", ("Version", version))).StatusCode);
        steps.Add((AuditActions.RequestTriage, requestId, clientId));
        Assert.Equal(System.Net.HttpStatusCode.Redirect, (await browser.SubmitAsync(path, $"{path}?handler=Note", ("text", "coverage note"))).StatusCode);
        steps.Add((AuditActions.RequestNote, requestId, clientId));

        var calendar = await browser.SubmitAsync("/Calendar", "/Calendar?handler=Create");
        var token = FeedToken().Match(await calendar.Content.ReadAsStringAsync(ct)).Groups[1].Value;
        steps.Add((AuditActions.CalendarCreate, samId, null));
        using var anonymous = new Browser(app);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await anonymous.GetAsync($"/calendar/feed.ics?token={token}")).StatusCode);
        steps.Add((AuditActions.CalendarRead, samId, null));

        await using var check = app.NewDbContext();
        var entries = await check.AuditEntries.AsNoTracking().Where(e => e.ActorUserId == samId).OrderBy(e => e.Sequence).ToListAsync(ct);
        foreach (var (action, target, client) in steps)
        {
            var entry = entries.FirstOrDefault(e => e.Action == action && e.TargetId == target.ToString("N"));
            Assert.True(entry is not null, $"no {action} entry for {target:N}");
            Assert.Equal(client, entry.ClientId);
            Assert.True(entry.Detail is null || DetailPattern().IsMatch(entry.Detail), $"{action}: detail '{entry.Detail}' is not key=code pairs");
        }
        Assert.Equal(2, entries.Count(e => e.Action == AuditActions.RequestTriage && e.TargetId == requestId.ToString("N")));
        Assert.DoesNotContain(entries, e => (e.Detail ?? "").Contains("coverage", StringComparison.OrdinalIgnoreCase) || (e.Detail ?? "").Contains("Coverage Client", StringComparison.Ordinal));
        await AssertChainIntactAsync();
    }

    [GeneratedRegex("id=\"feed-url\">http://[^/]+/calendar/feed\\.ics\\?token=([A-Za-z0-9_-]{43})<")]
    private static partial Regex FeedToken();

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

    // key=value pairs or bare codes (demo, new), separated by ";"; values are identifiers, numbers and codes.
    [GeneratedRegex("^([a-z-]+|[a-z-]+=[A-Za-z0-9+._@-]*)(;([a-z-]+|[a-z-]+=[A-Za-z0-9+._@-]*))*$")]
    private static partial Regex DetailPattern();
}

public sealed class SqliteAuditCoverageTests(SqliteDemoApp app) : AuditCoverageTests<SqliteDemoApp>(app);

public sealed class PostgresAuditCoverageTests(PostgresDemoApp app) : AuditCoverageTests<PostgresDemoApp>(app);
