using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Confide.Core;
using Confide.Core.Triage;
using Confide.Data.Audit;
using Confide.Data.Entities;
using Confide.Web.Features.Requests;
using Confide.Web.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Confide.Web.Tests;

/// <summary>
/// The queue, the calendar feed and the home page on the demo practice, whose deadlines fall around
/// a fixed "today" (<see cref="DemoClock.Today"/>, Monday 2026-06-15) from the app's injected clock:
/// one request overdue (06-14), one due within 3 days (06-17), others later.
/// </summary>
public abstract partial class RequestQueueTests<TApp>(TApp app) : IClassFixture<TApp>
    where TApp : AppFactory
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly string[] ClientNames = ["Ana Ferreira", "Rosa Delgado", "Leo Hart", "Ferreira", "Delgado", "Holloway", "fictional"];


    private async Task<Guid> RecordAsync(Browser browser, Guid clientId, List<(string Name, string Value)> fields)
    {
        var url = $"/Requests/Intake?clientId={clientId}";
        return RequestTests<TApp>.RequestIdFrom(await browser.SubmitAsync(url, url, [.. fields]));
    }

    /// <summary>Every row of the queue, page after page: (request id, mark).</summary>
    private static async Task<List<(Guid Id, string Mark)>> QueueAsync(Browser browser, string show)
    {
        var rows = new List<(Guid, string)>();
        for (var page = 1; page < 50; page++)
        {
            var html = await browser.GetPageAsync($"/Requests?show={show}&p={page}");
            rows.AddRange(RowPattern().Matches(html).Select(m => (Guid.Parse(m.Groups[1].Value), m.Groups[2].Value)));
            if (!html.Contains("rel=\"next\"", StringComparison.Ordinal))
            {
                return rows;
            }
        }
        throw new InvalidOperationException("the queue does not end");
    }

    [GeneratedRegex("<tr data-request=\"([0-9a-f-]{36})\" data-mark=\"([a-z-]+)\">")]
    private static partial Regex RowPattern();

    [Fact]
    public async Task Queue_OpenRequestsByDeadline_NoDeadlineLast_OverdueAndDueWithin3DaysMarked_FromTheInjectedClock()
    {
        var rosa = await DemoAccess.ClientIdAsync(app, "Rosa Delgado (fictional)");
        var ownerId = await app.UserIdAsync(RequestTests<TApp>.Owner);
        using var owner = await app.SignedInAsync(RequestTests<TApp>.Owner);
        var letter = RequestTests<TApp>.With(
            RequestTests<TApp>.With(RequestTests<TApp>.With(RequestTests<TApp>.Subpoena(ownerId), "Input.Instrument", "letter"), "Input.Forum"),
            "Input.Kind"
        );
        var today = await RecordAsync(owner, rosa, RequestTests<TApp>.With(letter, "Input.RespondBy", "2026-06-15"));
        var inThree = await RecordAsync(owner, rosa, RequestTests<TApp>.With(letter, "Input.RespondBy", "2026-06-18"));
        var inFour = await RecordAsync(owner, rosa, RequestTests<TApp>.With(letter, "Input.RespondBy", "2026-06-19"));
        var none = await RecordAsync(owner, rosa, RequestTests<TApp>.With(letter, "Input.RespondBy"));

        var queue = await QueueAsync(owner, "open");

        await using var db = app.NewDbContext();
        var due = await db.Requests.AsNoTracking().Where(r => r.PracticeId == DemoSeeder.PracticeId).ToDictionaryAsync(r => r.Id, Ct);
        Assert.All(queue, row => Assert.True(due[row.Id].Status is RequestStatus.Received or RequestStatus.UnderReview));
        Assert.Equal(due.Values.Count(r => r.Status is RequestStatus.Received or RequestStatus.UnderReview), queue.Count);
        // By the first deadline (an objection's comes before the response's; see the federal subpoena test).
        var dates = queue.Select(row => RequestAccess.FirstDeadline(due[row.Id].ObjectBy, due[row.Id].RespondBy)).ToList();
        Assert.Equal(dates.Where(d => d is not null).Order().Cast<DateOnly?>().Concat(dates.Where(d => d is null)), dates);
        string MarkOf(Guid id) => queue.Single(row => row.Id == id).Mark;
        string MarkOn(DateOnly date) => queue.First(row => due[row.Id].RespondBy == date).Mark;
        Assert.Equal("overdue", MarkOn(new DateOnly(2026, 6, 14))); // the demo's insurer letter, a day late
        Assert.Equal("due-soon", MarkOf(today));
        Assert.Equal("due-soon", MarkOn(new DateOnly(2026, 6, 17))); // the demo's subpoena
        Assert.Equal("due-soon", MarkOf(inThree));
        Assert.Equal("none", MarkOf(inFour));
        Assert.Equal("none", MarkOf(none));
        Assert.Equal(none, queue[^1].Id);
        Assert.Equal("overdue", queue[0].Mark);

        // Closed and responded requests are not in the open queue but are under "done".
        var done = await QueueAsync(owner, "done");
        Assert.NotEmpty(done);
        Assert.All(done, row => Assert.Equal("none", row.Mark));
        Assert.Empty(done.Select(r => r.Id).Intersect(queue.Select(r => r.Id)));
    }

    [Fact]
    public async Task Queue_IsPaged_AndAClinicianSeesOnlyTheirClientsRequests()
    {
        var leo = await DemoAccess.ClientIdAsync(app, "Leo Hart (fictional)");
        await AddOpenRequestsAsync(RequestAccess.PageSize + 2);
        using var owner = await app.SignedInAsync(RequestTests<TApp>.Owner);
        using var priya = await app.SignedInAsync(RequestTests<TApp>.Priya);

        var first = await owner.GetPageAsync("/Requests?show=all");
        var all = await QueueAsync(owner, "all");
        var priyaAll = await QueueAsync(priya, "all");

        Assert.Equal(RequestAccess.PageSize, RowPattern().Matches(first).Count);
        Assert.Contains("rel=\"next\"", first, StringComparison.Ordinal);
        Assert.Equal(all.Count, all.Select(r => r.Id).Distinct().Count());
        await using var db = app.NewDbContext();
        Assert.Equal(await db.Requests.CountAsync(r => r.PracticeId == DemoSeeder.PracticeId, Ct), all.Count);
        var leos = await db.Requests.Where(r => r.ClientId == leo).Select(r => r.Id).ToListAsync(Ct);
        Assert.Equal(leos.Order(), priyaAll.Select(r => r.Id).Order()); // Priya has only Leo
    }

    /// <summary>Adds open letters for Rosa straight through RequestService (the intake form's path after parsing), due in 2027.</summary>
    private async Task AddOpenRequestsAsync(int count)
    {
        var rosaId = await DemoAccess.ClientIdAsync(app, "Rosa Delgado (fictional)");
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Data.ConfideDbContext>();
        db.Scope.Use(DemoSeeder.PracticeId);
        var requestService = scope.ServiceProvider.GetRequiredService<RequestService>();
        var practice = await db.Practices.AsNoTracking().SingleAsync(p => p.Id == DemoSeeder.PracticeId, Ct);
        var rosa = await db.Clients.AsNoTracking().SingleAsync(c => c.Id == rosaId, Ct);
        var owner = await db.Users.AsNoTracking().SingleAsync(u => u.Email == RequestTests<TApp>.Owner.Email, Ct);
        var reader = new Data.Access.Reader(owner.Id, DemoSeeder.PracticeId, IsOwner: true, IsClinician: true, IsStaff: false);
        var grant = (await scope.ServiceProvider.GetRequiredService<Data.Access.ClientContent>().OpenAsync(reader, rosa.Id, Data.Access.ContentPurpose.Record, null, Ct)).Grant!;
        var filled = await requestService.FillAsync(grant, practice, rosa, owner, Ct);
        for (var i = 0; i < count; i++)
        {
            var input = new IntakeInput { Instrument = "letter", Requester = "employer", Requested = ["attendance"], Profession = "psychologist", RespondBy = $"2027-01-{i + 1:00}" };
            var (json, result) = RequestService.Parse(input, practice, filled);
            await requestService.CreateAsync(grant, rosa, owner.Id, owner.Id, json, result.Request!, file: null, reason: null, Ct);
        }
        await db.SaveChangesAsync(Ct);
    }

    [Fact]
    public async Task CalendarFeed_RightToken_DeadlinesWithoutClientNames_WrongToken404_NewAddressRetiresTheOld()
    {
        using var owner = await app.SignedInAsync(RequestTests<TApp>.Owner);
        using var sam = await app.SignedInAsync(RequestTests<TApp>.Sam);
        using var anonymous = new Browser(app);
        Assert.Contains("The feed names no client", await owner.GetTextAsync("/Calendar"), StringComparison.Ordinal);

        var token = await NewFeedAsync(owner);
        var feed = await anonymous.GetAsync($"/calendar/feed.ics?token={token}");

        Assert.Equal(HttpStatusCode.OK, feed.StatusCode);
        Assert.Equal("text/calendar", feed.Content.Headers.ContentType?.MediaType);
        var ics = await feed.Content.ReadAsStringAsync(Ct);
        Assert.StartsWith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n", ics, StringComparison.Ordinal);
        Assert.EndsWith("END:VCALENDAR\r\n", ics, StringComparison.Ordinal);
        await using var db = app.NewDbContext();
        var open = await db.Requests.AsNoTracking()
            .Where(r => r.PracticeId == DemoSeeder.PracticeId && r.RespondBy != null && (r.Status == RequestStatus.Received || r.Status == RequestStatus.UnderReview))
            .ToListAsync(Ct);
        Assert.Contains(open, r => r.RespondBy == new DateOnly(2026, 6, 14));
        foreach (var r in open)
        {
            Assert.Contains($"UID:{r.Id:N}@confide\r\n", ics, StringComparison.Ordinal);
            Assert.Contains($"DTSTART;VALUE=DATE:{r.RespondBy:yyyyMMdd}\r\n", ics, StringComparison.Ordinal);
            Assert.Contains($"SUMMARY:Respond to request {RequestAccess.Short(r.Id)} ({Wire<Outcome>.Name(r.Outcome)})", ics, StringComparison.Ordinal);
        }
        var closed = await db.Requests.AsNoTracking().Where(r => r.PracticeId == DemoSeeder.PracticeId && r.Status == RequestStatus.Closed).Select(r => r.Id).ToListAsync(Ct);
        Assert.All(closed, id => Assert.DoesNotContain(id.ToString("N"), ics, StringComparison.Ordinal));
        foreach (var name in ClientNames)
        {
            Assert.DoesNotContain(name, ics, StringComparison.OrdinalIgnoreCase);
        }
        var ownerId = await app.UserIdAsync(RequestTests<TApp>.Owner);
        var stored = await db.CalendarFeeds.AsNoTracking().SingleAsync(f => f.UserId == ownerId, Ct);
        Assert.Equal(SHA256.HashData(Encoding.ASCII.GetBytes(token)), stored.TokenHash);
        Assert.True(await db.AuditEntries.AnyAsync(e => e.Action == AuditActions.CalendarRead && e.ActorUserId == ownerId, Ct));

        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync($"/calendar/feed.ics?token={token[..^1]}{(token[^1] == 'A' ? 'B' : 'A')}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/calendar/feed.ics?token=not-a-token")).StatusCode);
        var replaced = await NewFeedAsync(owner);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync($"/calendar/feed.ics?token={token}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync($"/calendar/feed.ics?token={replaced}")).StatusCode);

        // A clinician's feed holds their clients' deadlines only: Sam has Ana and Rosa, not Leo.
        var samIcs = await (await anonymous.GetAsync($"/calendar/feed.ics?token={await NewFeedAsync(sam)}")).Content.ReadAsStringAsync(Ct);
        var leo = await DemoAccess.ClientIdAsync(app, "Leo Hart (fictional)");
        Assert.Contains(open, r => r.ClientId == leo);
        foreach (var r in open)
        {
            Assert.Equal(r.ClientId != leo, samIcs.Contains($"UID:{r.Id:N}@confide", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task FederalRecordsSubpoena_ObjectionDeadline_OnItsPage_InTheQueue_AndInTheCalendar_AStateOneHasNone()
    {
        var rosa = await DemoAccess.ClientIdAsync(app, "Rosa Delgado (fictional)");
        var ownerId = await app.UserIdAsync(RequestTests<TApp>.Owner);
        using var owner = await app.SignedInAsync(RequestTests<TApp>.Owner);
        // Served 2026-06-05, production asked for 2026-07-31: the objection is due 14 days after service.
        var federal = RequestTests<TApp>.With(
            RequestTests<TApp>.With(
                RequestTests<TApp>.With(RequestTests<TApp>.With(RequestTests<TApp>.Subpoena(ownerId), "Input.Forum", "federal"), "Input.RuleOfDecision", "federal"),
                "Input.RespondBy",
                "2026-07-31"
            ),
            "Input.ReceivedOn",
            "2026-06-05"
        );
        var id = await RecordAsync(owner, rosa, federal);
        var state = await RecordAsync(owner, rosa, RequestTests<TApp>.Subpoena(ownerId));

        await using var db = app.NewDbContext();
        var stored = await db.Requests.AsNoTracking().SingleAsync(r => r.Id == id, Ct);
        Assert.Equal(new DateOnly(2026, 6, 19), stored.ObjectBy);
        Assert.Equal(new DateOnly(2026, 7, 31), stored.RespondBy);
        Assert.Null((await db.Requests.AsNoTracking().SingleAsync(r => r.Id == state, Ct)).ObjectBy);

        var page = await owner.GetPageAsync($"/Requests/{id}");
        Assert.Contains("id=\"object-by\" data-object-by=\"2026-06-19\"", page, StringComparison.Ordinal);
        Assert.Contains("Serve the written objection to the subpoena by <strong>June 19, 2026</strong>", page, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"object-by\"", await owner.GetPageAsync($"/Requests/{state}"), StringComparison.Ordinal);

        // The queue orders by the first deadline (the objection's) and shows both.
        var queue = await QueueAsync(owner, "open");
        var html = await owner.GetPageAsync("/Requests?show=open");
        Assert.Contains("data-object-by=\"2026-06-19\">object by June 19, 2026", html, StringComparison.Ordinal);
        var all = await db.Requests.AsNoTracking().Where(r => r.PracticeId == DemoSeeder.PracticeId).ToDictionaryAsync(r => r.Id, Ct);
        var first = queue.Select(row => RequestAccess.FirstDeadline(all[row.Id].ObjectBy, all[row.Id].RespondBy)).ToList();
        Assert.Equal(first.Where(d => d is not null).Order().Cast<DateOnly?>().Concat(first.Where(d => d is null)), first);

        // Due this week on the home page, as the written objection.
        Assert.Contains("June 19, 2026 (written objection)", await owner.GetPageAsync("/Home"), StringComparison.Ordinal);

        using var anonymous = new Browser(app);
        var ics = await (await anonymous.GetAsync($"/calendar/feed.ics?token={await NewFeedAsync(owner)}")).Content.ReadAsStringAsync(Ct);
        Assert.Contains($"UID:{id:N}-objection@confide\r\nDTSTAMP:", ics, StringComparison.Ordinal);
        Assert.Contains($"SUMMARY:Serve the written objection for request {RequestAccess.Short(id)} (FRCP 45(d)(2)(B))", ics, StringComparison.Ordinal);
        var objection = ics[ics.IndexOf($"UID:{id:N}-objection@confide", StringComparison.Ordinal)..];
        Assert.Contains("DTSTART;VALUE=DATE:20260619\r\n", objection[..objection.IndexOf("END:VEVENT", StringComparison.Ordinal)], StringComparison.Ordinal);
        var response = ics[ics.IndexOf($"UID:{id:N}@confide", StringComparison.Ordinal)..];
        Assert.Contains("DTSTART;VALUE=DATE:20260731\r\n", response[..response.IndexOf("END:VEVENT", StringComparison.Ordinal)], StringComparison.Ordinal);
        Assert.DoesNotContain($"{state:N}-objection", ics, StringComparison.Ordinal);
    }

    private static async Task<string> NewFeedAsync(Browser browser)
    {
        var page = await browser.SubmitAsync("/Calendar", "/Calendar?handler=Create");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var match = FeedPattern().Match(await page.Content.ReadAsStringAsync(Ct));
        Assert.True(match.Success, "no feed address on the page");
        return match.Groups[1].Value;
    }

    [GeneratedRegex("id=\"feed-url\">http://[^/]+/calendar/feed\\.ics\\?token=([A-Za-z0-9_-]{43})<")]
    private static partial Regex FeedPattern();

    [Fact]
    public async Task Home_ChartCountsRequestsByOutcomeOverTwelveMonths_DueThisWeek_ActivityWithoutClientNames()
    {
        var rosa = await DemoAccess.ClientIdAsync(app, "Rosa Delgado (fictional)");
        var ownerId = await app.UserIdAsync(RequestTests<TApp>.Owner);
        using var owner = await app.SignedInAsync(RequestTests<TApp>.Owner);
        var before = Chart(await owner.GetPageAsync("/Home"));
        Assert.Equal(Enum.GetValues<Outcome>().Length, before.Count);
        Assert.All(before.Values, count => Assert.True(count >= 1)); // the demo has one in every outcome
        await using (var db = app.NewDbContext())
        {
            var from = DemoClock.Today.AddMonths(-12);
            var expected = await db.Requests.Where(r => r.PracticeId == DemoSeeder.PracticeId && r.ReceivedOn > from).GroupBy(r => r.Outcome).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(Ct);
            Assert.Equal(expected.ToDictionary(e => Wire<Outcome>.Name(e.Key), e => e.Count).OrderBy(e => e.Key), before.OrderBy(e => e.Key));
        }

        await RecordAsync(owner, rosa, RequestTests<TApp>.Subpoena(ownerId)); // assert-privilege, received 2026-06-12
        await RecordAsync(owner, rosa, RequestTests<TApp>.With(RequestTests<TApp>.Subpoena(ownerId), "Input.ReceivedOn", "2025-05-01")); // older than 12 months
        var home = await owner.GetTextAsync("/Home");
        var after = Chart(home);

        Assert.Equal(before["assert-privilege"] + 1, after["assert-privilege"]);
        Assert.Equal(before.Where(e => e.Key != "assert-privilege"), after.Where(e => e.Key != "assert-privilege"));
        Assert.Contains("<svg", home, StringComparison.Ordinal);
        var due = Section(home, "due");
        Assert.Contains("June 14, 2026", due, StringComparison.Ordinal);
        Assert.Contains("overdue", due, StringComparison.Ordinal);
        Assert.Contains("June 17, 2026", due, StringComparison.Ordinal);
        Assert.DoesNotContain("June 25, 2026", due, StringComparison.Ordinal); // the demo's verbal order: 10 days out
        var activity = Section(home, "activity");
        Assert.Contains(AuditActions.RequestCreate, activity, StringComparison.Ordinal);
        foreach (var name in ClientNames)
        {
            Assert.DoesNotContain(name, activity, StringComparison.OrdinalIgnoreCase);
        }

        // A clinician's chart counts their clients' requests only.
        using var priya = await app.SignedInAsync(RequestTests<TApp>.Priya);
        var priyas = Chart(await priya.GetPageAsync("/Home"));
        Assert.Equal(2, priyas.Values.Sum()); // Leo's verbal order and mandated report
        Assert.Equal(1, priyas["mandated-report"]);
    }

    private static Dictionary<string, int> Chart(string html) =>
        BarPattern().Matches(html).ToDictionary(m => m.Groups[1].Value, m => int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture));

    private static string Section(string html, string id)
    {
        var start = html.IndexOf($"id=\"{id}\"", StringComparison.Ordinal);
        return html[start..html.IndexOf("</section>", start, StringComparison.Ordinal)];
    }

    [GeneratedRegex("<g class=\"bar\" data-outcome=\"([a-z-]+)\" data-count=\"(\\d+)\">")]
    private static partial Regex BarPattern();
}

public sealed class SqliteRequestQueueTests(SqliteClockedDemoApp app) : RequestQueueTests<SqliteClockedDemoApp>(app);

public sealed class PostgresRequestQueueTests(PostgresClockedDemoApp app) : RequestQueueTests<PostgresClockedDemoApp>(app);
