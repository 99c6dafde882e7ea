using System.Globalization;
using System.Text.Json;
using Confide.Core;
using Confide.Core.Law;
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

    // Core writes the determination JSON (DeterminationJson.ToJson) but does not read it back yet
    // (issue 11 item 3 adds DeterminationJson.Read); until then this is the one reader.
    /// <exception cref="InvalidDataException">The JSON is not a determination in the contract's shape.</exception>
    private static Determination ReadDetermination(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            var profile = root.GetProperty("profile");
            return new Determination
            {
                Outcome = Enum<Outcome>(root.GetProperty("outcome")),
                Disclose = Set(root.GetProperty("disclose")),
                Withheld = Set(root.GetProperty("withheld")),
                Citations = Strings(root.GetProperty("citations")),
                Reasons = Strings(root.GetProperty("reasons")),
                Steps = Strings(root.GetProperty("steps")),
                Documents = root.GetProperty("documents").EnumerateArray().Select(Enum<DocumentKind>).ToArray(),
                RespondBy = root.GetProperty("respondBy").ValueKind == JsonValueKind.Null ? null : Date(root.GetProperty("respondBy")),
                Profile = new ProfileRef(
                    profile.GetProperty("jurisdiction").GetString()!,
                    profile.GetProperty("version").GetString()!,
                    Date(profile.GetProperty("reviewedOn")),
                    Enum<Coverage>(profile.GetProperty("coverage"))
                ),
                Warnings = Strings(root.GetProperty("warnings")),
            };
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException("a stored determination does not read as the contract's JSON", ex);
        }
    }

    private static T Enum<T>(JsonElement e)
        where T : struct, System.Enum =>
        Wire<T>.TryParse(e.GetString(), out var value) ? value : throw new FormatException($"unknown {typeof(T).Name}");

    private static CategorySet Set(JsonElement e)
    {
        var set = CategorySet.Empty;
        foreach (var item in e.EnumerateArray())
        {
            set = Categories.TryParse(item.GetString(), out var c) ? set.With(c) : throw new FormatException("unknown category");
        }
        return set;
    }

    private static string[] Strings(JsonElement e) => e.EnumerateArray().Select(s => s.GetString()!).ToArray();

    private static DateOnly Date(JsonElement e) => DateOnly.ParseExact(e.GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture);
}
