using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace Confide.Web;

/// <summary>
/// An uploaded PDF, checked before anything is stored: within the size cap, declared as
/// <c>application/pdf</c>, and starting with the PDF magic bytes. The one upload check of the app
/// (record attachments and request files).
/// </summary>
public sealed record PdfUpload(string FileName, byte[] Bytes)
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
    public static async Task<PdfUpload?> ReadAsync(IFormFile file, ModelStateDictionary modelState, string key, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(modelState);
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
        return new PdfUpload(name, bytes);
    }
}
