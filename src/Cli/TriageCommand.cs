using System.CommandLine;
using System.Globalization;
using Confide.Core.Requests;
using Confide.Core.Triage;
using Confide.Documents;

namespace Confide.Cli;

/// <summary><c>confide triage [--format json|text] [--as-of DATE] [--documents DIR [--paper letter|a4]] FILE...</c></summary>
internal static class TriageCommand
{
    public static Command Create(TriageEngine engine, CliIo io)
    {
        var format = new Option<string>("--format") { Description = "json (one JSON line per FILE) or text (for a person; the default)" };
        var asOf = new Option<string>("--as-of") { Description = "evaluation date YYYY-MM-DD (default: the request's receivedOn, else today, UTC)" };
        var documents = new Option<string>("--documents")
        {
            Description = "also write the determination's documents as DIR/<kind>.pdf and DIR/<kind>.docx (one FILE only)",
        };
        var paper = new Option<string>("--paper") { Description = "paper size of the documents: letter (the default) or a4" };
        var files = new Argument<string[]>("FILE")
        {
            Description = "request documents (JSON, see spec/triage.md); '-' reads standard input",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var command = new Command("triage", "Decide what to do with a request for a client's information, and why.") { format, asOf, documents, paper, files };
        command.SetAction(parse =>
            Run(engine, io, parse.GetValue(format), parse.GetValue(asOf), parse.GetValue(documents), parse.GetValue(paper), parse.GetValue(files) ?? [])
        );
        return command;
    }

    private static int Run(
        TriageEngine engine,
        CliIo io,
        string? format,
        string? asOfText,
        string? documentsDir,
        string? paperText,
        string[] files
    )
    {
        var json = format switch
        {
            null or "text" => false,
            "json" => true,
            _ => (bool?)null,
        };
        if (json is null)
        {
            io.Stderr.WriteLine($"confide triage: --format: expected json or text, got '{format}'");
            return CliApp.BadInput;
        }
        DateOnly? asOf = null;
        if (asOfText is not null)
        {
            if (!DateOnly.TryParseExact(asOfText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
            {
                io.Stderr.WriteLine($"confide triage: --as-of: expected a date YYYY-MM-DD, got '{asOfText}'");
                return CliApp.BadInput;
            }
            asOf = d;
        }
        PaperSize? paper = paperText switch
        {
            null or "letter" => PaperSize.Letter,
            "a4" => PaperSize.A4,
            _ => null,
        };
        if (paper is null)
        {
            io.Stderr.WriteLine($"confide triage: --paper: expected letter or a4, got '{paperText}'");
            return CliApp.BadInput;
        }
        if (documentsDir is not null && documentsDir.Trim().Length == 0)
        {
            io.Stderr.WriteLine("confide triage: --documents: expected a directory, got an empty name");
            return CliApp.BadInput;
        }
        if (files.Length == 0)
        {
            io.Stderr.WriteLine("confide triage: no FILE given; name one or more request documents, or '-' for standard input");
            return CliApp.BadInput;
        }
        if (documentsDir is not null && files.Length > 1)
        {
            io.Stderr.WriteLine($"confide triage: --documents takes exactly one FILE, got {files.Length}; triage the files one at a time");
            return CliApp.BadInput;
        }

        // Read and validate every file before printing anything: on bad input, nothing reaches stdout.
        var requests = new List<(string Name, TriageRequest Request)>(files.Length);
        var bad = false;
        foreach (var file in files)
        {
            var name = file == "-" ? "<stdin>" : file;
            if (!TryRead(file, io, out var bytes, out var readError))
            {
                io.Stderr.WriteLine($"{name}: {readError}");
                bad = true;
                continue;
            }
            var result = RequestParser.Parse(bytes);
            if (!result.Success)
            {
                foreach (var error in result.Errors)
                {
                    io.Stderr.WriteLine($"{name}: {error.Path}: {error.Message}");
                }
                bad = true;
                continue;
            }
            requests.Add((name, result.Request!));
        }
        if (bad)
        {
            return CliApp.BadInput;
        }

        var determinations = requests.Select(r => (r.Name, Determination: engine.Evaluate(r.Request, asOf))).ToList();
        for (var i = 0; i < determinations.Count; i++)
        {
            var (name, determination) = determinations[i];
            if (json.Value)
            {
                io.Stdout.WriteLine(DeterminationJson.ToJson(determination));
            }
            else
            {
                if (determinations.Count > 1)
                {
                    io.Stdout.WriteLine($"== {name} ==");
                }
                TextRenderer.Write(io.Stdout, determination, engine.Law.Catalog);
                if (i < determinations.Count - 1)
                {
                    io.Stdout.WriteLine();
                }
            }
        }
        if (documentsDir is not null)
        {
            return WriteDocuments(engine, io, requests[0].Request, determinations[0].Determination, asOf, documentsDir, paper.Value);
        }
        return CliApp.Ok;
    }

    /// <summary>Writes the determination's documents, all or none; a failure is exit 1 with a message (the determination is already printed).</summary>
    private static int WriteDocuments(
        TriageEngine engine,
        CliIo io,
        TriageRequest request,
        Determination determination,
        DateOnly? asOf,
        string directory,
        PaperSize paper
    )
    {
        var context = DocumentContext.Create(request, determination, engine.Law, engine.EvaluationDate(request, asOf));
        try
        {
            DocumentWriter.Write(DocumentComposer.ComposeAll(context), directory, paper);
            return CliApp.Ok;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            io.Stderr.WriteLine($"confide triage: --documents: could not write the documents to '{directory}': {ex.Message}; nothing was written");
            return CliApp.Failure;
        }
    }

    private static bool TryRead(string file, CliIo io, out byte[] bytes, out string error)
    {
        error = "";
        bytes = [];
        try
        {
            if (file == "-")
            {
                bytes = System.Text.Encoding.UTF8.GetBytes(io.Stdin.ReadToEnd());
                return true;
            }
            if (Directory.Exists(file))
            {
                error = "cannot read: it is a directory, not a file";
                return false;
            }
            var info = new FileInfo(file);
            if (!info.Exists)
            {
                error = "cannot read: no such file";
                return false;
            }
            if (info.Length > MaxRequestBytes)
            {
                error = $"cannot read: larger than {MaxRequestBytes / 1024} KiB, too large for a request document";
                return false;
            }
            bytes = File.ReadAllBytes(file);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            error = $"cannot read: {ex.Message}";
            return false;
        }
    }

    private const int MaxRequestBytes = 1024 * 1024;
}
