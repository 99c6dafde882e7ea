using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Confide.Core;
using Confide.Core.Law;
using Confide.Core.Releases;
using Confide.Core.Requests;
using Confide.Data;
using Confide.Data.Access;
using Confide.Data.Audit;
using Confide.Data.Crypto;
using Confide.Data.Entities;
using Confide.Documents;
using Microsoft.EntityFrameworkCore;

namespace Confide.Web.Features.Releases;

/// <summary>
/// Client releases in one place for the pages, the portal and triage: the fields each encrypted
/// value is bound to, the one place release content is decrypted (<see cref="OpenAsync"/>, through
/// <see cref="ClientContent"/> with the caller's grant: a practice user's, or a verified portal link's), the
/// text a client is shown (composed by <c>src/Documents</c>), portal tokens (random, stored as
/// SHA-256 only), signing and revocation with their evidence, and the stored releases weighed for
/// a request (<see cref="MatchAsync"/>). Callers add to the context and save once.
/// </summary>
public sealed class ReleaseService(ConfideDbContext db, RecordCipher cipher, ClientContent access, IAuditTrail audit, PracticeClock clock, TimeProvider time, IConfiguration configuration, PortalFailureCounter failures)
{
    /// <summary>How long a sign link works (configuration <c>Confide:PortalSignLinkDays</c>, default 7).</summary>
    public TimeSpan SignLinkLifetime => TimeSpan.FromDays(configuration.GetValue("Confide:PortalSignLinkDays", 7));

    /// <summary>Today in the practice's time zone: releases expire at the end of the practice's day.</summary>
    public Task<DateOnly> TodayAsync(Guid practiceId, CancellationToken ct) => clock.TodayAsync(practiceId, ct);


    /// <summary>A release decrypted: its content, and once signed the text shown, whether that text still has its signing hash, and the evidence.</summary>
    public sealed record Opened(Release Row, ReleaseContent Content, string? ShownText, bool TextIntact, Evidence? Signature, Evidence? Revocation)
    {
        /// <summary>
        /// The release as the matcher sees it, its signing and revocation dated on the practice's day
        /// (<paramref name="zone"/>): triage compares them with the practice's "today", so a revocation
        /// late in a Pacific afternoon, already tomorrow in UTC, takes effect that same day.
        /// </summary>
        public ReleaseState StateIn(TimeZoneInfo zone) =>
            new(
                Row.Id,
                Content,
                Row.SignedAt is { } s ? Practice.DateIn(zone, s) : null,
                Row.UnderstandingConfirmed,
                Row.RevokedAt is { } r ? Practice.DateIn(zone, r) : null,
                TextIntact
            );
    }

    /// <summary>What was recorded when a client signed or revoked: the typed name, when, from where, with which browser, and the hash of the text shown.</summary>
    public sealed record Evidence(string TypedName, DateTimeOffset At, string IpAddress, string UserAgent, string TextSha256);

    /// <summary>The one place a release's encrypted fields are decrypted, under <paramref name="grant"/> (the release's client's).</summary>
    public async Task<Opened> OpenAsync(ClientGrant grant, Release row, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(row);
        var content = ReleaseContent.FromJson(await access.ReadStringAsync(grant, EncryptedFields.ReleaseContent(row), row.ContentCipher, ct));
        string? shown = null;
        var intact = true;
        if (row.ShownTextCipher is not null)
        {
            shown = await access.ReadStringAsync(grant, EncryptedFields.ReleaseShownText(row), row.ShownTextCipher, ct);
            intact = row.ShownTextSha256 is { } hash && CryptographicOperations.FixedTimeEquals(hash, Sha256(shown));
        }
        var signature = row.SignatureCipher is null ? null : JsonSerializer.Deserialize<Evidence>(await access.ReadStringAsync(grant, EncryptedFields.ReleaseSignature(row), row.SignatureCipher, ct));
        var revocation = row.RevocationCipher is null ? null : JsonSerializer.Deserialize<Evidence>(await access.ReadStringAsync(grant, EncryptedFields.ReleaseRevocation(row), row.RevocationCipher, ct));
        return new Opened(row, content, shown, intact, signature, revocation);
    }

    /// <summary>
    /// The client's signed (or revoked) releases weighed for <paramref name="request"/> on
    /// <paramref name="on"/>: valid, same recipient and purpose, covering what is asked, the
    /// widest of each kind.
    /// </summary>
    public async Task<ReleaseMatch> MatchAsync(ClientGrant grant, TriageRequest request, DateOnly on, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(grant);
        var clientId = grant.ClientId;
        var rows = await db.Releases.AsNoTracking()
            .Where(r => r.ClientId == clientId && (r.Status == ReleaseStatus.Signed || r.Status == ReleaseStatus.Revoked))
            .OrderBy(r => r.CreatedAt)
            .Take(200)
            .ToListAsync(ct);
        if (rows.Count == 0)
        {
            return ReleaseMatch.None;
        }
        var zone = await clock.ZoneAsync(grant.PracticeId, ct);
        var states = new List<ReleaseState>(rows.Count);
        foreach (var row in rows)
        {
            states.Add((await OpenAsync(grant, row, ct)).StateIn(zone));
        }
        return ReleaseMatcher.Match(request, states, on);
    }

    /// <summary>A release's basis in one line ("general release to Dana Reyes (for use in a legal proceeding) of progress notes, signed 2026-11-29, through 30 May 2027"), for the determination page and the disclosure log.</summary>
    public async Task<string?> DescribeAsync(ClientGrant grant, Guid releaseId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(grant);
        var row = await db.Releases.AsNoTracking().FirstOrDefaultAsync(r => r.Id == releaseId && r.ClientId == grant.ClientId, ct);
        if (row is null)
        {
            return null;
        }
        var opened = await OpenAsync(grant, row, ct);
        return ReleaseMatcher.Describe(opened.Content, opened.StateIn(await clock.ZoneAsync(grant.PracticeId, ct)).SignedOn);
    }

    /// <summary>The signed PDF, decrypted.</summary>
    public async Task<byte[]> SignedPdfAsync(ClientGrant grant, Release row, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(row);
        return await access.ReadAsync(grant, EncryptedFields.ReleaseSignedPdf(row), row.SignedPdfCipher ?? throw new InvalidOperationException($"release {row.Id:N} is not signed"), ct);
    }

    /// <summary>The form of the release's kind composed from it (unsigned: what the client reads; signed: with the evidence).</summary>
    public static DocumentModel Compose(ReleaseContent content, Practice practice, string? clinicianLicense, DateOnly date, ReleaseSigning? signing)
    {
        ArgumentNullException.ThrowIfNull(practice);
        return DocumentComposer.ComposeRelease(DocumentContext.ForRelease(content, practice.Jurisdiction, practice.Name, clinicianLicense, LawLibrary.Embedded, date, signing));
    }

    /// <summary>The exact text a client is shown before signing (the hash is taken over it).</summary>
    public static string TextShown(ReleaseContent content, Practice practice) =>
        DocumentComposer.PlainText(Compose(content, practice, null, DateOnly.MinValue, null));

    public static byte[] Sha256(string text) => SHA256.HashData(Encoding.UTF8.GetBytes(text));

    public static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);

    /// <summary>Adds a new release (a draft) and its audit entry.</summary>
    public async Task<Release> CreateAsync(Guid practiceId, Guid clientId, ReleaseContent content, Guid actorId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(content);
        var now = time.GetUtcNow();
        var row = new Release
        {
            PracticeId = practiceId,
            ClientId = clientId,
            Kind = Wire<ReleaseKind>.Name(content.Kind),
            Status = ReleaseStatus.Draft,
            Categories = content.Categories.ToString(),
            RecordsFrom = content.Records?.From,
            RecordsThrough = content.Records?.Through,
            ExpiresOn = content.ExpiresOn,
            ContentCipher = [],
            CreatedById = actorId,
            CreatedAt = now,
            UpdatedAt = now,
        };
        row.ContentCipher = await cipher.EncryptAsync(EncryptedFields.ReleaseContent(row), content.ToJson(), ct);
        db.Releases.Add(row);
        audit.Add(practiceId, actorId, AuditEvent.ReleaseCreated(row));
        return row;
    }

    /// <summary>
    /// Makes a new sign link for a complete release (earlier unused sign links stop working) and
    /// returns the token, to be shown once. Null with the problems when the release is incomplete.
    /// </summary>
    public async Task<(string? Token, IReadOnlyList<ReleaseProblem> Problems)> SendAsync(Release row, ReleaseContent content, Guid actorId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(row);
        var problems = ReleaseCompleteness.Check(content, await clock.TodayAsync(row.PracticeId, ct));
        if (problems.Count > 0)
        {
            return (null, problems);
        }
        var now = time.GetUtcNow();
        var earlier = await db.PortalTokens.Where(t => t.ReleaseId == row.Id && t.Purpose == PortalTokenPurpose.Sign && t.UsedAt == null).ToListAsync(ct);
        foreach (var t in earlier)
        {
            t.ExpiresAt = now;
        }
        var (token, hash) = NewToken();
        db.PortalTokens.Add(
            new PortalToken { PracticeId = row.PracticeId, ClientId = row.ClientId, ReleaseId = row.Id, TokenHash = hash, Purpose = PortalTokenPurpose.Sign, CreatedAt = now, ExpiresAt = now + SignLinkLifetime }
        );
        row.Status = ReleaseStatus.Sent;
        row.SentAt = now;
        row.UpdatedAt = now;
        audit.Add(row.PracticeId, actorId, AuditEvent.ReleaseSent(row, hash, now + SignLinkLifetime));
        return (token, []);
    }

    /// <summary>The portal token's row when it may be used now; otherwise records the failure (hash prefix only) and returns null.</summary>
    public async Task<PortalToken?> FindTokenAsync(string? token, CancellationToken ct)
    {
        var hash = Sha256(token ?? "");
        // Anonymous: the hash opens its one token row (row-level security), whose practice the rest of the request works for.
        db.Scope.UseToken(hash);
        var row = string.IsNullOrEmpty(token) || token.Length > 100 ? null : await db.PortalTokens.FirstOrDefaultAsync(t => t.TokenHash == hash, ct);
        if (row is not null)
        {
            db.Scope.Use(row.PracticeId);
        }
        var now = time.GetUtcNow();
        var reason = row switch
        {
            null => "unknown",
            { UsedAt: not null } => "used",
            { LockedAt: not null } => "locked",
            { ExpiresAt: { } expires } when expires <= now => "expired",
            _ => null,
        };
        if (reason is null)
        {
            return row;
        }
        await RecordFailureAsync(reason, hash, row, ct);
        return null;
    }

    /// <summary>Records a portal request refused by the rate limiter (the token's hash prefix when the path has one).</summary>
    public Task RecordRateLimitedAsync(string? token, CancellationToken ct) => RecordFailureAsync("rate-limited", Sha256(token ?? ""), null, ct);

    /// <summary>
    /// Counts a refused portal request (<see cref="PortalFailureCounter"/>) and, the first time its kind
    /// is seen in the window, writes its one row (hash prefix only) and, for a link that exists, its
    /// audit entry: a flood of refusals adds no row per request.
    /// </summary>
    private async Task RecordFailureAsync(string reason, byte[] hash, PortalToken? link, CancellationToken ct)
    {
        var prefix = Prefix(hash);
        if (!failures.Count(reason, link?.PracticeId, prefix))
        {
            return;
        }
        db.PortalFailures.Add(new PortalFailure { At = time.GetUtcNow(), Reason = reason, HashPrefix = prefix, PracticeId = link?.PracticeId });
        if (link is not null)
        {
            audit.Add(link.PracticeId, null, AuditEvent.PortalRefused(link, hash, reason));
        }
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Wrong second checks a revocation link allows before it stops working.</summary>
    public const int MaxSecondChecks = 5;

    /// <summary>
    /// The revocation link's second check: the client's date of birth. A wrong answer is counted on the
    /// link (and audited); the <see cref="MaxSecondChecks"/>th locks it (every later use is the plain 404).
    /// The caller saves.
    /// </summary>
    public async Task<bool> SecondCheckAsync(PortalToken revokeToken, DateOnly? dateOfBirth, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(revokeToken);
        var born = await db.Clients.Where(c => c.Id == revokeToken.ClientId).Select(c => c.DateOfBirth).FirstAsync(ct);
        if (dateOfBirth == born)
        {
            return true;
        }
        revokeToken.FailedChecks++;
        var locked = revokeToken.FailedChecks >= MaxSecondChecks;
        if (locked)
        {
            revokeToken.LockedAt = time.GetUtcNow();
        }
        failures.Count("second-check", revokeToken.PracticeId, Prefix(revokeToken.TokenHash));
        audit.Add(revokeToken.PracticeId, null, AuditEvent.PortalRefused(revokeToken, revokeToken.TokenHash, locked ? "locked" : "second-check"));
        return false;
    }

    /// <summary>
    /// Signs the release: stores the text shown and its hash, the evidence, the signed PDF, uses up
    /// the sign link and makes two links, returned and shown once: one to download the signed copy, and
    /// one to revoke (never printed on the PDF, which is often forwarded to the recipient).
    /// </summary>
    public async Task<(string CopyToken, string RevokeToken)> SignAsync(Opened release, PortalToken signToken, Practice practice, string shownText, string typedName, string ip, string userAgent, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(release);
        ArgumentNullException.ThrowIfNull(signToken);
        var row = release.Row;
        var now = time.GetUtcNow();
        var hash = Sha256(shownText);
        var evidence = new Evidence(typedName.Trim(), now, ip, userAgent, Hex(hash));
        var (revokeToken, revokeHash) = NewToken();
        var (copyToken, copyHash) = NewToken();
        var license = await db.Users.Where(u => u.Id == row.CreatedById).Select(u => u.LicenseNumber).FirstOrDefaultAsync(ct);
        var model = Compose(release.Content, practice, license, await clock.TodayAsync(row.PracticeId, ct), new ReleaseSigning(evidence.TypedName, now, ip, userAgent, evidence.TextSha256));
        var pdf = new Confide.Documents.Pdf.PdfRenderer(PaperSize.Letter).Render(model);
        row.ShownTextCipher = await cipher.EncryptAsync(EncryptedFields.ReleaseShownText(row), shownText, ct);
        row.ShownTextSha256 = hash;
        row.SignatureCipher = await cipher.EncryptAsync(EncryptedFields.ReleaseSignature(row), JsonSerializer.Serialize(evidence), ct);
        row.SignedPdfCipher = await cipher.EncryptAsync(EncryptedFields.ReleaseSignedPdf(row), pdf, ct);
        row.UnderstandingConfirmed = true;
        row.Status = ReleaseStatus.Signed;
        row.SignedAt = now;
        row.UpdatedAt = now;
        signToken.UsedAt = now;
        db.PortalTokens.Add(new PortalToken { PracticeId = row.PracticeId, ClientId = row.ClientId, ReleaseId = row.Id, TokenHash = revokeHash, Purpose = PortalTokenPurpose.Revoke, CreatedAt = now });
        db.PortalTokens.Add(new PortalToken { PracticeId = row.PracticeId, ClientId = row.ClientId, ReleaseId = row.Id, TokenHash = copyHash, Purpose = PortalTokenPurpose.Copy, CreatedAt = now });
        audit.Add(row.PracticeId, null, AuditEvent.ReleaseSigned(row, signToken.TokenHash, evidence.TextSha256));
        return (copyToken, revokeToken);
    }

    /// <summary>Revokes the release in writing, with the same evidence as a signature. Earlier disclosures stand; triage no longer uses it.</summary>
    public async Task RevokeAsync(Opened release, PortalToken revokeToken, string typedName, string ip, string userAgent, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(revokeToken);
        await RevokeAsync(release, typedName, ip, userAgent, null, AuditEvent.ReleaseRevoked(release.Row, revokeToken.TokenHash), ct);
    }

    /// <summary>
    /// Records a revocation the client made in writing to the practice (a letter, a form), entered by
    /// <paramref name="actorId"/>: the same effect as one through the portal. <paramref name="clientName"/> is the name the client signed it with.
    /// </summary>
    public Task RevokeForClientAsync(Opened release, string clientName, Guid actorId, string ip, string userAgent, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(release);
        return RevokeAsync(release, clientName, ip, userAgent, actorId, AuditEvent.ReleaseRevokedByPractice(release.Row), ct);
    }

    private async Task RevokeAsync(Opened release, string typedName, string ip, string userAgent, Guid? actorId, AuditEvent entry, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(release);
        var row = release.Row;
        var now = time.GetUtcNow();
        var evidence = new Evidence(typedName.Trim(), now, ip, userAgent, row.ShownTextSha256 is { } h ? Hex(h) : "");
        row.RevocationCipher = await cipher.EncryptAsync(EncryptedFields.ReleaseRevocation(row), JsonSerializer.Serialize(evidence), ct);
        row.Status = ReleaseStatus.Revoked;
        row.RevokedAt = now;
        row.UpdatedAt = now;
        audit.Add(row.PracticeId, actorId, entry);
        // Every open request whose current determination relied on it needs a new look before anything leaves.
        await ConsentCheck.FlagRevokedAsync(db, audit, row, await clock.ZoneAsync(row.PracticeId, ct), now, ct);
    }

    public static string PortalUrl(string baseUrl, string token) => $"{baseUrl.TrimEnd('/')}/portal/{token}";

    /// <summary>The first 8 hex digits of a token's hash: enough to tell log lines apart, useless to open a link.</summary>
    public static string Prefix(byte[] hash) => Hex(hash)[..8];

    private static (string Token, byte[] Hash) NewToken()
    {
        var token = Base64Url(RandomNumberGenerator.GetBytes(32));
        return (token, Sha256(token));
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>The categories column read back.</summary>
    public static CategorySet CategoriesOf(Release row)
    {
        ArgumentNullException.ThrowIfNull(row);
        var set = CategorySet.Empty;
        foreach (var name in row.Categories.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            if (Categories.TryParse(name, out var c))
            {
                set = set.With(c);
            }
        }
        return set;
    }

    /// <summary>A release's status as a person reads it, expiry computed on <paramref name="today"/>.</summary>
    public static string StatusWords(Release row, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(row);
        return row.Status switch
        {
            ReleaseStatus.Draft => "Draft",
            ReleaseStatus.Sent => "Sent, waiting for the client",
            ReleaseStatus.Signed when row.ExpiresOn is { } e && today > e => $"Expired {Vocabulary.Date(e)}",
            ReleaseStatus.Signed => "Signed",
            ReleaseStatus.Revoked => $"Revoked {(row.RevokedAt is { } revoked ? Vocabulary.Date(DateOnly.FromDateTime(revoked.UtcDateTime)) : "")}",
            _ => row.Status.ToString(),
        };
    }
}
