using Confide.Core.Requests;
using Confide.Core.Triage;
using Confide.Data.Crypto;
using Confide.Data;
using Confide.Data.Access;
using Confide.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace Confide.Web.Features.Requests;

/// <summary>
/// The one read path for a stored request: decrypts (through <see cref="ClientContent"/>, under the
/// caller's grant), parses and reads back the request document and the determination made from it,
/// so pages, documents and packets show a determination as it was made, even after the law data
/// changes. Stored data that does not read is a broken invariant, not user input: it throws
/// <see cref="InvalidDataException"/> here and nowhere else.
/// </summary>
public sealed class RequestRecords(ConfideDbContext db, ClientContent content)
{
    /// <summary>A stored determination: its row, the request it was made from (with the release matched at triage as its authorization), and the determination.</summary>
    public sealed record StoredDetermination(RequestDetermination Row, TriageRequest Request, Determination Determination);

    /// <summary>A request as last recorded from the intake form (without a release matched at triage): its row, its document and that document parsed.</summary>
    public sealed record StoredRequest(RecordRequest Row, string Json, TriageRequest Request);

    /// <summary>The determination <paramref name="row"/> and the request document it was made from.</summary>
    /// <exception cref="InvalidDataException">Either stored document does not read.</exception>
    public async Task<StoredDetermination> ReadAsync(ClientGrant grant, RequestDetermination row, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(grant);
        ArgumentNullException.ThrowIfNull(row);
        var determination = ReadDetermination(await content.ReadStringAsync(grant, EncryptedFields.Determination(grant.PracticeId, row), row.DeterminationCipher, ct));
        var json = await content.ReadStringAsync(grant, EncryptedFields.DeterminationDocument(grant.PracticeId, row), row.DocumentCipher, ct);
        return new StoredDetermination(row, Parse(json, row.RequestId), determination);
    }

    /// <summary>The request document as last recorded.</summary>
    /// <exception cref="InvalidDataException">The stored document does not parse.</exception>
    public async Task<StoredRequest> ReadAsync(ClientGrant grant, RecordRequest row, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(grant);
        ArgumentNullException.ThrowIfNull(row);
        var json = await content.ReadStringAsync(grant, EncryptedFields.RequestDocument(row), row.DocumentCipher, ct);
        return new StoredRequest(row, json, Parse(json, row.Id));
    }

    /// <summary>The request's latest determination row (every request has one from its creation).</summary>
    public Task<RequestDetermination> CurrentAsync(Guid requestId, CancellationToken ct) =>
        db.RequestDeterminations.AsNoTracking().Where(d => d.RequestId == requestId).OrderByDescending(d => d.Sequence).FirstAsync(ct);

    /// <summary>The request's latest determination, read.</summary>
    public async Task<StoredDetermination> ReadCurrentAsync(ClientGrant grant, Guid requestId, CancellationToken ct) => await ReadAsync(grant, await CurrentAsync(requestId, ct), ct);

    private static TriageRequest Parse(string json, Guid requestId) =>
        RequestParser.Parse(json).Request ?? throw new InvalidDataException($"request {requestId:N}: the stored document no longer parses");

    /// <exception cref="InvalidDataException">The JSON is not a determination in the contract's shape.</exception>
    private static Determination ReadDetermination(string json)
    {
        try
        {
            return DeterminationJson.Read(json);
        }
        catch (FormatException ex)
        {
            throw new InvalidDataException("a stored determination does not read as the contract's JSON", ex);
        }
    }
}
