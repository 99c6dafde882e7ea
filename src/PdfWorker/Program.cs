using Confide.Documents.Packets;
using Confide.Documents.Sandbox;
using PdfSharp.Pdf.IO;

// Confide.PdfWorker JOB-DIRECTORY: runs the one command of the job (PdfJob) and writes its answer
// beside it. Everything it reads is hostile: its parent limits its time, memory and output, and
// treats any exit but 0 with an answer as "this PDF could not be read safely".
if (args.Length != 1 || !Directory.Exists(args[0]))
{
    await Console.Error.WriteLineAsync("usage: Confide.PdfWorker JOB-DIRECTORY");
    return 2;
}
var job = args[0];
try
{
    var input = PdfJob.Read(job);
    var output = input.Command switch
    {
        PdfJob.Scan => Worker.Scan(job, input.Limits),
        PdfJob.Build => Worker.Build(job, input),
        _ => new PdfJobOutput("error", $"unknown command {input.Command}"),
    };
    PdfJob.WriteResult(job, output);
    return 0;
}
catch (OutOfMemoryException)
{
    await Console.Error.WriteLineAsync("OutOfMemory");
    return PdfChildProcess.OutOfMemoryExit;
}

internal static class Worker
{
    /// <summary>The structural scan, then PDFsharp's page count (null when it cannot read the file).</summary>
    public static PdfJobOutput Scan(string job, PdfLimits limits)
    {
        var bytes = File.ReadAllBytes(Path.Combine(job, PdfJob.ScanFile));
        var scan = PdfScanner.Scan(bytes, limits);
        if (!scan.Passed)
        {
            return new PdfJobOutput("refused", "", scan);
        }
        int? pages;
        try
        {
            using var document = PdfReader.Open(new MemoryStream(bytes, writable: false), PdfDocumentOpenMode.Import);
            pages = document.PageCount;
        }
#pragma warning disable CA1031 // PDFsharp throws plain Exception for some damaged files: any failure to read is "no page count"
        catch (Exception ex) when (ex is not OutOfMemoryException)
#pragma warning restore CA1031
        {
            pages = null;
        }
        if (pages > limits.MaxPages)
        {
            return new PdfJobOutput("refused", "", scan with { Refusal = "pages", Detail = $"it has more than {limits.MaxPages} pages" });
        }
        return new PdfJobOutput("ok", "", scan, pages);
    }

    /// <summary>Every included attachment scanned, then the packet built into the job's output file.</summary>
    public static PdfJobOutput Build(string job, PdfJobInput input)
    {
        var request = input.Request ?? throw new InvalidDataException("a build job without a request");
        foreach (var attachment in request.Items.OfType<AttachmentItem>().Where(a => a.Mode != AttachmentMode.Exclude))
        {
            using var stream = attachment.Open();
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var scan = PdfScanner.Scan(copy.ToArray(), input.Limits);
            if (!scan.Passed)
            {
                return new PdfJobOutput("refused", attachment.Id, scan);
            }
        }
        var progress = new Progress();
        try
        {
            using var file = new FileStream(Path.Combine(job, PdfJob.OutputFile), FileMode.CreateNew, FileAccess.Write);
            var result = new PacketBuilder(input.Options).Build(request, file, progress);
            return new PdfJobOutput("ok", "", Packet: result);
        }
        catch (PdftoppmNotFoundException ex)
        {
            return new PdfJobOutput("pdftoppm-missing", ex.PdftoppmPath);
        }
        catch (ArgumentException ex)
        {
            return new PdfJobOutput("argument", ex.Message);
        }
        catch (InvalidDataException ex)
        {
            return new PdfJobOutput("invalid-data", ex.Message);
        }
    }

    /// <summary>Progress as lines on standard output, in order (the builder reports on its own thread).</summary>
    private sealed class Progress : IProgress<PacketProgress>
    {
        public void Report(PacketProgress value) => Console.Out.WriteLine(PdfJob.ProgressLine(value));
    }
}
