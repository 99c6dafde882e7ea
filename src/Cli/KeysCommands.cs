using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography;
using Confide.Data;
using Confide.Data.Crypto;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Confide.Cli;

/// <summary>
/// <c>confide keys status</c> and <c>confide keys rotate [--new-master-key FILE] [--practice ID]</c>
/// on the database and master key the web app is configured with. Status shows each practice's key
/// versions, which master key (by fingerprint) wraps each, how many client keys each wraps and
/// whether it is retired: never key material. Rotation adds a practice key version (under the same
/// or a new master key), re-wraps every client data key under it (no record is re-encrypted),
/// retires the older versions nothing uses any more, and is audited. Exit status: 0 done, 2 bad
/// input or the database/master key cannot be used, 1 unexpected.
/// </summary>
internal static class KeysCommands
{
    public static Command Create(Func<IConfiguration> configuration, CliIo io)
    {
        var status = new Command("status", "Each practice's key versions: the master key fingerprint that wraps each, how many client keys each wraps, retired or not.");
        status.SetAction(_ => Run(io, "status", () => StatusAsync(configuration, io)));

        var newMaster = new Option<string>("--new-master-key")
        {
            Description = "wrap the new practice keys with the master key in this file (created when absent); then point Keys:MasterKeyFile at it",
        };
        var practice = new Option<string>("--practice") { Description = "rotate only this practice's key (its id)" };
        var rotate = new Command("rotate", "A new practice key version; every client data key re-wrapped under it; older versions retired once unused.")
        {
            newMaster,
            practice,
        };
        rotate.SetAction(parse => Run(io, "rotate", () => RotateAsync(configuration, io, parse.GetValue(newMaster), parse.GetValue(practice))));
        return new Command("keys", "The key hierarchy: master key → practice keys → client data keys.") { status, rotate };
    }

    private static int Run(CliIo io, string name, Func<Task<int>> action)
    {
        try
        {
            return action().GetAwaiter().GetResult();
        }
        catch (AuditCommands.CliError e)
        {
            io.Stderr.WriteLine($"confide keys {name}: {e.Message}");
            return CliApp.BadInput;
        }
    }

    private static async Task<int> StatusAsync(Func<IConfiguration> configuration, CliIo io)
    {
        using var database = AuditCommands.OpenDatabase(configuration);
        return await AuditCommands.Guarded(database, async () =>
        {
            var scope = database.NewScope();
            var ring = new KeyRing(scope.GetRequiredService<ConfideDbContext>(), MasterKey.Create(new byte[Envelope.KeySize], "(not needed)"), scope.GetRequiredService<Data.Audit.IAuditTrail>(), TimeProvider.System);
            var practices = await ring.StatusAsync(CancellationToken.None).ConfigureAwait(false);
            if (ConfiguredMasterKey(database) is { } master)
            {
                io.Stdout.WriteLine($"Configured master key: {master.Id} ({master.Path})");
            }
            foreach (var p in practices)
            {
                io.Stdout.WriteLine($"practice {p.PracticeId:D}:");
                if (p.Versions.Count == 0)
                {
                    io.Stdout.WriteLine("  no practice key yet");
                }
                foreach (var v in p.Versions)
                {
                    var state = v.RetiredAt is { } r ? $"retired {Time(r)}" : "active";
                    io.Stdout.WriteLine($"  practice key v{v.Version}: {state}, wrapped by master key {v.MasterKeyId}, created {Time(v.CreatedAt)}, wraps {v.ClientKeys} client data key(s)");
                }
                if (p.LegacyClientKeys > 0)
                {
                    io.Stdout.WriteLine($"  {p.LegacyClientKeys} client data key(s) still wrapped directly by the master key (re-wrapped when the web app starts, or by confide keys rotate)");
                }
                if (p.DestroyedClientKeys > 0)
                {
                    io.Stdout.WriteLine($"  {p.DestroyedClientKeys} client data key(s) destroyed (crypto-shredded clients)");
                }
            }
            io.Stdout.WriteLine($"{practices.Count} practice(s).");
            return CliApp.Ok;
        }).ConfigureAwait(false);
    }

    private static async Task<int> RotateAsync(Func<IConfiguration> configuration, CliIo io, string? newMasterFile, string? practiceText)
    {
        var only = AuditCommands.ParsePractice(practiceText);
        if (only is not null && newMasterFile is not null)
        {
            throw new AuditCommands.CliError("--new-master-key re-wraps every practice's keys: leave out --practice (the other practices would stay on the old master key)");
        }
        using var database = AuditCommands.OpenDatabase(configuration, writable: true);
        var master = ConfiguredMasterKey(database)
            ?? throw new AuditCommands.CliError($"the master key file '{database.Settings.MasterKeyFile}' ({DataSettings.MasterKeyFileKey}) does not exist: without it nothing can be re-wrapped. Restore it from your backup.");
        MasterKey? next = null;
        if (newMasterFile is not null)
        {
            var full = Path.GetFullPath(newMasterFile);
            if (full == master.Path)
            {
                throw new AuditCommands.CliError("--new-master-key: that is the configured master key file; name a new file");
            }
            try
            {
                next = MasterKey.LoadOrCreate(full);
            }
            catch (Exception e) when (e is InvalidOperationException or IOException or UnauthorizedAccessException)
            {
                throw new AuditCommands.CliError($"--new-master-key: {e.Message}");
            }
        }
        return await AuditCommands.Guarded(database, async () =>
        {
            var scope = database.NewScope();
            var ring = new KeyRing(scope.GetRequiredService<ConfideDbContext>(), master, scope.GetRequiredService<Data.Audit.IAuditTrail>(), scope.GetRequiredService<TimeProvider>());
            IReadOnlyList<RotationResult> results;
            try
            {
                results = await ring.RotateAsync(next, only, CancellationToken.None).ConfigureAwait(false);
            }
            catch (CryptographicException e)
            {
                throw new AuditCommands.CliError($"nothing was changed in the practice that failed: {e.Message}");
            }
            catch (Microsoft.EntityFrameworkCore.DbUpdateConcurrencyException)
            {
                throw new AuditCommands.CliError("a client's data key was created while rotating: that practice was left as it was; run confide keys rotate again");
            }
            foreach (var r in results)
            {
                io.Stdout.WriteLine(
                    $"practice {r.PracticeId:D}: practice key v{r.NewVersion}, {r.Rewrapped} client data key(s) re-wrapped"
                        + (r.Retired.Count > 0 ? $", retired v{string.Join(", v", r.Retired)}" : "")
                        + (r.StillInUse.Count > 0 ? $"; still in use, not retired: v{string.Join(", v", r.StillInUse)}" : "")
                );
            }
            if (next is not null)
            {
                io.Stdout.WriteLine($"New master key {next.Id} in '{next.Path}'. Back it up apart from the database, then set {DataSettings.MasterKeyFileKey} to it and restart the web app.");
            }
            io.Stdout.WriteLine($"Rotated {results.Count} practice(s).");
            return CliApp.Ok;
        }).ConfigureAwait(false);
    }

    /// <summary>The configured master key (Keys:MasterKey, else the file), or null when the file does not exist: never created here.</summary>
    private static MasterKey? ConfiguredMasterKey(CliDatabase database)
    {
        if (!string.IsNullOrWhiteSpace(database.Configuration[MasterKey.ConfigurationKey]) || File.Exists(database.Settings.MasterKeyFile))
        {
            try
            {
                return database.Settings.LoadMasterKey(database.Configuration);
            }
            catch (InvalidOperationException e)
            {
                throw new AuditCommands.CliError(e.Message);
            }
        }
        return null;
    }

    private static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
}
