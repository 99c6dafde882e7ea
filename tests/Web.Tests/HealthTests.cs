using System.Net;

namespace Confide.Web.Tests;

public abstract class HealthTests<TApp, TDown>(TApp app) : IClassFixture<TApp>
    where TApp : AppFactory
    where TDown : AppFactory, new()
{
    [Fact]
    public async Task Health_DatabaseAnswers_200Ok()
    {
        using var browser = new Browser(app);
        var response = await browser.GetAsync("/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("{\"status\":\"ok\"}", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Health_DatabaseUnreachable_503Unavailable()
    {
        await using var down = new TDown();
        using var browser = new Browser(down);
        var response = await browser.GetAsync("/health");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("{\"status\":\"unavailable\"}", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }
}

public sealed class SqliteHealthTests(SqliteApp app) : HealthTests<SqliteApp, UnreachableSqliteApp>(app);

public sealed class PostgresHealthTests(PostgresApp app) : HealthTests<PostgresApp, UnreachablePostgresApp>(app);
