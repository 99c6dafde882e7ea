using Confide.Data.Audit;
using Confide.Web.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Confide.Web.Tests;

/// <summary>
/// The web app's checkpoint service as the app registers it: one look signs and stores a checkpoint
/// of the demo practice's chain (with the installation's key file), a second look finds none due; the
/// stored checkpoint verifies and the chain holds it. Bad settings stop the app naming the key.
/// </summary>
public abstract class CheckpointServiceTests<TApp>(TApp app) : IClassFixture<TApp>
    where TApp : AppFactory
{
    [Fact]
    public async Task RunOnce_StoresASignedCheckpointOfTheHead_ThenNoneIsDue()
    {
        var ct = TestContext.Current.CancellationToken;
        var service = app.Services.GetRequiredService<AuditCheckpointService>();

        await service.RunOnceAsync(ct);
        Assert.Equal(0, await service.RunOnceAsync(ct));

        await using var db = app.NewDbContext();
        var head = await db.AuditEntries.Where(e => e.PracticeId == DemoSeeder.PracticeId).MaxAsync(e => e.Sequence, ct);
        var stored = await db.AuditCheckpoints.AsNoTracking().Where(c => c.PracticeId == DemoSeeder.PracticeId).ToListAsync(ct);
        var latest = stored.OrderBy(c => c.EntryCount).Last();
        Assert.Equal(head, latest.EntryCount);
        var key = app.Services.GetRequiredService<AuditSigningKey>();
        Assert.True(File.Exists(key.Path));
        Assert.All(stored, c => Assert.Null(AuditCheckpoints.Problem(c, key.PublicKey)));
        var verification = await AuditCheckpoints.VerifyAsync(db, DemoSeeder.PracticeId, key.PublicKey, null, ct);
        Assert.True(verification.Intact);
        Assert.Equal(stored.Count, verification.StoredChecked);
    }

    [Theory]
    [InlineData(AuditCheckpointSettings.IntervalKey, "soon")]
    [InlineData(AuditCheckpointSettings.IntervalKey, "-00:01:00")]
    [InlineData(AuditCheckpointSettings.EveryEntriesKey, "0")]
    public void Settings_Bad_NameTheKey(string key, string value)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [key] = value }).Build();

        var e = Assert.Throws<InvalidOperationException>(() => AuditCheckpointSettings.From(configuration));

        Assert.Contains(key, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Settings_Defaults_AnHourOr1000Entries_LookingEveryMinute()
    {
        var settings = AuditCheckpointSettings.From(new ConfigurationBuilder().Build());

        Assert.Equal((TimeSpan.FromHours(1), 1000L, TimeSpan.FromMinutes(1)), (settings.Interval, settings.EveryEntries, settings.Poll));
    }
}

public sealed class SqliteCheckpointServiceTests(SqliteDemoApp app) : CheckpointServiceTests<SqliteDemoApp>(app);

public sealed class PostgresCheckpointServiceTests(PostgresDemoApp app) : CheckpointServiceTests<PostgresDemoApp>(app);
