using Confide.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace Confide.Security.Tests;

/// <summary>The app on SQLite (TestServer), with MVC's filter logs captured: an antiforgery refusal is told apart from a handler's own 400.</summary>
public sealed class SecurityApp : SqliteConfideApp
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
