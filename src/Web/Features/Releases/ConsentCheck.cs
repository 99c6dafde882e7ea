using Confide.Core;
using Confide.Core.Releases;
using Confide.Data;
using Confide.Data.Access;
using Confide.Data.Audit;
using Confide.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace Confide.Web.Features.Releases;

/// <summary>One thing a determination relied on that no longer holds: the release (null: the determination itself), a code, and why in words.</summary>
/// <param name="ReleaseId">The release, or null for the determination itself.</param>
/// <param name="Code"><c>revoked</c>, <c>expired</c>, <c>text-altered</c>, <c>not-signed</c>, <c>missing</c> or <c>determination-replaced</c>.</param>
/// <param name="Words">Why, in words made of plain columns only.</param>
public sealed record ConsentProblem(Guid? ReleaseId, string Code, string Words);

/// <summary>What <see cref="ConsentCheck.CheckAsync"/> found: nothing (consent holds) or each failing release and why.</summary>
public sealed record ConsentResult(IReadOnlyList<ConsentProblem> Problems)
{
    /// <summary>The longest reason stored on a request (<see cref="RecordRequest.RecheckReason"/>).</summary>
    public const int MaxReason = 500;

    public bool Holds => Problems.Count == 0;

    /// <summary>Why, in one paragraph for the request's page and the queue (plain columns only: kinds and dates, never content).</summary>
    public string Reason
    {
        get
        {
            var text = string.Join(" ", Problems.Select(p => p.Words));
            return text.Length <= MaxReason ? text : text[..(MaxReason - 1)] + "…";
        }
    }
}

/// <summary>
/// Consent checked again when records leave, not only when triage ran (issue 10, item 3): at packet
/// review, at build start and in the worker (before reading and again before storing), every release
/// the determination relied on (<see cref="DeterminationRelease"/>) must still be signed, not revoked,
/// not expired on the practice's day, with its text unaltered (the stored text matches the hash
/// recorded at signing, and that hash is the one the encrypted signing evidence holds); and the
/// determination must still be the request's current one. Court orders are facts of the request
/// document (no stored instrument that could be revoked or expire), so for them only the latter
/// holds: an edited request is triaged again and an earlier packet review no longer applies.
/// A failure flags the request "re-check needed" (<see cref="FlagAsync"/>) until it is triaged again.
/// </summary>
public sealed class ConsentCheck(ConfideDbContext db, ReleaseService releases, PracticeClock clock, IAuditTrail audit, TimeProvider time)
{
    /// <summary>Checks what determination <paramref name="determinationId"/> of <paramref name="request"/> relied on, now, reading the releases under <paramref name="grant"/>.</summary>
    public async Task<ConsentResult> CheckAsync(ClientGrant grant, RecordRequest request, Guid determinationId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(grant);
        ArgumentNullException.ThrowIfNull(request);
        var problems = new List<ConsentProblem>();
        var latest = await db.RequestDeterminations.AsNoTracking().Where(d => d.RequestId == request.Id).OrderByDescending(d => d.Sequence).Select(d => d.Id).FirstOrDefaultAsync(ct);
        if (latest != determinationId)
        {
            problems.Add(new ConsentProblem(null, "determination-replaced", "The request was triaged again after this determination: review the packet again under the current one."));
        }
        var ids = await db.DeterminationReleases.AsNoTracking().Where(x => x.DeterminationId == determinationId).Select(x => x.ReleaseId).ToListAsync(ct);
        if (ids.Count == 0)
        {
            return new ConsentResult(problems);
        }
        var zone = await clock.ZoneAsync(request.PracticeId, ct);
        var today = Practice.DateIn(zone, time.GetUtcNow());
        var rows = await db.Releases.AsNoTracking().Where(r => ids.Contains(r.Id) && r.ClientId == request.ClientId).ToDictionaryAsync(r => r.Id, ct);
        foreach (var id in ids.Order())
        {
            if (!rows.TryGetValue(id, out var row))
            {
                problems.Add(new ConsentProblem(id, "missing", "A release the determination relied on is no longer on file."));
                continue;
            }
            var opened = await releases.OpenAsync(grant, row, ct);
            var verdict = ReleaseMatcher.InvalidBecause(opened.StateIn(zone), today);
            if (verdict is null && row.Status != ReleaseStatus.Signed)
            {
                verdict = ReleaseVerdict.NotSigned;
            }
            // The plain hash column must be the one the encrypted signing evidence recorded: rewriting both text and column is caught too.
            if (verdict is null && (opened.Signature is not { } signature || row.ShownTextSha256 is not { } hash || !string.Equals(signature.TextSha256, ReleaseService.Hex(hash), StringComparison.Ordinal)))
            {
                verdict = ReleaseVerdict.TextAltered;
            }
            if (verdict is { } v)
            {
                problems.Add(new ConsentProblem(id, Code(v), Words(row, v, zone)));
            }
        }
        return new ConsentResult(problems);
    }

    /// <summary>
    /// Flags the request "re-check needed" with <paramref name="result"/>'s reason and audits the refusal at
    /// <paramref name="stage"/> (<c>review</c>, <c>build</c>, <c>worker</c>) by <paramref name="actorId"/>. The caller saves.
    /// </summary>
    public async Task FlagAsync(Guid requestId, ConsentResult result, Guid determinationId, string stage, Guid? actorId, Guid? packetId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(result);
        var request = await db.Requests.FirstAsync(r => r.Id == requestId, ct);
        request.RecheckReason = result.Reason;
        request.RecheckSince ??= time.GetUtcNow();
        audit.Add(request.PracticeId, actorId, AuditEvent.ConsentRefused(request, determinationId, stage, result.Problems.Select(p => (p.ReleaseId, p.Code)).ToList(), packetId));
    }

    /// <summary>
    /// Flags every open request whose current determination relied on <paramref name="release"/>, just
    /// revoked, with its audit entry; returns how many. The caller saves (with the revocation).
    /// </summary>
    public static async Task<int> FlagRevokedAsync(ConfideDbContext db, IAuditTrail audit, Release release, TimeZoneInfo zone, DateTimeOffset now, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(audit);
        ArgumentNullException.ThrowIfNull(release);
        var requests = await db.Requests
            .Where(r => r.ClientId == release.ClientId && (r.Status == RequestStatus.Received || r.Status == RequestStatus.UnderReview))
            .Where(r =>
                db.DeterminationReleases.Any(x =>
                    x.ReleaseId == release.Id
                    && x.DeterminationId == db.RequestDeterminations.Where(d => d.RequestId == r.Id).OrderByDescending(d => d.Sequence).Select(d => d.Id).FirstOrDefault()
                )
            )
            .OrderBy(r => r.Id)
            .Take(200)
            .ToListAsync(ct);
        var words = Words(release, ReleaseVerdict.Revoked, zone);
        foreach (var request in requests)
        {
            request.RecheckReason = words;
            request.RecheckSince ??= now;
            audit.Add(request.PracticeId, null, AuditEvent.RequestRecheckFlagged(request, release.Id, "revoked"));
        }
        return requests.Count;
    }

    private static string Code(ReleaseVerdict verdict) =>
        verdict switch
        {
            ReleaseVerdict.Revoked => "revoked",
            ReleaseVerdict.Expired => "expired",
            ReleaseVerdict.TextAltered => "text-altered",
            _ => "not-signed",
        };

    /// <summary>Why in words, from plain columns only (the release's kind and dates).</summary>
    private static string Words(Release row, ReleaseVerdict verdict, TimeZoneInfo zone)
    {
        var kind = row.Kind switch
        {
            "psychotherapy-notes" => "psychotherapy-notes release",
            "sud" => "SUD consent",
            _ => "general release",
        };
        var signed = row.SignedAt is { } s ? $" signed {Vocabulary.Date(Practice.DateIn(zone, s))}" : "";
        return verdict switch
        {
            ReleaseVerdict.Revoked => $"The client revoked the {kind}{signed} (revocation dated {(row.RevokedAt is { } r ? Vocabulary.Date(Practice.DateIn(zone, r)) : "unknown")}).",
            ReleaseVerdict.Expired => $"The {kind}{signed} expired on {(row.ExpiresOn is { } e ? Vocabulary.Date(e) : "an unknown date")}.",
            ReleaseVerdict.TextAltered => $"The stored text of the {kind}{signed} no longer matches what the client signed.",
            _ => $"The {kind} is not signed.",
        };
    }
}

/// <summary>A disclosure refused because consent no longer holds (<see cref="ConsentCheck"/>); the request was flagged.</summary>
public sealed class ConsentRefusedException : Exception
{
    public ConsentRefusedException(ConsentResult result)
        : base("consent no longer holds: " + string.Join(",", (result ?? throw new ArgumentNullException(nameof(result))).Problems.Select(p => p.Code))) => Result = result;

    public ConsentRefusedException()
        : this(new ConsentResult([])) { }

    public ConsentRefusedException(string message)
        : base(message) => Result = new ConsentResult([]);

    public ConsentRefusedException(string message, Exception inner)
        : base(message, inner) => Result = new ConsentResult([]);

    public ConsentResult Result { get; }
}
