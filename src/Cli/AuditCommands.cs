using System.CommandLine;
using System.Data.Common;
using System.Globalization;
using Confide.Core.Audit;
using Confide.Data.Audit;
using Microsoft.Extensions.Configuration;

namespace Confide.Cli;

/// <summary>
/// <c>confide audit verify [--practice ID] [--checkpoint FILE]</c> and
/// <c>confide audit checkpoint --out FILE [--practice ID]</c>, on the database the web app is
/// configured with. Exit status: 0 intact (or checkpoint written), 3 tampered, 2 cannot verify
/// (no database, unreachable, malformed or forged checkpoint, bad option), 1 unexpected.
/// Output names practices, sequence numbers and hashes only, never an entry's content.
/// </summary>
internal static class AuditCommands
{
    public static Command Create(Func<IConfiguration> configuration, CliIo io, TimeProvider time)
    {
        var command = new Command("audit", "Verify the audit log's hash chains, and export signed checkpoints of them.")
        {
            Verify(configuration, io),
            Checkpoint(configuration, io, time),
        };
        return command;
    }

    private static Command Verify(Func<IConfiguration> configuration, CliIo io)
    {
        var practice = new Option<string>("--practice") { Description = "verify only this practice's chain (its id)" };
        var checkpoint = new Option<string>("--checkpoint")
        {
            Description = "also check the chain against this exported checkpoint file (catches entries cut from the end)",
        };
        var command = new Command(
            "verify",
            "Check every practice's chain (or one): each entry's hash, its link to the previous one and its sequence number. "
                + "Exit 0 intact, 3 tampered, 2 cannot verify."
        )
        {
            practice,
            checkpoint,
        };
        command.SetAction(parse =>
            Run(io, "verify", () => VerifyAsync(configuration, io, parse.GetValue(practice), parse.GetValue(checkpoint)))
        );
        return command;
    }

    private static Command Checkpoint(Func<IConfiguration> configuration, CliIo io, TimeProvider time)
    {
        var output = new Option<string>("--out") { Description = "the checkpoint file to write (JSON); keep it outside this system" };
        var store = new Option<bool>("--store") { Description = "also store the checkpoint in the database, as the web app does periodically" };
        var practice = new Option<string>("--practice") { Description = "the practice (its id); needed when the database holds several" };
        var command = new Command(
            "checkpoint",
            "Verify a practice's chain, then sign a checkpoint of its head with the key in Keys:AuditSigningKeyFile: "
                + "written to a file (--out) to keep outside this system, and/or stored in the database (--store)."
        )
        {
            output,
            store,
            practice,
        };
        command.SetAction(parse =>
            Run(
                io,
                "checkpoint",
                () => CheckpointAsync(configuration, io, time, parse.GetValue(output), parse.GetValue(store), parse.GetValue(practice))
            )
        );
        return command;
    }

    private static int Run(CliIo io, string name, Func<Task<int>> action)
    {
        try
        {
            return action().GetAwaiter().GetResult();
        }
        catch (CliError e)
        {
            io.Stderr.WriteLine($"confide audit {name}: {e.Message}");
            return CliApp.BadInput;
        }
    }

    private static async Task<int> VerifyAsync(Func<IConfiguration> configuration, CliIo io, string? practiceText, string? checkpointFile)
    {
        var only = ParsePractice(practiceText);
        AuditCheckpoint? checkpoint = null;
        if (checkpointFile is not null)
        {
            checkpoint = ReadCheckpoint(checkpointFile);
            if (only is { } p && p != checkpoint.PracticeId)
            {
                throw new CliError($"--checkpoint: the checkpoint is of practice {checkpoint.PracticeId:D}, not --practice {p:D}");
            }
        }

        using var database = OpenDatabase(configuration, writable: false);
        var keyFile = AuditSigningKey.FileFrom(database.Configuration, database.Settings);
        using var local = LoadKey(() => AuditSigningKey.LoadIfExists(keyFile));
        var signer = checkpoint is null ? null : CheckSigner(local, checkpoint, checkpointFile!);
        return await Guarded(database, async () =>
        {
            var db = database.NewContext();
            var chains = await AuditChainReader.DiscoverAsync(db, CancellationToken.None).ConfigureAwait(false);
            var practices = Select(chains.Practices, only, checkpoint);
            if (signer is not null)
            {
                io.Stdout.WriteLine(signer);
            }
            // Rows under no valid practice id belong to no chain a practice can check: each is tampering, whatever --practice names.
            foreach (var stray in chains.Stray)
            {
                io.Stdout.WriteLine(
                    $"TAMPERED: {Count(stray.Rows, "row")} of {stray.Table} stored under practice id {stray.PracticeId}, which is not a practice id as Confide writes one (moved or overwritten)"
                );
            }
            if (practices.Count == 0 && chains.Stray.Count == 0)
            {
                io.Stdout.WriteLine("No practice and no audit entry in the database: nothing to verify.");
                return CliApp.Ok;
            }
            var tampered = 0;
            long entries = 0;
            long stored = 0;
            var keys = new SortedSet<string>(StringComparer.Ordinal);
            foreach (var id in practices)
            {
                var result = await AuditCheckpoints.VerifyAsync(db, id, local?.PublicKey, checkpoint, CancellationToken.None).ConfigureAwait(false);
                entries += result.Chain.EntriesChecked;
                stored += result.StoredChecked;
                keys.UnionWith(result.KeyIds);
                if (!result.Intact)
                {
                    tampered++;
                }
                Report(io, result, checkpoint is not null && checkpoint.PracticeId == id ? checkpoint : null);
            }
            if (stored > 0)
            {
                io.Stdout.WriteLine(
                    $"Stored checkpoints signed by key {string.Join(", ", keys)}"
                        + (local is null
                            ? $" (no {AuditSigningKey.FileKey} here to compare with: make sure it is your installation's key)."
                            : " (this installation's key).")
                );
            }
            var strayRows = chains.Stray.Sum(s => s.Rows);
            io.Stdout.WriteLine(
                tampered == 0 && strayRows == 0
                    ? $"Audit log intact: {Count(practices.Count, "practice")}, {Count(entries, "entry", "entries")} checked"
                        + (stored == 0 ? "." : $", against {Count(stored, "stored checkpoint")}.")
                    : $"Audit log TAMPERED: {tampered} of {Count(practices.Count, "practice")}"
                        + (strayRows == 0 ? "." : $", and {Count(strayRows, "row")} under no valid practice id.")
            );
            return tampered == 0 && strayRows == 0 ? CliApp.Ok : CliApp.Tampered;
        }).ConfigureAwait(false);
    }

    private static async Task<int> CheckpointAsync(
        Func<IConfiguration> configuration,
        CliIo io,
        TimeProvider time,
        string? file,
        bool store,
        string? practiceText
    )
    {
        var only = ParsePractice(practiceText);
        if (file is null && !store)
        {
            throw new CliError("name where the checkpoint goes: --out FILE (a file to keep outside this system), --store (the database), or both");
        }
        var full = file is null ? null : Path.GetFullPath(file);
        if (full is not null && Directory.Exists(full))
        {
            throw new CliError($"--out: '{file}' is a directory; name the checkpoint file to write");
        }
        if (full is not null && !Directory.Exists(Path.GetDirectoryName(full)))
        {
            throw new CliError($"--out: the directory of '{file}' does not exist");
        }

        using var database = OpenDatabase(configuration, writable: store);
        return await Guarded(database, async () =>
        {
            var db = database.NewContext();
            var practices = Select((await AuditChainReader.DiscoverAsync(db, CancellationToken.None).ConfigureAwait(false)).Practices, only, null);
            if (practices.Count != 1)
            {
                throw new CliError(
                    practices.Count == 0
                        ? "the database holds no practice: nothing to checkpoint"
                        : $"the database holds {practices.Count} practices ({string.Join(", ", practices.Select(p => p.ToString("D")))}): name one with --practice"
                );
            }
            var id = practices[0];
            var keyFile = AuditSigningKey.FileFrom(database.Configuration, database.Settings);
            using var key = LoadKey(() => AuditSigningKey.LoadOrCreate(keyFile))!;
            // Verified against the stored checkpoints too: a checkpoint must never vouch for a tampered chain.
            var verification = await AuditCheckpoints.VerifyAsync(db, id, key.PublicKey, null, CancellationToken.None).ConfigureAwait(false);
            if (!verification.Intact)
            {
                Report(io, verification, null);
                io.Stderr.WriteLine("confide audit checkpoint: the chain is not intact; no checkpoint was written (a checkpoint must never vouch for a tampered chain)");
                return CliApp.Tampered;
            }
            var result = verification.Chain;
            if (result.EntriesChecked == 0)
            {
                throw new CliError($"practice {id:D} has no audit entries yet: nothing to checkpoint");
            }

            var signed = key.Sign(id, result.EntriesChecked, result.HeadHash, time.GetUtcNow());
            if (store)
            {
                var (_, row) = await AuditCheckpoints.WriteAsync(db, key, id, signed.At, CancellationToken.None).ConfigureAwait(false);
                io.Stdout.WriteLine(
                    row is null
                        ? $"The database already holds a checkpoint of practice {id:D} at {Count(result.EntriesChecked, "entry", "entries")}: none added."
                        : $"Checkpoint stored in the database: practice {id:D}, {Count(row.EntryCount, "entry", "entries")}, key {row.KeyId}."
                );
            }
            if (full is null)
            {
                return CliApp.Ok;
            }
            var temp = $"{full}.{Guid.NewGuid():N}.tmp";
            try
            {
                await File.WriteAllBytesAsync(temp, signed.ToJson()).ConfigureAwait(false);
                File.Move(temp, full, overwrite: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                File.Delete(temp);
                io.Stderr.WriteLine($"confide audit checkpoint: --out: could not write '{file}': {e.Message}; nothing was written");
                return CliApp.Failure;
            }
            io.Stdout.WriteLine(
                $"Checkpoint written to {file}: practice {id:D}, {Count(signed.EntryCount, "entry", "entries")}, head {Hex(signed.HeadHash)}, "
                    + $"at {Time(signed.At)}, signed by public key {Convert.ToBase64String(signed.PublicKey)} ({key.Path})."
            );
            io.Stdout.WriteLine("Keep it outside this system (e.g. with the practice's compliance records); 'confide audit verify --checkpoint FILE' checks the chain against it.");
            return CliApp.Ok;
        }).ConfigureAwait(false);
    }

    /// <summary>Runs a database action; a database that cannot be read is exit 2 with a message naming the settings.</summary>
    internal static async Task<int> Guarded(CliDatabase database, Func<Task<int>> action)
    {
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (DbException e)
        {
            throw new CliError(database.CannotRead(e));
        }
        catch (InvalidOperationException e) when (e.InnerException is DbException inner)
        {
            // Npgsql's execution strategy wraps a failed connection as a "transient failure".
            throw new CliError(database.CannotRead(inner));
        }
    }

    internal static CliDatabase OpenDatabase(Func<IConfiguration> configuration, bool writable = false)
    {
        IConfiguration config;
        try
        {
            config = configuration();
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or System.Text.Json.JsonException)
        {
            throw new CliError($"the configuration cannot be read (appsettings.json in the current directory?): {e.Message}");
        }
        return CliDatabase.Open(config, writable, out var error) ?? throw new CliError(error);
    }

    private static IReadOnlyList<Guid> Select(IReadOnlyList<Guid> all, Guid? only, AuditCheckpoint? checkpoint)
    {
        if (only is { } id)
        {
            // A checkpoint's practice is checked even if every trace of it is gone: that is what it is for.
            return all.Contains(id) || checkpoint?.PracticeId == id ? [id] : throw new CliError($"--practice: no practice {id:D} in the database");
        }
        return checkpoint is not null && !all.Contains(checkpoint.PracticeId) ? [.. all, checkpoint.PracticeId] : all;
    }

    internal static Guid? ParsePractice(string? text)
    {
        if (text is null)
        {
            return null;
        }
        return Guid.TryParse(text, out var id) ? id : throw new CliError($"--practice: expected a practice id (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx), got '{text}'");
    }

    private static AuditCheckpoint ReadCheckpoint(string file)
    {
        byte[] bytes;
        try
        {
            var info = new FileInfo(file);
            if (!info.Exists)
            {
                throw new CliError($"--checkpoint: '{file}': no such file");
            }
            if (info.Length > AuditCheckpoint.MaxFileBytes)
            {
                throw new CliError($"--checkpoint: '{file}': larger than {AuditCheckpoint.MaxFileBytes / 1024} KiB, not a checkpoint");
            }
            bytes = File.ReadAllBytes(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliError($"--checkpoint: '{file}': cannot read: {e.Message}");
        }
        var parsed = AuditCheckpoint.Parse(bytes);
        if (parsed.Checkpoint is null)
        {
            throw new CliError(
                $"--checkpoint: '{file}' is not a well-formed checkpoint, so the chain cannot be checked against it:"
                    + string.Concat(parsed.Errors.Select(e => $"{Environment.NewLine}  {file}: {e}"))
            );
        }
        if (!AuditSigningKey.SignatureValid(parsed.Checkpoint))
        {
            throw new CliError(
                $"--checkpoint: '{file}': the signature does not verify: the checkpoint was altered or forged, so the chain cannot be checked against it"
            );
        }
        return parsed.Checkpoint;
    }

    /// <summary>
    /// A checkpoint signed by another key than this installation's is refused; with no key here, its
    /// key is printed to compare. Returns the line that describes the checkpoint.
    /// </summary>
    private static string CheckSigner(AuditSigningKey? local, AuditCheckpoint checkpoint, string file)
    {
        var publicKey = Convert.ToBase64String(checkpoint.PublicKey);
        if (local is not null && !local.PublicKey.AsSpan().SequenceEqual(checkpoint.PublicKey))
        {
            throw new CliError(
                $"--checkpoint: '{file}' is signed by public key {publicKey}, not by this installation's key "
                    + $"{Convert.ToBase64String(local.PublicKey)} ({AuditSigningKey.FileKey}: {local.Path}): it was not made here, so the chain cannot be checked against it"
            );
        }
        return (
            $"Checkpoint {file}: practice {checkpoint.PracticeId:D}, {Count(checkpoint.EntryCount, "entry", "entries")}, head {Hex(checkpoint.HeadHash)}, "
                + $"at {Time(checkpoint.At)}; signature valid, public key {publicKey}"
                + (local is null ? $" (no {AuditSigningKey.FileKey} here to compare it with: make sure it is your installation's key)." : " (this installation's key).")
        );
    }

    private static AuditSigningKey? LoadKey(Func<AuditSigningKey?> load)
    {
        try
        {
            return load();
        }
        catch (InvalidOperationException e)
        {
            throw new CliError(e.Message);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliError($"the audit signing key ({AuditSigningKey.FileKey}) cannot be read or created: {e.Message}");
        }
    }

    private static void Report(CliIo io, PracticeVerification verification, AuditCheckpoint? checkpoint)
    {
        var practice = verification.PracticeId;
        foreach (var forged in verification.Forged)
        {
            io.Stdout.WriteLine(
                $"practice {practice:D}: TAMPERED: stored checkpoint {forged.Id:D} (of {Count(forged.EntryCount, "entry", "entries")}) is forged: {forged.Reason}"
            );
        }
        var result = verification.Chain;
        if (result.Break is { } b)
        {
            io.Stdout.WriteLine($"practice {practice:D}: TAMPERED at entry {b.Sequence.ToString(CultureInfo.InvariantCulture)}: {Kind(b.Kind)}: {b.Description}");
            return;
        }
        io.Stdout.WriteLine(
            $"practice {practice:D}: {(verification.Forged.Count == 0 ? "intact" : "chain intact")}, {Count(result.EntriesChecked, "entry", "entries")}, head {Hex(result.HeadHash)}"
                + (verification.StoredChecked == 0 ? "" : $"; holds {Count(verification.StoredChecked, "stored checkpoint")}")
                + (checkpoint is null ? "" : $"; holds the checkpoint of {Time(checkpoint.At)} ({Count(checkpoint.EntryCount, "entry", "entries")})")
        );
    }

    private static string Kind(AuditTamper kind) =>
        kind switch
        {
            AuditTamper.Modified => "modified",
            AuditTamper.Deleted => "deleted",
            AuditTamper.Inserted => "inserted",
            AuditTamper.Reordered => "reordered",
            AuditTamper.Truncated => "cut from the end",
            AuditTamper.Rewritten => "rewritten",
            AuditTamper.Malformed => "malformed",
            _ => kind.ToString(),
        };

    private static string Hex(byte[] hash) => Convert.ToHexStringLower(hash);

    private static string Time(DateTimeOffset at) => at.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string Count(long n, string one, string? many = null) =>
        $"{n.ToString(CultureInfo.InvariantCulture)} {(n == 1 ? one : many ?? one + "s")}";

    /// <summary>Why an audit command cannot do its work: exit 2 with this message.</summary>
    internal sealed class CliError(string message) : Exception(message);
}
