using System.Security.Cryptography;
using Confide.Data;
using Confide.Data.Access;
using Confide.Data.Crypto;
using Confide.Data.Entities;
using Confide.Documents.Packets;
using Microsoft.EntityFrameworkCore;

namespace Confide.Web.Features.Packets;

/// <summary>
/// The pages of a client's uploaded PDFs, for the packet page: each page's size (to offer a choice
/// per page and check the regions drawn on it) and a PNG preview of one page. The PDF is decrypted
/// here under the caller's grant (<see cref="ClientContent"/>, which applies the note rule of the
/// item it is attached to) and handed to poppler in a separate process through a pipe.
/// </summary>
public sealed class AttachmentPages(ConfideDbContext db, ClientContent content, PacketOptions options)
{
    /// <summary>An attachment and its parent record item, loaded apart (without every attachment's content).</summary>
    public sealed record Found(Attachment Attachment, RecordItem Parent);

    /// <summary>The client's attachment <paramref name="attachmentId"/> with its record item, or null.</summary>
    public async Task<Found?> FindAsync(Client client, Guid attachmentId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(client);
        var a = await db.Attachments.AsNoTracking().FirstOrDefaultAsync(x => x.Id == attachmentId && x.ClientId == client.Id, ct);
        if (a is null)
        {
            return null;
        }
        var parent = await db.RecordItems.AsNoTracking().FirstAsync(r => r.Id == a.RecordItemId, ct);
        parent.Attachments.Add(a); // the item ClientContent checks the note rule on
        return new Found(a, parent);
    }

    /// <summary>Each page's size as displayed, in points; null when the PDF cannot be read.</summary>
    public async Task<IReadOnlyList<PageSize>?> SizesAsync(ClientGrant grant, Client client, Found found, CancellationToken ct)
    {
        var bytes = await ReadAsync(grant, client, found, ct);
        try
        {
            return await Task.Run(() => new PagePreviews(options).Sizes(bytes, ct), ct);
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or PdftoppmNotFoundException)
        {
            return null;
        }
    }

    /// <summary>The 1-based <paramref name="page"/> as a PNG (a pixel a point); null when there is no such page or it cannot be drawn.</summary>
    public async Task<byte[]?> PreviewAsync(ClientGrant grant, Client client, Found found, int page, CancellationToken ct)
    {
        var bytes = await ReadAsync(grant, client, found, ct);
        try
        {
            return await Task.Run(() => new PagePreviews(options).PreviewPng(bytes, page, ct), ct);
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or PdftoppmNotFoundException)
        {
            return null;
        }
    }

    private async Task<byte[]> ReadAsync(ClientGrant grant, Client client, Found found, CancellationToken ct)
    {
        var bytes = await content.ReadItemAsync(grant, found.Parent, EncryptedFields.AttachmentContent(client, found.Attachment), found.Attachment.ContentCipher, ct);
        return SHA256.HashData(bytes).AsSpan().SequenceEqual(found.Attachment.Sha256) ? bytes : throw new InvalidDataException($"attachment {found.Attachment.Id:N} does not match its checksum");
    }
}
