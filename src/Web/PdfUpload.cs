using Confide.Documents.Sandbox;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace Confide.Web;

/// <summary>
/// An uploaded PDF, checked before anything is stored: within the size cap, declared as
/// <c>application/pdf</c>, starting with the PDF magic bytes, and through the bounded pre-scan in
/// the PDF child process (nesting, objects, pages, inflated size; <see cref="PdfChildProcess"/>).
/// The one upload check of the app (record attachments and request files). <see cref="Pages"/> is
/// what PDFsharp counted there, null when it could not read the file (it is kept: the packet page
/// can still leave it out).
/// </summary>
public sealed record PdfUpload(string FileName, byte[] Bytes, int? Pages = null)
{
    public const int MaxBytes = 10 * 1024 * 1024;

    /// <summary>The request body limit for a page that takes one upload and a form.</summary>
    public const int MaxRequestBytes = MaxBytes + 256 * 1024;

    public const string ContentType = "application/pdf";

    /// <summary>The longest file name kept (most file systems allow 255).</summary>
    public const int MaxFileNameLength = 255;

    /// <summary>
    /// The upload when it is a PDF within the cap with a plain file name, else null with an error on
    /// <paramref name="key"/>. A name with a folder part (<c>../../etc/passwd.pdf</c>, <c>C:\x.pdf</c>),
    /// control characters or over 255 characters is refused, not trimmed: browsers send the bare name.
    /// </summary>
    public static async Task<PdfUpload?> ReadAsync(IFormFile file, ModelStateDictionary modelState, string key, PdfChildProcess pdfs, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(modelState);
        ArgumentNullException.ThrowIfNull(pdfs);
        var name = file.FileName;
        if (
            string.IsNullOrWhiteSpace(name)
            || name.Length > MaxFileNameLength
            || name.IndexOfAny(['/', '\\']) >= 0
            || name.Contains("..", StringComparison.Ordinal)
            || name.Any(char.IsControl)
            || name.Trim() is "." or ""
        )
        {
            modelState.AddModelError(key, $"The file name is not allowed: give the PDF a plain name of at most {MaxFileNameLength} characters, without folders, \"..\" or control characters.");
            return null;
        }
        if (file.Length == 0 || file.Length > MaxBytes)
        {
            modelState.AddModelError(key, $"Attach a PDF of at most {MaxBytes / 1024 / 1024} MB.");
            return null;
        }
        if (!string.Equals(file.ContentType, ContentType, StringComparison.OrdinalIgnoreCase))
        {
            modelState.AddModelError(key, "Only PDF files can be attached.");
            return null;
        }
        using var memory = new MemoryStream();
        await file.CopyToAsync(memory, ct);
        var bytes = memory.ToArray();
        if (!bytes.AsSpan().StartsWith("%PDF-"u8))
        {
            modelState.AddModelError(key, "That file is not a PDF.");
            return null;
        }
        try
        {
            var report = await pdfs.ScanAsync(bytes, ct);
            return new PdfUpload(name, bytes, report.Pages);
        }
        catch (PdfNotSafeException refused)
        {
            modelState.AddModelError(key, $"This PDF could not be read safely ({refused.Detail}), so it was not stored. Print it to a new PDF, or scan the paper copy, and attach that.");
            return null;
        }
    }
}
