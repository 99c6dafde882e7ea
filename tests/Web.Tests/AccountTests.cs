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
            Assert.Equal(1, await ConfideUserStore.SealPlaintextKeysAsync(db, master, marker, Ct));
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
        using var browser = new Browser(app);
        Assert.Equal("/Account/Authenticator", Browser.Location(await browser.SubmitAsync("/Account/SignIn", "/Account/SignIn", ("Input.Email", email), ("Input.Password", Password))));
        var page = await browser.GetPageAsync("/Account/Authenticator");
        Assert.Contains("id=\"owner-reset\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("authenticator-key", page, StringComparison.Ordinal);
        Assert.DoesNotContain(AccountRules.FormatKey(Secret), page, StringComparison.Ordinal);
        // Nor can a new authenticator be turned on, even with a right code.
        var token = Browser.Token(await browser.GetPageAsync("/Account/SignOut"));
        var posted = await browser.PostAsync("/Account/Authenticator", ("Code", Totp.Now(Secret)), ("__RequestVerificationToken", token));
        Assert.Equal("/Account/Authenticator", Browser.Location(posted));
        await using (var db = app.NewDbContext())
        {
            Assert.False(await db.Users.Where(u => u.Id == id).Select(u => u.TwoFactorEnabled).SingleAsync(Ct));
        }
        Assert.Contains("/Account/TwoFactorRequired", Browser.Location(await browser.GetAsync("/Clients")), StringComparison.Ordinal);
    }
}

public sealed class SqliteAccountTests(SqliteDemoApp app) : AccountTests<SqliteDemoApp>(app);

public sealed class PostgresAccountTests(PostgresDemoApp app) : AccountTests<PostgresDemoApp>(app);
