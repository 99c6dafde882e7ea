using Confide.Core.Triage;
using Confide.Data.Entities;
using Confide.Web.Hosting;
using Microsoft.EntityFrameworkCore;

namespace Confide.Web.Tests;

public abstract class DemoTests<TApp>(TApp app) : IClassFixture<TApp>
    where TApp : AppFactory
{
    [Fact]
    public async Task Demo_SeededTwice_AddsNothingTheSecondTime_AndPrintsTheAccounts()
    {
        var first = new StringWriter();
        await DemoAccess.SeedAsync(app, first);
        var rows = await DemoAccess.CountRowsAsync(app);
        var second = new StringWriter();
        await DemoAccess.SeedAsync(app, second);

        Assert.True(rows > 20, $"only {rows} rows seeded");
        Assert.Equal(rows, await DemoAccess.CountRowsAsync(app));
        Assert.Contains("nothing added", second.ToString(), StringComparison.Ordinal);
        foreach (var account in DemoSeeder.Accounts)
        {
            Assert.Contains(account.Email, first.ToString(), StringComparison.Ordinal);
            Assert.Contains(account.TotpSecret, first.ToString(), StringComparison.Ordinal);
            Assert.Contains(account.TotpSecret, second.ToString(), StringComparison.Ordinal);
        }
        Assert.Contains(DemoSeeder.Password, first.ToString(), StringComparison.Ordinal);

        // A request in every outcome, each with its determination, once.
        await using var db = app.NewDbContext();
        var outcomes = await db.Requests.Where(r => r.PracticeId == DemoSeeder.PracticeId).Select(r => r.Outcome).ToListAsync(TestContext.Current.CancellationToken);
        Assert.Equal(Enum.GetValues<Outcome>().Order(), outcomes.Order());
        var determinations = await db.RequestDeterminations.Select(d => d.Outcome).ToListAsync(TestContext.Current.CancellationToken);
        Assert.Equal(outcomes.Order(), determinations.Order());
        Assert.Contains(RequestStatus.Closed, await db.Requests.Select(r => r.Status).Distinct().ToListAsync(TestContext.Current.CancellationToken));
    }
}

public sealed class SqliteDemoTests(SqliteApp app) : DemoTests<SqliteApp>(app);

public sealed class PostgresDemoTests(PostgresApp app) : DemoTests<PostgresApp>(app);

public sealed class TotpTests
{
    [Fact]
    public void At_Rfc6238Vector_MatchesItsLastSixDigits()
    {
        // RFC 6238 appendix B, SHA-1, T = 59 s: 94287082; the secret is ASCII "12345678901234567890".
        Assert.Equal("287082", Totp.At("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", DateTimeOffset.FromUnixTimeSeconds(59)));
    }
}
