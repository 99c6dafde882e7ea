using Confide.Core.Triage;

namespace Confide.Data.Entities;

/// <summary>
/// A document of a request's determination as the clinician edited and finalized it: the text, and
/// the PDF and DOCX rendered from it, each encrypted (fields <c>text</c>, <c>pdf</c>, <c>docx</c>) with
/// the SHA-256 of each plaintext, who and when. Immutable: <see cref="ConfideDbContext"/> refuses to
/// save a change or a deletion; editing again finalizes a new <see cref="Version"/> (a new row).
/// </summary>
public sealed class FinalizedDocument
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid PracticeId { get; set; }
    public Guid ClientId { get; set; }
    public Guid RequestId { get; set; }
    public Guid DeterminationId { get; set; }
    public DocumentKind Kind { get; set; }

    /// <summary>1, 2, 3, ... per request and kind.</summary>
    public int Version { get; set; }

    public required byte[] TextCipher { get; set; }
    public required byte[] PdfCipher { get; set; }
    public required byte[] DocxCipher { get; set; }
    public required byte[] TextSha256 { get; set; }
    public required byte[] PdfSha256 { get; set; }
    public required byte[] DocxSha256 { get; set; }
    public Guid FinalizedById { get; set; }
    public DateTimeOffset FinalizedAt { get; set; }
}
