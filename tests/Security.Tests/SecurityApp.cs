using Confide.Data;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace Confide.Security.Tests;

/// <summary>The app on SQLite (TestServer), with MVC's filter logs captured: an antiforgery refusal is told apart from a handler's own 400.</summary>
public class SecurityApp : SqliteConfideApp
{
    public LogCapture Logs { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureLogging(l =>
        {
            l.AddProvider(Logs);
            // A rule for this provider beats the app's "Microsoft.AspNetCore: Warning" for every provider.
            l.AddFilter<LogCapture>("Microsoft.AspNetCore.Mvc", LogLevel.Information);
            // TestServer has no request body size feature: the upload page's limit warns on every request.
            l.AddFilter("Microsoft.AspNetCore.Routing.EndpointRoutingMiddleware", LogLevel.Error);
            l.AddFilter("Microsoft.AspNetCore.Mvc.Filters.RequestSizeLimitFilter", LogLevel.Error);
        });
    }
}

/// <summary>
/// The same app on PostgreSQL, run as the app's role (row-level security holds it; see
/// <see cref="PostgresTestServer"/>) with migrations under the owner connection, on a database of its own.
/// </summary>
public sealed class PostgresSecurityApp : SecurityApp
{
    private readonly string _database = $"confide_sweep_{Guid.NewGuid():N}";

    public PostgresSecurityApp()
    {
        PostgresTestServer.EnsureAppRoleAsync().GetAwaiter().GetResult();
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Database:Provider", "postgres");
        builder.UseSetting("ConnectionStrings:Confide", PostgresTestServer.App(_database));
        builder.UseSetting("ConnectionStrings:ConfideAdmin", PostgresTestServer.Admin(_database));
    }

    /// <summary>As the owner (the server's superuser): a test looks at every practice's rows.</summary>
    public override ConfideDbContext NewDbContext() => Services.GetRequiredService<DataSettings>().NewAdminContext();

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await PostgresTestServer.DropAsync(_database);
    }
}
