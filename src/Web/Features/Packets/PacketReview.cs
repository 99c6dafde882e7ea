using System.Text.Json;

namespace Confide.Web.Features.Packets;

/// <summary>How one reviewed item goes into the packet.</summary>
/// <param name="Id">The record item's id (typed content) or the attachment's id (an uploaded PDF).</param>
/// <param name="IsAttachment">True for an uploaded PDF.</param>
/// <param name="Remove">Typed content: the passages to remove (every occurrence of each is cut out of the text).</param>
/// <param name="Mode">An uploaded PDF: <c>whole</c>, <c>exclude</c> or <c>redact-pages</c>.</param>
/// <param name="Pages">With <c>redact-pages</c>: the 1-based pages turned into images.</param>
public sealed record ReviewItem(Guid Id, bool IsAttachment, IReadOnlyList<string> Remove, string? Mode, IReadOnlyList<int> Pages);

/// <summary>
/// The clinician's review of a packet as submitted: the recipient and basis in words (from the
/// request) and the items kept. It holds client content (the passages removed), so it is stored
/// encrypted with the packet (field <c>review</c>).
/// </summary>
public sealed record PacketReview(string Recipient, string? RecipientAddress, string BasisText, string Practice, string DisclosedBy, IReadOnlyList<ReviewItem> Items)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public byte[] ToBytes() => JsonSerializer.SerializeToUtf8Bytes(this, Json);

    public static PacketReview Read(byte[] bytes) =>
        JsonSerializer.Deserialize<PacketReview>(bytes, Json) ?? throw new InvalidDataException("a stored packet review is empty");
}
