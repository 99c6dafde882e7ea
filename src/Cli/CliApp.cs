using System.CommandLine;
using Confide.Core.Law;
using Confide.Core.Triage;
using Microsoft.Extensions.Configuration;

namespace Confide.Cli;

/// <summary>
/// The <c>confide</c> command line. Standard output carries only each command's results; messages
/// go to standard error. Exit status: 0 success, 2 the user's input is wrong (or, for the audit
/// commands, the log cannot be verified), 3 the audit log was tampered with, 1 unexpected failure.
/// </summary>
internal static class CliApp
{
    public const int Ok = 0;
    public const int Failure = 1;
    public const int BadInput = 2;
    public const int Tampered = 3;

    /// <summary>Runs with the configuration the web app reads: appsettings.json in the current directory and the environment.</summary>
    public static int Run(string[] args, TextReader stdin, TextWriter stdout, TextWriter stderr, TimeProvider time) =>
        Run(args, stdin, stdout, stderr, time, () => CliConfiguration.Load(Directory.GetCurrentDirectory()));

    /// <summary>Runs with the given configuration, read only by the commands that need it (the audit commands).</summary>
    public static int Run(string[] args, TextReader stdin, TextWriter stdout, TextWriter stderr, TimeProvider time, Func<IConfiguration> configuration)
    {
        var io = new CliIo(stdin, stdout, stderr);
        try
        {
            var engine = new TriageEngine(LawLibrary.Embedded, time);
            var root = new RootCommand("Confide: triage requests for psychotherapy clients' information (decision support, not legal advice).")
            {
                TriageCommand.Create(engine, io),
                CatalogCommands.Profiles(engine.Law, io),
                CatalogCommands.Citations(engine.Law, io),
                AuditCommands.Create(configuration, io, time),
                KeysCommands.Create(configuration, io),
                AccountingCommand.Create(configuration, io, time),
            };
            var parse = root.Parse(args);
            if (parse.Errors.Count > 0)
            {
                foreach (var error in parse.Errors)
                {
                    stderr.WriteLine($"confide: {error.Message}");
                }
                stderr.WriteLine("Run 'confide --help' for usage.");
                return BadInput;
            }
            return parse.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false });
        }
#pragma warning disable CA1031 // the last line of defence: report and exit 1, never a stack trace with client data
        catch (Exception ex)
#pragma warning restore CA1031
        {
            stderr.WriteLine($"confide: unexpected failure ({ex.GetType().Name}): {ex.Message}");
            return Failure;
        }
    }
}

/// <summary>The streams a command reads and writes.</summary>
internal sealed record CliIo(TextReader Stdin, TextWriter Stdout, TextWriter Stderr);
