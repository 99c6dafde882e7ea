using System.Net;
using Confide.Data.Audit;
using Confide.Web.Hosting;
using Microsoft.EntityFrameworkCore;

namespace Confide.Web.Tests;

/// <summary>Issue 10 item 5 on the demo practice: who may be assigned a client, and the document editor's view audit.</summary>
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
}

public sealed class SqliteAccountTests(SqliteDemoApp app) : AccountTests<SqliteDemoApp>(app);

public sealed class PostgresAccountTests(PostgresDemoApp app) : AccountTests<PostgresDemoApp>(app);
