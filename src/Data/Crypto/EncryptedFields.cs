using Confide.Data.Entities;

namespace Confide.Data.Crypto;

/// <summary>
/// The catalog of encrypted fields: one member per encrypted column, giving the binding
/// (<see cref="FieldRef"/>: practice, client, table, row, field) its ciphertext is sealed and opened
/// under. Every writer (<see cref="RecordCipher.EncryptAsync(FieldRef, string, CancellationToken)"/>)
/// and every reader (<c>ClientContent</c>) takes its binding from here, so a table or field name is
/// spelled once. The names are part of each stored ciphertext's associated data: changing one makes
/// every stored value of that column unreadable. An architecture test (Security.Tests,
/// <c>EncryptedFieldsTests</c>) fails when a product assembly builds a <see cref="FieldRef"/> anywhere else.
/// </summary>
public static class EncryptedFields
{
    /// <summary>The table names bound into the ciphertexts (the EF table names, by convention).</summary>
    internal static class Tables
    {
        public const string Clients = "Clients";
        public const string Guardians = "Guardians";
        public const string RecordItems = "RecordItems";
        public const string Attachments = "Attachments";
        public const string BreakGlasses = "BreakGlasses";
        public const string Requests = "Requests";
        public const string RequestDeterminations = "RequestDeterminations";
        public const string RequestNotes = "RequestNotes";
        public const string RequestFiles = "RequestFiles";
        public const string FinalizedDocuments = "FinalizedDocuments";
        public const string Releases = "Releases";
        public const string Packets = "Packets";
        public const string Disclosures = "Disclosures";
    }

    // Clients and their record

    /// <summary><c>Clients.NameCipher</c>: the client's name.</summary>
    public static FieldRef ClientName(Client c)
    {
        ArgumentNullException.ThrowIfNull(c);
        return ClientName(c.PracticeId, c.Id);
    }

    /// <summary><c>Clients.NameCipher</c>, from a projection that carries only the ids.</summary>
    public static FieldRef ClientName(Guid practiceId, Guid clientId) => new(practiceId, clientId, Tables.Clients, clientId, "name");

    /// <summary><c>Guardians.NameCipher</c>: a guardian's name, under the client's key.</summary>
    public static FieldRef GuardianName(Client c, Guardian g)
    {
        ArgumentNullException.ThrowIfNull(c);
        ArgumentNullException.ThrowIfNull(g);
        return new(c.PracticeId, c.Id, Tables.Guardians, g.Id, "name");
    }

    /// <summary><c>RecordItems.ContentCipher</c>: a record item's text.</summary>
    public static FieldRef RecordItemContent(Client c, RecordItem item)
    {
        ArgumentNullException.ThrowIfNull(c);
        ArgumentNullException.ThrowIfNull(item);
        return new(c.PracticeId, c.Id, Tables.RecordItems, item.Id, "content");
    }

    /// <summary><c>Attachments.FileNameCipher</c>: an attached file's name.</summary>
    public static FieldRef AttachmentName(Client c, Attachment a)
    {
        ArgumentNullException.ThrowIfNull(c);
        ArgumentNullException.ThrowIfNull(a);
        return new(c.PracticeId, c.Id, Tables.Attachments, a.Id, "file-name");
    }

    /// <summary><c>Attachments.ContentCipher</c>: an attached file's bytes.</summary>
    public static FieldRef AttachmentContent(Client c, Attachment a)
    {
        ArgumentNullException.ThrowIfNull(c);
        ArgumentNullException.ThrowIfNull(a);
        return new(c.PracticeId, c.Id, Tables.Attachments, a.Id, "content");
    }

    /// <summary><c>BreakGlasses.ReasonCipher</c>: the typed reason of a break-glass opening.</summary>
    public static FieldRef BreakGlassReason(BreakGlass g)
    {
        ArgumentNullException.ThrowIfNull(g);
        return new(g.PracticeId, g.ClientId, Tables.BreakGlasses, g.Id, "reason");
    }

    // Requests

    /// <summary><c>Requests.DocumentCipher</c>: the request document (JSON) as recorded.</summary>
    public static FieldRef RequestDocument(RecordRequest r)
    {
        ArgumentNullException.ThrowIfNull(r);
        return new(r.PracticeId, r.ClientId, Tables.Requests, r.Id, "document");
    }

    /// <summary><c>RequestDeterminations.DeterminationCipher</c>: the determination (JSON).</summary>
    public static FieldRef Determination(Guid practiceId, RequestDetermination d)
    {
        ArgumentNullException.ThrowIfNull(d);
        return new(practiceId, d.ClientId, Tables.RequestDeterminations, d.Id, "determination");
    }

    /// <summary><c>RequestDeterminations.DocumentCipher</c>: the request document the determination was made from.</summary>
    public static FieldRef DeterminationDocument(Guid practiceId, RequestDetermination d)
    {
        ArgumentNullException.ThrowIfNull(d);
        return new(practiceId, d.ClientId, Tables.RequestDeterminations, d.Id, "document");
    }

    /// <summary><c>RequestNotes.TextCipher</c>: a note on a request.</summary>
    public static FieldRef RequestNoteText(Guid practiceId, RequestNote n)
    {
        ArgumentNullException.ThrowIfNull(n);
        return new(practiceId, n.ClientId, Tables.RequestNotes, n.Id, "text");
    }

    /// <summary><c>RequestFiles.FileNameCipher</c>: an uploaded request file's name.</summary>
    public static FieldRef RequestFileName(Guid practiceId, Guid clientId, Guid fileId) => new(practiceId, clientId, Tables.RequestFiles, fileId, "file-name");

    /// <summary><c>RequestFiles.ContentCipher</c>: an uploaded request file's bytes.</summary>
    public static FieldRef RequestFileContent(Guid practiceId, Guid clientId, Guid fileId) => new(practiceId, clientId, Tables.RequestFiles, fileId, "content");

    /// <summary><c>FinalizedDocuments.TextCipher</c>: a finalized document's edited text.</summary>
    public static FieldRef FinalizedDocumentText(FinalizedDocument d) => Finalized(d, "text");

    /// <summary><c>FinalizedDocuments.PdfCipher</c>.</summary>
    public static FieldRef FinalizedDocumentPdf(FinalizedDocument d) => Finalized(d, "pdf");

    /// <summary><c>FinalizedDocuments.DocxCipher</c>.</summary>
    public static FieldRef FinalizedDocumentDocx(FinalizedDocument d) => Finalized(d, "docx");

    private static FieldRef Finalized(FinalizedDocument d, string field)
    {
        ArgumentNullException.ThrowIfNull(d);
        return new(d.PracticeId, d.ClientId, Tables.FinalizedDocuments, d.Id, field);
    }

    // Releases

    /// <summary><c>Releases.ContentCipher</c>: what the release authorizes (JSON).</summary>
    public static FieldRef ReleaseContent(Release r) => OfRelease(r, "content");

    /// <summary><c>Releases.ShownTextCipher</c>: the text the client was shown when signing.</summary>
    public static FieldRef ReleaseShownText(Release r) => OfRelease(r, "shown-text");

    /// <summary><c>Releases.SignatureCipher</c>: the signing evidence (JSON).</summary>
    public static FieldRef ReleaseSignature(Release r) => OfRelease(r, "signature");

    /// <summary><c>Releases.SignedPdfCipher</c>: the signed copy.</summary>
    public static FieldRef ReleaseSignedPdf(Release r) => OfRelease(r, "signed-pdf");

    /// <summary><c>Releases.RevocationCipher</c>: the revocation evidence (JSON).</summary>
    public static FieldRef ReleaseRevocation(Release r) => OfRelease(r, "revocation");

    private static FieldRef OfRelease(Release r, string field)
    {
        ArgumentNullException.ThrowIfNull(r);
        return new(r.PracticeId, r.ClientId, Tables.Releases, r.Id, field);
    }

    // Packets and disclosures

    /// <summary><c>Packets.ReviewCipher</c>: what the clinician chose for a disclosure packet (JSON).</summary>
    public static FieldRef PacketReview(Packet p) => OfPacket(p, "review");

    /// <summary><c>Packets.PdfCipher</c>: the built packet.</summary>
    public static FieldRef PacketPdf(Packet p) => OfPacket(p, "pdf");

    /// <summary><c>Packets.ManifestCipher</c>: the built packet's manifest.</summary>
    public static FieldRef PacketManifest(Packet p) => OfPacket(p, "manifest");

    private static FieldRef OfPacket(Packet p, string field)
    {
        ArgumentNullException.ThrowIfNull(p);
        return new(p.PracticeId, p.ClientId, Tables.Packets, p.Id, field);
    }

    /// <summary><c>Disclosures.ContentCipher</c>: a disclosure entry's recipient and description (JSON).</summary>
    public static FieldRef DisclosureContent(Disclosure d)
    {
        ArgumentNullException.ThrowIfNull(d);
        return new(d.PracticeId, d.ClientId, Tables.Disclosures, d.Id, "content");
    }

    // What ClientContent's checks ask of a binding

    internal static bool IsClientName(FieldRef f) => f.Table == Tables.Clients && f.Field == "name";

    internal static bool IsRecordItemOrAttachment(FieldRef f) => f.Table is Tables.RecordItems or Tables.Attachments;

    internal static bool IsRecordItem(FieldRef f) => f.Table == Tables.RecordItems;

    internal static bool IsAttachment(FieldRef f) => f.Table == Tables.Attachments;

    internal static bool IsDisclosure(FieldRef f) => f.Table == Tables.Disclosures;

    internal static bool IsRelease(FieldRef f) => f.Table == Tables.Releases;
}
