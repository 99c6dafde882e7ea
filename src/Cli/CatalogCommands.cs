using System.CommandLine;
using System.Globalization;
using Confide.Core.Law;

namespace Confide.Cli;

/// <summary><c>confide profiles</c> and <c>confide citations [ID]</c>.</summary>
internal static class CatalogCommands
{
    public static Command Profiles(LawLibrary law, CliIo io)
    {
        var command = new Command("profiles", "List the jurisdiction profiles with their version and review date.");
        command.SetAction(_ =>
        {
            io.Stdout.WriteLine($"{"JURISDICTION",-13}{"VERSION",-9}{"REVIEWED",-12}NAME");
            foreach (var p in law.States.Prepend(law.Baseline))
            {
                io.Stdout.WriteLine($"{p.Id,-13}{p.Version,-9}{p.ReviewedOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),-12}{p.Name}");
            }
            io.Stdout.WriteLine();
            io.Stdout.WriteLine("Any other US state or DC is triaged under the baseline, with a warning.");
            return CliApp.Ok;
        });
        return command;
    }

    public static Command Citations(LawLibrary law, CliIo io)
    {
        var id = new Argument<string?>("ID") { Description = "one citation id, e.g. ca-evid-1014", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("citations", "Print the citation catalog, or one citation.") { id };
        command.SetAction(parse =>
        {
            var wanted = parse.GetValue(id);
            IEnumerable<Citation> citations = law.Catalog.All;
            if (wanted is not null)
            {
                var one = law.Catalog.Find(wanted);
                if (one is null)
                {
                    io.Stderr.WriteLine($"confide citations: ID: '{wanted}' is not in the catalog; run 'confide citations' for the list");
                    return CliApp.BadInput;
                }
                citations = [one];
            }
            var first = true;
            foreach (var c in citations)
            {
                if (!first)
                {
                    io.Stdout.WriteLine();
                }
                first = false;
                io.Stdout.WriteLine($"{c.Id}  [{c.StatusCode}]  {c.Jurisdiction}");
                io.Stdout.WriteLine($"  {c.Text}");
                io.Stdout.WriteLine($"  {c.Summary}");
                io.Stdout.WriteLine($"  Applies to: {c.AppliesTo}");
                if (c.StatusNote.Length > 0)
                {
                    io.Stdout.WriteLine($"  Status: {c.StatusLabel}. {c.StatusNote}");
                }
            }
            return CliApp.Ok;
        });
        return command;
    }
}
