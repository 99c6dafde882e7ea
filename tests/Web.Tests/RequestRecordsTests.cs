using Confide.Data;
using Confide.Data.Access;
using Confide.Data.Crypto;
using Confide.Web.Features.Requests;
using Confide.Web.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Confide.Web.Tests;

/// <summary>
/// <see cref="RequestRecords"/>, the one read path for stored requests (issue 11 item 2): it gives back a
/// demo request's document and determination as stored, and it is where a stored document that no
/// longer reads fails, with an <see cref="InvalidDataException"/> that names the request and nothing
/// of its content.
/// </summary>
public abstract class RequestRecordsTests<TApp>(TApp app) : IClassFixture<TApp>
    where TApp : AppFactory
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ReadAsync_GivesTheStoredRequestAndDetermination_AndThrowsOnABrokenStoredDocument()
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ConfideDbContext>();
        db.Scope.Use(DemoSeeder.PracticeId);
        var records = scope.ServiceProvider.GetRequiredService<RequestRecords>();
        var owner = await db.Users.AsNoTracking().SingleAsync(u => u.Email == DemoSeeder.Accounts[0].Email, Ct);
        var practice = await db.Practices.AsNoTracking().SingleAsync(p => p.Id == DemoSeeder.PracticeId, Ct);
        var request = await db.Requests.AsNoTracking().Where(r => r.PracticeId == DemoSeeder.PracticeId).OrderBy(r => r.Id).FirstAsync(Ct);
        var reader = new Reader(owner.Id, DemoSeeder.PracticeId, IsOwner: true, IsClinician: true, IsStaff: false);
        var grant = (await scope.ServiceProvider.GetRequiredService<ClientContent>().OpenAsync(reader, request.ClientId, ContentPurpose.Record, null, Ct)).Grant!;

        var stored = await records.ReadCurrentAsync(grant, request.Id, Ct);
        var recorded = await records.ReadAsync(grant, request, Ct);

        Assert.Equal(request.Id, stored.Row.RequestId);
        Assert.Equal(request.Outcome, stored.Determination.Outcome);
        Assert.Equal(stored.Row.ProfileVersion, stored.Determination.Profile.Version);
        Assert.Equal(practice.Jurisdiction, stored.Request.Jurisdiction);
        Assert.Equal(practice.Jurisdiction, recorded.Request.Jurisdiction);
        Assert.Equal(recorded.Request.Instrument, stored.Request.Instrument);

        // Broken stored documents (a bug, a bad migration): written as the database's owner, read through the one path.
        var cipher = scope.ServiceProvider.GetRequiredService<RecordCipher>();
        await using (var admin = app.NewDbContext())
        {
            var determinationRow = await admin.RequestDeterminations.FirstAsync(d => d.Id == stored.Row.Id, Ct);
            determinationRow.DeterminationCipher = await cipher.EncryptAsync(EncryptedFields.Determination(DemoSeeder.PracticeId, determinationRow), """{"outcome":"no-such-outcome"}""", Ct);
            var requestRow = await admin.Requests.FirstAsync(r => r.Id == request.Id, Ct);
            requestRow.DocumentCipher = await cipher.EncryptAsync(EncryptedFields.RequestDocument(requestRow), """{"jurisdiction":"US-CA"}""", Ct);
            await admin.SaveChangesAsync(Ct);
        }
        db.ChangeTracker.Clear();
        var brokenDetermination = await db.RequestDeterminations.AsNoTracking().FirstAsync(d => d.Id == stored.Row.Id, Ct);
        var brokenRequest = await db.Requests.AsNoTracking().FirstAsync(r => r.Id == request.Id, Ct);

        await Assert.ThrowsAsync<InvalidDataException>(() => records.ReadAsync(grant, brokenDetermination, Ct));
        var error = await Assert.ThrowsAsync<InvalidDataException>(() => records.ReadAsync(grant, brokenRequest, Ct));
        Assert.Equal($"request {request.Id:N}: the stored document no longer parses", error.Message);
    }
}

public sealed class SqliteRequestRecordsTests(SqliteDemoApp app) : RequestRecordsTests<SqliteDemoApp>(app);

public sealed class PostgresRequestRecordsTests(PostgresDemoApp app) : RequestRecordsTests<PostgresDemoApp>(app);
