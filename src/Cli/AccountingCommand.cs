using System.CommandLine;
using System.Text;
using Confide.Core.Disclosure;
using Confide.Data;
using Confide.Data.Access;
using Confide.Data.Audit;
using Confide.Data.Crypto;
using Confide.Data.Disclosures;
using Confide.Data.Entities;
using Confide.Documents;
using Confide.Documents.Pdf;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using CliError = Confide.Cli.AuditCommands.CliError;

namespace Confide.Cli;

/// <summary>
/// <c>confide accounting --client ID [--format csv|pdf] [--out FILE] [--as-of YYYY-MM-DD]</c>: a
/// client's accounting of disclosures (45 C.F.R. § 164.528, the six years before the date) from the
/// database the web app is configured with, as CSV (standard output without <c>--out</c>) or PDF
/// (needs <c>--out</c>). The export is audited like one from the web app. Exit status: 0 written,
/// 2 bad option, unknown client, no database or no master key, 1 unexpected.
/// </summary>
internal static class AccountingCommand
{
    /// <summary>The system reader this command reads client content as (ClientContent.OpenSystemAsync): named in the audit entry of every opening.</summary>
    public const string SystemReader = "cli-accounting";

    public static Command Create(Func<IConfiguration> configuration, CliIo io, TimeProvider time)
    {
        var client = new Option<string>("--client") { Description = "the client (their id)", Required = true };
        var format = new Option<string>("--format") { Description = "csv (default) or pdf", DefaultValueFactory = _ => "csv" };
        var output = new Option<string>("--out") { Description = "the file to write (needed for pdf); without it the CSV goes to standard output" };
        var asOf = new Option<string>("--as-of") { Description = "the date of the request for the accounting (default: today in the practice's time zone)" };
        var command = new Command("accounting", "Write a client's accounting of disclosures (45 C.F.R. § 164.528) from the web app's database, as CSV or PDF.")
        {
            client,
            format,
            output,
            asOf,
        };
        command.SetAction(parse =>
        {
            try
            {
                return RunAsync(configuration, io, time, parse.GetValue(client)!, parse.GetValue(format)!, parse.GetValue(output), parse.GetValue(asOf)).GetAwaiter().GetResult();
            }
            catch (CliError e)
            {
                io.Stderr.WriteLine($"confide accounting: {e.Message}");
                return CliApp.BadInput;
            }
        });
        return command;
    }

    private static async Task<int> RunAsync(Func<IConfiguration> configuration, CliIo io, TimeProvider time, string clientText, string format, string? output, string? asOfText)
    {
        if (!Guid.TryParse(clientText, out var clientId))
        {
            throw new CliError($"--client: expected a client id (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx), got '{clientText}'");
        }
        if (format is not ("csv" or "pdf"))
        {
            throw new CliError($"--format: expected csv or pdf, got '{format}'");
        }
        if (format == "pdf" && output is null)
        {
            throw new CliError("--format pdf needs --out FILE (a PDF is not written to a terminal)");
        }
        DateOnly asOf = default;
        if (asOfText is not null && !DateOnly.TryParseExact(asOfText, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out asOf))
        {
            throw new CliError($"--as-of: expected a date YYYY-MM-DD, got '{asOfText}'");
        }
        string? full = null;
        if (output is not null)
        {
            full = Path.GetFullPath(output);
            if (Directory.Exists(full))
            {
                throw new CliError($"--out: '{output}' is a directory; name the file to write");
            }
            if (!Directory.Exists(Path.GetDirectoryName(full)))
            {
                throw new CliError($"--out: the directory of '{output}' does not exist");
            }
        }

        using var database = AuditCommands.OpenDatabase(configuration, writable: true);
        if (!File.Exists(database.Settings.MasterKeyFile))
        {
            throw new CliError($"the master key file '{database.Settings.MasterKeyFile}' ({DataSettings.MasterKeyFileKey}) does not exist: no client record can be read without it");
        }
        return await AuditCommands.Guarded(database, async () =>
        {
            var scope = database.NewScope();
            var db = scope.GetRequiredService<ConfideDbContext>();
            var access = scope.GetRequiredService<ClientContent>();
            // Row-level security shows a client only under its practice's setting: look in each practice in turn.
            Confide.Data.Entities.Client? found = null;
            foreach (var practiceId in await db.Practices.AsNoTracking().OrderBy(p => p.Id).Select(p => p.Id).ToListAsync().ConfigureAwait(false))
            {
                db.Scope.Use(practiceId);
                found = await db.Clients.AsNoTracking().FirstOrDefaultAsync(c => c.Id == clientId && c.PracticeId == practiceId).ConfigureAwait(false);
                if (found is not null)
                {
                    break;
                }
            }
            var client = found ?? throw new CliError($"--client: no client {clientId:D} in the database");
            // An operator with the database and the master key reads as the named system reader: audited (saved below, before anything leaves).
            var decision = await access.OpenSystemAsync(SystemReader, client.Id, CancellationToken.None).ConfigureAwait(false);
            if (decision.Grant is not { } grant)
            {
                await db.SaveChangesAsync().ConfigureAwait(false);
                throw new CliError(
                    decision.Outcome == AccessOutcome.Shredded
                        ? $"--client: client {clientId:D} was deleted (crypto-shredded): their disclosure entries can no longer be read"
                        : $"--client: no client {clientId:D} in the database"
                );
            }
            if (asOfText is null)
            {
                // Today as the web app counts it: in the practice's time zone (UTC when this machine does not know the zone).
                var zoneId = await db.Practices.AsNoTracking().Where(p => p.Id == client.PracticeId).Select(p => p.TimeZone).FirstAsync().ConfigureAwait(false);
                asOf = Practice.DateIn(Practice.ZoneOf(zoneId), time.GetUtcNow());
            }
            var entries = await scope.GetRequiredService<DisclosureLog>().ReadAsync(grant, CancellationToken.None).ConfigureAwait(false);
            var accounting = Accounting.ForClient(entries.Select(s => s.Entry), asOf).Select(e => e.Id).ToHashSet();
            var lines = entries.Where(s => accounting.Contains(s.Entry.Id)).Select(s => new AccountingLine(s.Entry, s.Row.ClientId.ToString("D"), s.DisclosedBy, s.Sha256Hex)).ToList();
            byte[] bytes;
            if (format == "csv")
            {
                bytes = Encoding.UTF8.GetBytes(AccountingReport.Csv(lines));
            }
            else
            {
                var practice = await db.Practices.AsNoTracking().FirstAsync(p => p.Id == client.PracticeId).ConfigureAwait(false);
                var name = await access.ReadStringAsync(grant, EncryptedFields.ClientName(client), client.NameCipher, CancellationToken.None).ConfigureAwait(false);
                bytes = new PdfRenderer(PaperSize.Letter).Render(AccountingReport.ClientAccounting(practice.Name, name, asOf, lines));
            }
            // The export is recorded before anything leaves: if the audit entry cannot be written, nothing is.
            scope.GetRequiredService<IAuditTrail>().Add(client.PracticeId, null, AuditEvent.AccountingExportedByCommand(client.Id, format, lines.Count));
            await db.SaveChangesAsync().ConfigureAwait(false);
            if (full is null)
            {
                io.Stdout.Write(Encoding.UTF8.GetString(bytes));
                return CliApp.Ok;
            }
            var temp = $"{full}.{Guid.NewGuid():N}.tmp";
            try
            {
                await File.WriteAllBytesAsync(temp, bytes).ConfigureAwait(false);
                File.Move(temp, full, overwrite: true);
            }
            finally
            {
                File.Delete(temp);
            }
            io.Stderr.WriteLine($"confide accounting: {lines.Count} disclosure(s) in the accounting of client {client.Id:D} as of {asOf:yyyy-MM-dd}, written to {full}");
            return CliApp.Ok;
        }).ConfigureAwait(false);
    }
}
