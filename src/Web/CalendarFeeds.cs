using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Confide.Core;
using Confide.Core.Triage;
using Confide.Data;
using Confide.Data.Audit;
using Confide.Data.Entities;
using Confide.Web.Features.Requests;
using Microsoft.EntityFrameworkCore;

namespace Confide.Web;

/// <summary>
/// Each user's calendar feed of response deadlines: <c>GET /calendar/feed.ics?token=...</c>, no
/// sign-in (calendar apps cannot sign in), the token being the credential. The token is 32 random
/// bytes (base64url), shown once when created; only its SHA-256 is stored. A missing or unknown
/// token is a 404. It is a query parameter, not a path segment: it is a bearer secret, not the id
/// of a resource that access rules guard (the route sweep of tests/Security.Tests tries those).
/// The feed names no client: a calendar is synced to phones and cloud services the practice does
/// not control, and the URL works without a sign-in, so each event carries only the request's
/// short number, what to do and its status.
/// </summary>
internal static class CalendarFeeds
{
    public const int MaxEvents = 500;

    public const string Path = "/calendar/feed.ics";

    public static void MapCalendarFeed(this IEndpointRouteBuilder app) => app.MapGet(Path, ReadAsync).AllowAnonymous();

    /// <summary>A new random token (base64url, 43 characters) and the hash that is stored.</summary>
    public static (string Token, byte[] Hash) NewToken()
    {
        var token = Base64Url(RandomNumberGenerator.GetBytes(32));
        return (token, Hash(token));
    }

    public static byte[] Hash(string token) => SHA256.HashData(Encoding.ASCII.GetBytes(token));

    private static async Task<IResult> ReadAsync(string? token, ConfideDbContext db, IAuditTrail audit, TimeProvider time, CancellationToken ct)
    {
        if (token is null || token.Length != 43 || token.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_')))
        {
            return TypedResults.NotFound();
        }
        var hash = Hash(token);
        // No practice is known yet: row-level security lets this request read the one feed row whose
        // token it holds (the token_lookup policy), then it works as the feed owner's practice.
        db.Scope.UseToken(hash);
        var feed = await db.CalendarFeeds.AsNoTracking().FirstOrDefaultAsync(f => f.TokenHash == hash, ct);
        var user = feed is null ? null : await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == feed.UserId, ct);
        if (user is null || (user.LockoutEnd is { } end && end > time.GetUtcNow()))
        {
            return TypedResults.NotFound();
        }
        db.Scope.Use(user.PracticeId);
        var roles = await db.UserRoles.Where(ur => ur.UserId == user.Id).Join(db.Roles, ur => ur.RoleId, r => r.Id, (_, r) => r.Name).ToListAsync(ct);
        var viewer = new Viewer(user.Id, user.PracticeId, roles.Contains(Roles.Owner), roles.Contains(Roles.Clinician), roles.Contains(Roles.Staff));
        var now = time.GetUtcNow();
        var from = DateOnly.FromDateTime(now.UtcDateTime).AddDays(-30);
        var requests = await RequestAccess.Visible(db, viewer).AsNoTracking().Open()
            .Where(r => (r.RespondBy != null && r.RespondBy >= from) || (r.ObjectBy != null && r.ObjectBy >= from))
            .OrderBy(r => r.ObjectBy ?? r.RespondBy)
            .ThenBy(r => r.Id)
            .Take(MaxEvents)
            .Select(r => new { r.Id, r.RespondBy, r.ObjectBy, r.Outcome, r.Status })
            .ToListAsync(ct);
        // A federal records subpoena has two deadlines: the written objection's, then the response's.
        var events = requests
            .SelectMany(r => new[] { (Due: r.ObjectBy, Objection: true), (Due: r.RespondBy, Objection: false) }
                .Where(d => d.Due is { } due && due >= from)
                .Select(d => new Event(r.Id, d.Due!.Value, r.Outcome, r.Status, d.Objection)))
            .ToList();
        audit.Add(viewer.PracticeId, viewer.UserId, AuditEvent.CalendarFeedRead(viewer.UserId, events.Count));
        await db.SaveChangesAsync(ct);
        return TypedResults.Text(Calendar(events, now), "text/calendar; charset=utf-8");
    }

    private sealed record Event(Guid Id, DateOnly Due, Outcome Outcome, RequestStatus Status, bool Objection);

    /// <summary>RFC 5545: CRLF line ends, lines folded at 75 octets, text escaped.</summary>
    private static string Calendar(List<Event> events, DateTimeOffset now)
    {
        var sb = new StringBuilder();
        void Line(string text)
        {
            var bytes = Encoding.UTF8.GetBytes(text);
            var start = 0;
            var first = true;
            while (start < bytes.Length)
            {
                var max = first ? 75 : 74;
                var end = Math.Min(bytes.Length, start + max);
                while (end < bytes.Length && (bytes[end] & 0xC0) == 0x80)
                {
                    end--; // never split a UTF-8 sequence
                }
                sb.Append(first ? "" : " ").Append(Encoding.UTF8.GetString(bytes, start, end - start)).Append("\r\n");
                start = end;
                first = false;
            }
        }
        var stamp = now.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        Line("BEGIN:VCALENDAR");
        Line("VERSION:2.0");
        Line("PRODID:-//Confide//Response deadlines//EN");
        Line("CALSCALE:GREGORIAN");
        Line("METHOD:PUBLISH");
        Line("X-WR-CALNAME:Confide response deadlines");
        foreach (var e in events)
        {
            var reference = RequestAccess.Short(e.Id);
            Line("BEGIN:VEVENT");
            Line(e.Objection ? $"UID:{e.Id:N}-objection@confide" : $"UID:{e.Id:N}@confide");
            Line($"DTSTAMP:{stamp}");
            Line($"DTSTART;VALUE=DATE:{e.Due.ToString("yyyyMMdd", CultureInfo.InvariantCulture)}");
            Line($"DTEND;VALUE=DATE:{e.Due.AddDays(1).ToString("yyyyMMdd", CultureInfo.InvariantCulture)}");
            Line(
                e.Objection
                    ? $"SUMMARY:{Escape($"Serve the written objection for request {reference} (FRCP 45(d)(2)(B))")}"
                    : $"SUMMARY:{Escape($"Respond to request {reference} ({Wire<Outcome>.Name(e.Outcome)})")}"
            );
            Line($"DESCRIPTION:{Escape($"{Vocabulary.Long(e.Outcome)}. Status: {RequestWords.Status(e.Status).ToLowerInvariant()}. Open request {reference} in Confide for the details.")}");
            Line("TRANSP:TRANSPARENT");
            Line("END:VEVENT");
        }
        Line("END:VCALENDAR");
        return sb.ToString();
    }

    private static string Escape(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal)
            .Replace(";", "\\;", StringComparison.Ordinal)
            .Replace(",", "\\,", StringComparison.Ordinal)
            .Replace("\n", "\\n", StringComparison.Ordinal);

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
