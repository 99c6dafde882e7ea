using Confide.Documents.Docx;
using Confide.Documents.Pdf;

namespace Confide.Documents;

/// <summary>Writes documents as <c>DIR/&lt;kind&gt;.pdf</c> and <c>DIR/&lt;kind&gt;.docx</c>, all or nothing.</summary>
public static class DocumentWriter
{
    /// <summary>
    /// Renders every document as PDF and DOCX in memory, writes each file under a temporary name in
    /// <paramref name="directory"/> (created if needed), and renames them into place only when all
    /// were written. On any failure the temporary files, and any file this call already renamed into
    /// place, are deleted and the exception propagates: no partial or half-written file is left.
    /// </summary>
    /// <returns>The paths written, in order.</returns>
    /// <exception cref="IOException">The directory or a file could not be created or written.</exception>
    /// <exception cref="UnauthorizedAccessException">Permission was denied.</exception>
    public static IReadOnlyList<string> Write(IReadOnlyList<DocumentModel> documents, string directory, PaperSize paper)
    {
        ArgumentNullException.ThrowIfNull(documents);
        ArgumentException.ThrowIfNullOrEmpty(directory);

        // Render first: a document that fails to render writes nothing at all.
        var pdf = new PdfRenderer(paper);
        var docx = new DocxRenderer(paper);
        var outputs = new List<(string Name, byte[] Bytes)>(documents.Count * 2);
        foreach (var document in documents)
        {
            outputs.Add((document.FileStem + ".pdf", pdf.Render(document)));
            outputs.Add((document.FileStem + ".docx", docx.Render(document)));
        }

        Directory.CreateDirectory(directory);
        var pending = new List<(string Temp, string Final)>(outputs.Count);
        var placed = new List<string>(outputs.Count);
        try
        {
            foreach (var (name, bytes) in outputs)
            {
                var final = Path.Combine(directory, name);
                var temp = Path.Combine(directory, $".{name}.{Guid.NewGuid():N}.tmp");
                pending.Add((temp, final));
                using var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None);
                file.Write(bytes);
                file.Flush(flushToDisk: true);
            }
            foreach (var (temp, final) in pending)
            {
                File.Move(temp, final, overwrite: true);
                placed.Add(final);
            }
            return placed;
        }
        catch
        {
            foreach (var path in pending.Select(p => p.Temp).Concat(placed))
            {
                TryDelete(path);
            }
            throw;
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Best effort: the original failure is what the caller needs to see.
        }
    }
}
