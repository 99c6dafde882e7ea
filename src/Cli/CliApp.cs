using System.CommandLine;
using Confide.Core.Law;
using Confide.Core.Triage;

namespace Confide.Cli;

/// <summary>
/// The <c>confide</c> command line. Standard output carries only each command's results; messages
/// go to standard error. Exit status: 0 success, 2 the user's input is wrong, 1 unexpected failure.
/// </summary>
internal static class CliApp
{
    public const int Ok = 0;
    public const int Failure = 1;
    public const int BadInput = 2;

    public static int Run(string[] args, TextReader stdin, TextWriter stdout, TextWriter stderr, TimeProvider time)
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
