using Confide.Data;
using Confide.Data.Crypto;
using Confide.Data.Entities;
using Confide.Data.Isolation;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Confide.Web.Hosting;

internal sealed record StartupOptions(bool Demo)
{
    public const string DemoArgument = "--demo";

    /// <summary>With <see cref="DemoArgument"/> outside the Development environment: the operator knows the demo accounts are public.</summary>
    public const string DemoAcknowledgedArgument = "--i-understand-demo-accounts-are-public";

    /// <summary>Why the app must not start with these arguments (null: it may).</summary>
    public static string? DemoRefusal(bool demo, bool acknowledged, IHostEnvironment environment) =>
        demo && !acknowledged && !environment.IsDevelopment()
            ? $"Refusing {DemoArgument} in the {environment.EnvironmentName} environment: the demo accounts' passwords and TOTP secrets are public. "
                + $"Run with --environment Development, or add {DemoAcknowledgedArgument} if this server is a throwaway demonstration."
            : null;
    public const string DefaultUrl = "http://127.0.0.1:5080";
}

/// <summary>
/// Before the server takes requests: read (or create) the master key, apply migrations, make sure
/// the roles exist and, with --demo, seed the demo practice. Once it listens: print the URL.
/// </summary>
internal sealed class StartupTasks(IServiceProvider services, StartupOptions options, IServer server, IConfiguration configuration, ILogger<StartupTasks> logger) : IHostedLifecycleService
{
    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        var key = services.GetRequiredService<MasterKey>();
        logger.LogInformation("Master key file: {Path}", key.Path);
        var settings = services.GetRequiredService<DataSettings>();
        await settings.MigrateAsync(cancellationToken); // under the owner connection (ConnectionStrings:ConfideAdmin)
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ConfideDbContext>();
        if (settings.Provider == DatabaseProvider.Postgres)
        {
            var escapes = await RowLevelSecurity.EscapesAsync(db, cancellationToken);
            if (escapes.Count > 0)
            {
                // Not fatal (a single-role development server is common), but said at every start.
                logger.LogWarning(
                    "The app's database role {Escapes}: row-level security does not separate practices for it. Connect as a role that owns no table (docs/operations.md).",
                    string.Join(", ", escapes)
                );
            }
        }
        // Databases from before practice keys: re-wrap client keys held directly by the master key (once; then nothing to do).
        var upgraded = await scope.ServiceProvider.GetRequiredService<KeyRing>().UpgradeLegacyAsync(cancellationToken);
        if (upgraded > 0)
        {
            logger.LogInformation("Re-wrapped {Count} client data keys under practice keys", upgraded);
        }
        // Authenticator keys stored in plain text before sealing: sealed once, then any plain-text key is refused.
        var sealedKeys = await ConfideUserStore.SealPlaintextKeysAsync(db, key, AuthenticatorKeysSealedMarker(configuration), cancellationToken);
        if (sealedKeys > 0)
        {
            logger.LogInformation("Sealed {Count} authenticator keys stored in plain text", sealedKeys);
        }
        var sealedAccounts = await ConfideUserStore.SealAccountsAsync(db, key, Path.Combine(CookieKeyRing.Directory(configuration), "accounts-sealed"), cancellationToken);
        if (sealedAccounts > 0)
        {
            logger.LogInformation("Sealed {Count} accounts made before account seals", sealedAccounts);
        }
        var roles = scope.ServiceProvider.GetRequiredService<RoleManager<Role>>();
        foreach (var role in Roles.All)
        {
            if (!await roles.RoleExistsAsync(role))
            {
                await roles.CreateAsync(new Role { Name = role });
            }
        }
        if (options.Demo)
        {
            await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedAsync(Console.Out, cancellationToken);
        }
        db.Scope.Use(DemoSeeder.PracticeId);
        if (await db.Practices.AnyAsync(p => p.Id == DemoSeeder.PracticeId, cancellationToken))
        {
            logger.LogWarning(
                "The demo practice {PracticeId} exists in this database: its accounts' passwords and TOTP secrets are public. Never keep real client records here.",
                DemoSeeder.PracticeId
            );
        }
    }

    public async Task StartedAsync(CancellationToken cancellationToken)
    {
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses;
        if (addresses is { Count: > 0 })
        {
            // The one line a person running `dotnet run --project src/Web` looks for (console, not a log).
            Console.Out.WriteLine($"Confide is running at {string.Join(", ", addresses)}");
        }
        await using var scope = services.CreateAsyncScope();
        if (!await scope.ServiceProvider.GetRequiredService<ConfideDbContext>().Practices.AnyAsync(cancellationToken))
        {
            // A fresh installation: /Setup asks for this code, so only whoever sees this console can set it up.
            Console.Out.WriteLine($"Setup code: {services.GetRequiredService<SetupCode>().Issue()} (the first page asks for it; it works once, and a restart prints a new one)");
        }
    }

    /// <summary>The file that says plain-text authenticator keys were sealed (in the cookie key ring's directory, outside the database).</summary>
    public static string AuthenticatorKeysSealedMarker(IConfiguration configuration) => Path.Combine(CookieKeyRing.Directory(configuration), "authenticator-keys-sealed");

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
