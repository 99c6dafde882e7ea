using System.Collections.Concurrent;
using System.Net;
using Confide.Web.Hosting;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace Confide.Web.Tests;

/// <summary>
/// The app checks its own database role at start-up: connected as a role that row-level security
/// cannot hold (here the server's superuser, with no separate owner connection, as on a development
/// server) it still works but warns at every start; connected as the app role it says nothing.
/// </summary>
public sealed class AppRoleTests
{
    private sealed class Warnings : ILoggerProvider
    {
        public ConcurrentQueue<string> Lines { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

        public void Dispose()
        {
        }

        private sealed class Logger(Warnings owner, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (category == typeof(StartupTasks).FullName)
                {
                    owner.Lines.Enqueue(formatter(state, exception));
                }
            }
        }
    }

    private class Watched : PostgresApp
    {
        public Warnings Logs { get; } = new();

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureLogging(l => l.AddProvider(Logs));
        }
    }

    /// <summary>One connection, the server's superuser: migrations and the app alike.</summary>
    private sealed class AsSuperuser : Watched
    {
        public override string ConnectionString => PostgresTestServer.Admin(Database);

        public override string? AdminConnectionString => null;
    }

    [Fact]
    public async Task Superuser_Works_ButWarnsThatRowLevelSecurityDoesNotHoldIt()
    {
        await using var app = new AsSuperuser();
        await app.InitializeAsync();
        using var browser = new Browser(app);

        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/Setup")).StatusCode);
        var warning = Assert.Single(app.Logs.Lines);
        Assert.Contains("is a superuser", warning, StringComparison.Ordinal);
        Assert.Contains("row-level security", warning, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AppRole_StartsWithoutAWarning()
    {
        await using var app = new Watched();
        await app.InitializeAsync();
        using var browser = new Browser(app);

        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/Setup")).StatusCode);
        Assert.Empty(app.Logs.Lines);
    }
}
