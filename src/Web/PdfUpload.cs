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

    /// <summary>The upload when it is a PDF within the cap, else null with an error on <paramref name="key"/>.</summary>
    public static async Task<PdfUpload?> ReadAsync(IFormFile file, ModelStateDictionary modelState, string key, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(modelState);
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
        return new PdfUpload(Path.GetFileName(file.FileName), bytes);
    }
}
