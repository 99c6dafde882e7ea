using System.Net;
using Confide.Data.Audit;
using Confide.Data.Crypto;
using Confide.Data.Entities;
using Confide.Web.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Confide.Web.Tests;

/// <summary>Issue 10 item 5 on the demo practice: who may be assigned a client, the document editor's view audit, and authenticator keys a database writer cannot plant or reopen.</summary>
public abstract class AccountTests<TApp>(TApp app) : IClassFixture<TApp>
    where TApp : AppFactory
{
    private static DemoSeeder.DemoAccount Owner => DemoSeeder.Accounts[0];
    private static DemoSeeder.DemoAccount Sam => DemoSeeder.Accounts[1];
    private static DemoSeeder.DemoAccount Jordan => DemoSeeder.Accounts[3];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Staff_CannotAssignThemselves_AndAnAssigneeMustBeAClinician()
    {
        using var jordan = await app.SignedInAsync(Jordan);
        var jordanId = await app.UserIdAsync(Jordan);
        var samId = await app.UserIdAsync(Sam);
        await using (var db = app.NewDbContext())
        {
            var before = await db.Clients.CountAsync(Ct);
            // Staff naming themselves as the clinician: a field error, nothing stored.
            var self = await jordan.SubmitAsync("/Clients/Create", "/Clients/Create", ("Input.Name", "Self Assigned (fictional)"), ("Input.DateOfBirth", "1990-05-06"), ("Input.ClinicianId", jordanId.ToString()));
            Assert.Equal(HttpStatusCode.OK, self.StatusCode);
            Assert.Contains("Choose a clinician of this practice.", await self.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
            Assert.Equal(before, await db.Clients.CountAsync(Ct));
            Assert.DoesNotContain(await db.ClientAssignments.Select(a => a.ClinicianId).ToListAsync(Ct), id => id == jordanId);
        }
        // A clinician of the practice: the control, stored and assigned.
        var created = await jordan.SubmitAsync("/Clients/Create", "/Clients/Create", ("Input.Name", "Assigned To Sam (fictional)"), ("Input.DateOfBirth", "1990-05-06"), ("Input.ClinicianId", samId.ToString()));
        var clientPath = Browser.Location(created);
        Assert.StartsWith("/Clients/", clientPath, StringComparison.Ordinal);
        var clientId = Guid.Parse(clientPath!["/Clients/".Length..]);
        // On the client's page, assigning staff (themselves) is refused too.
        var assign = await jordan.SubmitAsync($"{clientPath}?reason=records-request", $"{clientPath}?handler=Assign&reason=records-request&clinicianId={jordanId}");
        Assert.Equal(HttpStatusCode.BadRequest, assign.StatusCode);
        await using (var db = app.NewDbContext())
        {
            Assert.Equal([samId], await db.ClientAssignments.Where(a => a.ClientId == clientId).Select(a => a.ClinicianId).ToListAsync(Ct));
        }
    }

    [Fact]
    public async Task OpeningTheDocumentEditor_WritesAViewEntry()
    {
        using var owner = await app.SignedInAsync(Owner);
        var ownerId = await app.UserIdAsync(Owner);
        List<Guid> requests;
        await using (var db = app.NewDbContext())
        {
            requests = await db.Requests.Where(r => r.PracticeId == DemoSeeder.PracticeId).Select(r => r.Id).ToListAsync(Ct);
        }
        Guid? opened = null;
        foreach (var id in requests)
        {
            var response = await owner.GetAsync($"/Requests/{id}/Document");
            if (response.StatusCode == HttpStatusCode.OK && (await response.Content.ReadAsStringAsync(Ct)).Contains("<textarea", StringComparison.Ordinal))
            {
                opened = id;
                break;
            }
        }
        Assert.NotNull(opened);
        await using (var db = app.NewDbContext())
        {
            var entries = await db.AuditEntries.AsNoTracking().Where(e => e.Action == AuditActions.RequestView && e.ActorUserId == ownerId).Select(e => e.Detail!).ToListAsync(Ct);
            var entry = Assert.Single(entries, d => d.Contains("view=document-editor", StringComparison.Ordinal));
            Assert.Matches("^view=document-editor;determination=[0-9a-f]{32};kind=[a-z-]+", entry);
        }
    }

    private const string Password = "a passphrase for account tests";
    private const string Secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
    private const string AttackerSecret = "KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU";

    /// <summary>A clinician with a password and an enrolled authenticator (<see cref="Secret"/>), made through Identity as the app does.</summary>
    private async Task<(string Email, Guid Id)> EnrolledAsync(string name)
    {
        var email = $"{name}@demo.confide.test";
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<User>>();
        var user = new User { PracticeId = DemoSeeder.PracticeId, UserName = email, Email = email, DisplayName = name };
        Assert.True((await users.CreateAsync(user, Password)).Succeeded);
        Assert.True((await users.AddToRoleAsync(user, Roles.Clinician)).Succeeded);
        await ((IUserAuthenticatorKeyStore<User>)scope.ServiceProvider.GetRequiredService<IUserStore<User>>()).SetAuthenticatorKeyAsync(user, Secret, Ct);
        Assert.True((await users.SetTwoFactorEnabledAsync(user, true)).Succeeded);
        return (email, user.Id);
    }

    /// <summary>Password, then (when asked) a code from <paramref name="secret"/>: true when client records then open.</summary>
    private async Task<bool> SignInWithAsync(string email, string secret)
    {
        using var browser = new Browser(app);
        var password = Browser.Location(await browser.SubmitAsync("/Account/SignIn", "/Account/SignIn", ("Input.Email", email), ("Input.Password", Password)));
        if (password == "/Account/SignInCode")
        {
            await browser.SubmitAsync("/Account/SignInCode", "/Account/SignInCode", ("Code", Totp.Now(secret)));
        }
        return (await browser.GetAsync("/Clients")).StatusCode == HttpStatusCode.OK;
    }

    private async Task SetStoredKeyAsync(Guid userId, string value)
    {
        await using var db = app.NewDbContext();
        var token = await db.UserTokens.SingleAsync(t => t.UserId == userId && t.Name == AuthenticatorSecrets.TokenName, Ct);
        token.Value = value;
        await db.SaveChangesAsync(Ct);
    }

    [Fact]
    public async Task PlainTextAuthenticatorKey_WrittenInTheDatabase_IsRefused()
    {
        var (email, id) = await EnrolledAsync("planted-key");
        Assert.True(await SignInWithAsync(email, Secret)); // the control: the enrolled key works

        // Someone who can write the database (and knows the password) replaces the sealed key with one they know.
        await SetStoredKeyAsync(id, AttackerSecret);
        Assert.False(await SignInWithAsync(email, AttackerSecret));
    }

    [Fact]
    public async Task PlainTextKeys_FromBeforeSealing_AreSealedOnce_ThenRefused()
    {
        var (email, id) = await EnrolledAsync("legacy-key");
        await SetStoredKeyAsync(id, Secret); // as a database from before sealing holds it
        var marker = StartupTasks.AuthenticatorKeysSealedMarker(app.Services.GetRequiredService<IConfiguration>());
        Assert.True(File.Exists(marker), "the start did not record that keys are sealed");
        File.Delete(marker); // as before the first start of this version
        var master = app.Services.GetRequiredService<MasterKey>();
        await using (var db = app.NewDbContext())
        {
            // Every plain-text key in the database is sealed: this one, and any another test of this app planted.
            var plain = (await db.UserTokens.AsNoTracking().Where(t => t.Name == AuthenticatorSecrets.TokenName).Select(t => t.Value!).ToListAsync(Ct)).Count(v => !AuthenticatorSecrets.IsSealed(v));
            Assert.True(plain >= 1);
            Assert.Equal(plain, await ConfideUserStore.SealPlaintextKeysAsync(db, master, marker, Ct));
            Assert.True(AuthenticatorSecrets.IsSealed(await db.UserTokens.AsNoTracking().Where(t => t.UserId == id && t.Name == AuthenticatorSecrets.TokenName).Select(t => t.Value!).SingleAsync(Ct)));
        }
        Assert.True(await SignInWithAsync(email, Secret));

        // Once done, a start never seals a plain-text key again: one written later stays refused.
        await SetStoredKeyAsync(id, AttackerSecret);
        await using (var db = app.NewDbContext())
        {
            Assert.Equal(0, await ConfideUserStore.SealPlaintextKeysAsync(db, master, marker, Ct));
        }
        Assert.False(await SignInWithAsync(email, AttackerSecret));
    }

    [Fact]
    public async Task TwoFactorSwitchedOffInTheDatabase_DoesNotReopenEnrolment_OrShowTheSecret()
    {
        var (email, id) = await EnrolledAsync("switched-off");
        await using (var db = app.NewDbContext())
        {
            var user = await db.Users.SingleAsync(u => u.Id == id, Ct);
            user.TwoFactorEnabled = false;
            await db.SaveChangesAsync(Ct);
        }
        // First wall: the account seal covers the flag, so the password step itself is refused.
        using var browser = new Browser(app);
        var password = await browser.SubmitAsync("/Account/SignIn", "/Account/SignIn", ("Input.Email", email), ("Input.Password", Password));
        Assert.Equal(HttpStatusCode.OK, password.StatusCode);
        Assert.Contains(AccountRules.SignInFailed, WebUtility.HtmlDecode(await password.Content.ReadAsStringAsync(Ct)), StringComparison.Ordinal);
        // Second wall: the sealed key itself says it was enrolled, so enrolment would stay shut even then.
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var user = await scope.ServiceProvider.GetRequiredService<UserManager<User>>().FindByIdAsync(id.ToString());
            Assert.True(await ((ConfideUserStore)scope.ServiceProvider.GetRequiredService<IUserStore<User>>()).WasEnrolledAsync(user!, Ct));
        }
        await using (var db = app.NewDbContext())
        {
            Assert.False(await db.Users.Where(u => u.Id == id).Select(u => u.TwoFactorEnabled).SingleAsync(Ct));
        }
        Assert.Contains("/Account/SignIn", Browser.Location(await browser.GetAsync("/Clients")), StringComparison.Ordinal);
    }
}

public sealed class SqliteAccountTests(SqliteDemoApp app) : AccountTests<SqliteDemoApp>(app);

public sealed class PostgresAccountTests(PostgresDemoApp app) : AccountTests<PostgresDemoApp>(app);

/// <summary>
/// The account seal (issue 10 item 5): someone who can write the database, but has no master key, edits
/// an account's row; the sign-in is refused and existing sessions end. Real SQLite and PostgreSQL rows.
/// </summary>
public abstract class AccountSealTests<TApp>(TApp app) : IClassFixture<TApp>
    where TApp : AppFactory
{
    private const string Password = "a passphrase for seal tests";
    private const string AttackerPassword = "the attacker's own passphrase";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A staff account with a password and no authenticator: a right password leads to enrolment.</summary>
    private async Task<(string Email, Guid Id)> StaffAsync(string name)
    {
        var email = $"{name}@demo.confide.test";
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<User>>();
        var user = new User { PracticeId = DemoSeeder.PracticeId, UserName = email, Email = email, DisplayName = name };
        Assert.True((await users.CreateAsync(user, Password)).Succeeded);
        Assert.True((await users.AddToRoleAsync(user, Roles.Staff)).Succeeded);
        return (email, user.Id);
    }

    private async Task<string?> PasswordStepAsync(string email, string password)
    {
        using var browser = new Browser(app);
        var response = await browser.SubmitAsync("/Account/SignIn", "/Account/SignIn", ("Input.Email", email), ("Input.Password", password));
        return response.StatusCode == HttpStatusCode.OK
            ? (System.Net.WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync(Ct)).Contains(AccountRules.SignInFailed, StringComparison.Ordinal) ? "refused" : "page")
            : Browser.Location(response);
    }

    private async Task EditAsync(Guid userId, Func<ConfideDbContextEdit, Task> edit)
    {
        await using var db = app.NewDbContext();
        await edit(new ConfideDbContextEdit(db, userId));
        await db.SaveChangesAsync(Ct);
    }

    public sealed record ConfideDbContextEdit(Confide.Data.ConfideDbContext Db, Guid UserId)
    {
        public Task<User> UserAsync() => Db.Users.SingleAsync(u => u.Id == UserId, TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task PasswordHash_ReplacedInTheDatabase_TheAttackersPasswordIsRefused_AndAFailedTryDoesNotResealIt()
    {
        var (email, id) = await StaffAsync("seal-password");
        Assert.Equal("/Account/Authenticator", await PasswordStepAsync(email, Password)); // the control
        await EditAsync(id, async e => (await e.UserAsync()).PasswordHash = new PasswordHasher<User>().HashPassword(new User(), AttackerPassword));
        Assert.Equal("refused", await PasswordStepAsync(email, AttackerPassword));
        Assert.Equal("refused", await PasswordStepAsync(email, "a wrong password, counted")); // saved by Identity: must not re-seal the edited row
        Assert.Equal("refused", await PasswordStepAsync(email, AttackerPassword));
    }

    [Fact]
    public async Task RolesPracticeOrTwoFactor_EditedInTheDatabase_SignInRefused()
    {
        var (roleEmail, roleId) = await StaffAsync("seal-role");
        await EditAsync(roleId, async e =>
        {
            var owner = await e.Db.Roles.SingleAsync(r => r.Name == Roles.Owner, Ct);
            e.Db.UserRoles.Add(new IdentityUserRole<Guid> { UserId = e.UserId, RoleId = owner.Id });
        });
        Assert.Equal("refused", await PasswordStepAsync(roleEmail, Password));

        var (stampEmail, stampId) = await StaffAsync("seal-stamp");
        await EditAsync(stampId, async e => (await e.UserAsync()).SecurityStamp = "ATTACKERCHOSENSTAMP");
        Assert.Equal("refused", await PasswordStepAsync(stampEmail, Password));

        // Two-factor switched on and off through the app re-seals; switched off in the database it does not.
        var owner = DemoSeeder.Accounts[0];
        var ownerId = await app.UserIdAsync(owner);
        await EditAsync(ownerId, async e => (await e.UserAsync()).TwoFactorEnabled = false);
        Assert.Equal("refused", await PasswordStepAsync(owner.Email, DemoSeeder.Password));
        await EditAsync(ownerId, async e => (await e.UserAsync()).TwoFactorEnabled = true); // put back: the seal holds again
        Assert.Equal("/Account/SignInCode", await PasswordStepAsync(owner.Email, DemoSeeder.Password));
    }

    [Fact]
    public async Task AnEditedAccount_ItsOpenSessionEnds_WithinAMinute()
    {
        var jordan = DemoSeeder.Accounts[3];
        using var session = await app.SignedInAsync(jordan);
        Assert.Equal(HttpStatusCode.OK, (await session.GetAsync("/Clients")).StatusCode);
        var id = await app.UserIdAsync(jordan);
        await EditAsync(id, async e =>
        {
            var owner = await e.Db.Roles.SingleAsync(r => r.Name == Roles.Owner, Ct);
            e.Db.UserRoles.Add(new IdentityUserRole<Guid> { UserId = e.UserId, RoleId = owner.Id });
        });
        app.Clock!.Advance(TimeSpan.FromMinutes(2));
        Assert.Contains("/Account/SignIn", Browser.Location(await session.GetAsync("/Clients")), StringComparison.Ordinal);
    }
}

public sealed class SqliteAccountSealTests(SqliteClockedDemoApp app) : AccountSealTests<SqliteClockedDemoApp>(app);

public sealed class PostgresAccountSealTests(PostgresClockedDemoApp app) : AccountSealTests<PostgresClockedDemoApp>(app);
