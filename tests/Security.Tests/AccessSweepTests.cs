using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;

namespace Confide.Security.Tests;

/// <summary>
/// Every route that takes an id, tried with the real ids of resources the signed-in person must not
/// see: another clinician's client and its record items and attachments, from the same practice and
/// from another one, through the person's own client (mixed ids), and psychotherapy notes (their
/// author's only) as the owner and as a records custodian with a reason. Each attempt must be a 404
/// or 403 that carries none of the seeded marker strings (body or headers), and a POST must change
/// nothing. Routes are discovered from the app, so a new one is swept without being listed here.
/// </summary>
public abstract class AccessSweep(SweepFixture fixture)
{
    private World World => fixture.World;

    private string Suffix => fixture.App is PostgresSecurityApp ? "-postgres" : "";

    /// <summary>How the caller is signed in: with a TOTP code (the attempt must be a 404 or 403), with a password only, or not at all (also allowed: the redirect to sign-in or to two-factor).</summary>
    private enum Caller
    {
        SignedIn,
        PasswordOnly,
        Anonymous,
    }

    private sealed record Scenario(string Name, World.Account Intruder, IReadOnlyDictionary<Resource, Guid> Ids, IReadOnlySet<Resource> Victims, string? Query = null, Caller Caller = Caller.SignedIn);

    private IEnumerable<Scenario> Scenarios()
    {
        var victim = World.Victim;
        Dictionary<Resource, Guid> Ids(World.Account caller, params (Resource Kind, Guid Id)[] overrides)
        {
            var ids = new Dictionary<Resource, Guid>(victim) { [Resource.User] = caller.Id };
            foreach (var (kind, id) in overrides)
            {
                ids[kind] = id;
            }
            return ids;
        }
        HashSet<Resource> all = [Resource.Client, Resource.RecordItem, Resource.Attachment, Resource.Request, Resource.Determination, Resource.RequestFile, Resource.Release, Resource.Packet];
        HashSet<Resource> belowClient = [Resource.RecordItem, Resource.Attachment, Resource.Request, Resource.Determination, Resource.RequestFile, Resource.Release, Resource.Packet];
        HashSet<Resource> noteIds = [Resource.RecordItem, Resource.Attachment]; // the owner and staff see the client's requests: only the note is out of reach
        yield return new("clinician Two (same practice, not assigned)", World.ClinicianTwo, Ids(World.ClinicianTwo), all);
        yield return new("Beta's owner (another practice)", World.OwnerB, Ids(World.OwnerB), all);
        yield return new("clinician Two, through Two's own client", World.ClinicianTwo, Ids(World.ClinicianTwo, (Resource.Client, World.ClientOfTwo)), belowClient);
        yield return new("Beta's owner, through Beta's own client", World.OwnerB, Ids(World.OwnerB, (Resource.Client, World.ClientOfB)), belowClient);
        yield return new(
            "clinician Two, through Two's own request",
            World.ClinicianTwo,
            Ids(World.ClinicianTwo, (Resource.Client, World.ClientOfTwo), (Resource.Request, World.RequestOfTwo)),
            new HashSet<Resource> { Resource.RecordItem, Resource.Attachment, Resource.Determination, Resource.RequestFile, Resource.Packet }
        );
        // Releases are the clinical team's: staff (records custodians) do not open them, reason or not.
        yield return new("Alpha's records staff, One's client's release", World.StaffA, Ids(World.StaffA), new HashSet<Resource> { Resource.Release }, "reason=records-request");
        yield return new("Alpha's owner, One's psychotherapy note", World.OwnerA, Ids(World.OwnerA, (Resource.RecordItem, World.Note), (Resource.Attachment, World.NoteAttachment)), noteIds);
        yield return new("Alpha's owner, the note's attachment under a visible item", World.OwnerA, Ids(World.OwnerA, (Resource.Attachment, World.NoteAttachment)), new HashSet<Resource> { Resource.Attachment });
        yield return new(
            "records custodian with a reason, One's psychotherapy note",
            World.StaffA,
            Ids(World.StaffA, (Resource.RecordItem, World.Note), (Resource.Attachment, World.NoteAttachment)),
            noteIds,
            "reason=records-request"
        );
        // The same owner who would see everything, before the TOTP step: nothing opens.
        yield return new("an owner signed in with a password only", World.PasswordOnlyOwner, Ids(World.PasswordOnlyOwner), all, Caller: Caller.PasswordOnly);
        yield return new("anonymous", World.PasswordOnlyOwner, Ids(World.PasswordOnlyOwner), all, Caller: Caller.Anonymous);
    }

    private async Task<Session> SessionAsync(Scenario scenario) =>
        scenario.Caller switch
        {
            Caller.SignedIn => await fixture.SignInAsync(scenario.Intruder),
            Caller.PasswordOnly => await fixture.SignInWithPasswordOnlyAsync(scenario.Intruder),
            _ => new Session(fixture.App, "anonymous"),
        };

    /// <summary>A 404 or 403; before a full sign-in also the redirect to sign-in or to the two-factor page.</summary>
    private static bool Refused(Scenario scenario, Session.Response response) =>
        response.Status is HttpStatusCode.NotFound or HttpStatusCode.Forbidden
        || (
            scenario.Caller != Caller.SignedIn
            && response.Status is HttpStatusCode.Redirect or HttpStatusCode.Unauthorized
            && (response.Location ?? "").Split('?')[0] is "/Account/SignIn" or "/Account/TwoFactorRequired" or "http://localhost/Account/SignIn" or "http://localhost/Account/TwoFactorRequired"
        );

    [Fact]
    public async Task EveryIdRoute_AsSomeoneWhoMustNotSeeIt_Is404Or403_WithNoDataAndNoChange()
    {
        var routes = await RouteCatalog.DiscoverAsync(fixture.App.Services);
        var targets = routes.SelectMany(r => r.Handlers.Where(h => r.AllIds(h).Any()).Select(h => (Route: r, Handler: h))).ToList();
        Assert.True(targets.Count > 0, "no route that takes an id was discovered: the sweep would test nothing");

        var log = new StringBuilder();
        var failures = new List<string>();
        var exercised = targets.ToDictionary(t => t.Route.Describe(t.Handler), _ => 0);

        // The real ids first, as their author: each GET answers (so the 404s below are not for made-up URLs).
        using (var author = await fixture.SignInAsync(World.ClinicianOne))
        {
            var authorIds = new Dictionary<Resource, Guid>(World.Victim) { [Resource.User] = World.ClinicianOne.Id };
            var seen = new HashSet<string>();
            foreach (var (route, handler) in targets.Where(t => t.Handler.Method == "GET"))
            {
                var url = route.Url(handler, authorIds)!;
                var response = await author.GetAsync(url);
                log.AppendLine($"  control  {(int)response.Status} {route.Describe(handler)}  as the author: {url}");
                if ((int)response.Status >= 400)
                {
                    failures.Add($"{route.Describe(handler)} as the author of the resources gave {(int)response.Status} for {url}: the sweep's ids or parameters are wrong for this route");
                }
                seen.UnionWith(World.Markers.Where(m => response.Everything.Contains(m, StringComparison.Ordinal)));
            }
            Assert.True(seen.Count > 0, "the author saw none of the markers: the marker check would prove nothing");
        }

        foreach (var scenario in Scenarios())
        {
            using var intruder = await SessionAsync(scenario);
            var tokenPage = scenario.Caller switch
            {
                Caller.SignedIn => "/Clients",
                Caller.PasswordOnly => "/Account/Authenticator",
                _ => "/Account/SignIn",
            };
            foreach (var (route, handler) in targets)
            {
                var ids = route.AllIds(handler).ToList();
                if (!ids.Any(p => scenario.Victims.Contains(p.Kind)))
                {
                    continue; // nothing in this URL is out of the caller's reach in this scenario
                }
                var url = route.Url(handler, scenario.Ids, scenario.Query);
                if (url is null)
                {
                    continue;
                }
                var what = route.Describe(handler);
                exercised[what]++;
                var response = await AttemptAsync(intruder, handler, url, tokenPage, () => failures.Add($"{what} as {scenario.Name}: the refused request changed the database ({url})"));
                // The same request with made-up ids in place of the victim's: a refusal must not tell a real id from a made-up one.
                var madeUp = new Dictionary<Resource, Guid>(scenario.Ids);
                foreach (var kind in scenario.Victims)
                {
                    madeUp[kind] = Guid.CreateVersion7();
                }
                var control = await AttemptAsync(intruder, handler, route.Url(handler, madeUp, scenario.Query)!, tokenPage, () => { });
                log.AppendLine($"  {(int)response.Status,3}      {what}  as {scenario.Name}: {url}");
                var victimIds = ids.Where(p => scenario.Victims.Contains(p.Kind)).ToList();
                var onlyComparedTokens = victimIds.TrueForAll(p => ParameterKinds.IsComparedOnly(p.Name));
                if (!Refused(scenario, response) && !(onlyComparedTokens && response.Status == HttpStatusCode.Conflict))
                {
                    failures.Add($"{what} as {scenario.Name}: {(int)response.Status} {response.Location} (expected 404 or 403{(scenario.Caller == Caller.SignedIn ? "" : ", or the way to sign-in")}) for {url}");
                }
                if (control.Status != response.Status)
                {
                    failures.Add($"{what} as {scenario.Name}: {(int)response.Status} for the real ids but {(int)control.Status} for made-up ones: the answer tells that the resource exists ({url})");
                }
                foreach (var marker in World.Markers.Where(m => response.Everything.Contains(m, StringComparison.Ordinal)))
                {
                    failures.Add($"{what} as {scenario.Name}: the response carries {marker} ({url})");
                }
            }
        }
        foreach (var (what, count) in exercised.Where(e => e.Value == 0))
        {
            failures.Add($"{what} was not tried by any scenario: seed the resource its parameters name (tests/Security.Tests/World.cs) and give it to the scenarios");
        }

        Report.Write("access-sweep" + Suffix, $"Routes with ids ({targets.Count} route-handler pairs), each tried as people who must not see the resource:", log, failures);
        Assert.True(failures.Count == 0, $"{failures.Count} access failure(s):\n{string.Join('\n', failures)}");
    }

    /// <summary>One attempt; a POST carries a valid antiforgery token (so only the access rules can refuse it) and must leave the database as it was.</summary>
    private async Task<Session.Response> AttemptAsync(Session intruder, Handler handler, string url, string tokenPage, Action changed)
    {
        if (handler.Method == "GET")
        {
            return await intruder.GetAsync(url);
        }
        var token = await intruder.TokenAsync(tokenPage); // first: the enrolment page may create a key
        var before = await DbFingerprint.TakeAsync(fixture.App);
        var response = await intruder.SendAsync(new HttpMethod(handler.Method), url, Session.Form(("__RequestVerificationToken", token)));
        if (await DbFingerprint.TakeAsync(fixture.App) != before)
        {
            changed();
        }
        return response;
    }

    [Fact]
    public async Task EveryPageWithoutAnId_ShowsNoneOfTheMarkers_ToThoseWhoMustNotSeeThem()
    {
        var routes = await RouteCatalog.DiscoverAsync(fixture.App.Services);
        var pages = routes.SelectMany(r => r.Handlers.Where(h => h.Method == "GET" && !r.AllIds(h).Any()).Select(h => (Route: r, Handler: h))).ToList();
        Assert.Contains(pages, p => p.Route.Pattern == "Clients");
        var log = new StringBuilder();
        var failures = new List<string>();
        foreach (var scenario in Scenarios().Where(s => s.Victims.Contains(Resource.Client)))
        {
            using var intruder = await SessionAsync(scenario);
            foreach (var (route, handler) in pages)
            {
                var url = route.Url(handler, scenario.Ids, scenario.Query)!;
                var response = await intruder.GetAsync(url);
                log.AppendLine($"  {(int)response.Status,3}      {route.Describe(handler)}  as {scenario.Name}: {url}");
                foreach (var marker in World.Markers.Where(m => response.Everything.Contains(m, StringComparison.Ordinal)))
                {
                    failures.Add($"{route.Describe(handler)} as {scenario.Name}: the page shows {marker} ({url})");
                }
            }
        }
        Report.Write("list-sweep" + Suffix, $"Pages without an id ({pages.Count}), read by people who must not see the seeded client:", log, failures);
        Assert.True(failures.Count == 0, $"{failures.Count} leak(s):\n{string.Join('\n', failures)}");
    }

    /// <summary>
    /// Lists, the request queue and the home page's due list, chart and activity of Beta's owner show
    /// nothing of Alpha (no id of Alpha's clients or requests, a chart of zero), while Alpha's owner
    /// sees its own there (the control); Alpha's owner sees nothing of Beta.
    /// </summary>
    [Fact]
    public async Task AnotherPractice_ListsQueueAndHomeCounts_ShowOnlyItsOwn()
    {
        using var alpha = await fixture.SignInAsync(World.OwnerA);
        using var beta = await fixture.SignInAsync(World.OwnerB);
        string[] pages = ["/Clients", "/Requests", "/Requests?show=all", "/Requests?show=done", "/Home"];
        var alphaIds = new[] { World.Victim[Resource.Client], World.ClientOfTwo, World.Victim[Resource.Request], World.RequestOfTwo }.Select(i => i.ToString()).ToList();
        static int ChartTotal(string html) =>
            System.Text.RegularExpressions.Regex.Matches(html, "data-count=\"(\\d+)\"").Sum(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));

        var alphaHome = await alpha.GetAsync("/Home");
        var betaHome = await beta.GetAsync("/Home");
        Assert.Equal(HttpStatusCode.OK, betaHome.Status);
        Assert.True(ChartTotal(alphaHome.Text) >= 2, "Alpha's own chart counts no request: the control failed");
        Assert.Equal(0, ChartTotal(betaHome.Text));
        Assert.Contains(World.Victim[Resource.Client].ToString(), (await alpha.GetAsync("/Clients")).Text, StringComparison.Ordinal);
        Assert.Contains(World.Victim[Resource.Request].ToString(), (await alpha.GetAsync("/Requests?show=all")).Text, StringComparison.Ordinal);
        Assert.Contains(World.ClientOfB.ToString(), (await beta.GetAsync("/Clients")).Text, StringComparison.Ordinal);
        foreach (var page in pages)
        {
            var seen = await beta.GetAsync(page);
            Assert.Equal(HttpStatusCode.OK, seen.Status);
            Assert.DoesNotContain(alphaIds, id => seen.Everything.Contains(id, StringComparison.Ordinal));
            Assert.DoesNotContain(World.ClientOfB.ToString(), (await alpha.GetAsync(page)).Everything, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task AnotherPracticesClinician_CannotBeAssigned_ByForm()
    {
        var ct = TestContext.Current.CancellationToken;
        using var beta = await fixture.SignInAsync(World.OwnerB);

        var created = await beta.SubmitAsync(
            "/Clients/Create",
            ("Input.Name", "Beta client for a foreign clinician (sweep)"),
            ("Input.DateOfBirth", "1990-01-01"),
            ("Input.ClinicianId", World.ClinicianOne.Id.ToString())
        );
        var assigned = await beta.SubmitAsync($"/Clients/{World.ClientOfB}?handler=Assign&clinicianId={World.ClinicianOne.Id}");

        Assert.Equal(HttpStatusCode.OK, created.Status); // the form again, with the error
        Assert.Equal(HttpStatusCode.BadRequest, assigned.Status);
        await using var db = fixture.App.NewDbContext();
        var foreign = await db.ClientAssignments.CountAsync(a => a.ClinicianId == World.ClinicianOne.Id && a.ClientId != World.Victim[Resource.Client], ct);
        Assert.Equal(0, foreign);
    }
}

/// <summary>The sweep on SQLite.</summary>
public sealed class AccessSweepTests(SweepFixture fixture) : AccessSweep(fixture), IClassFixture<SweepFixture>;

/// <summary>The sweep on PostgreSQL, the app connected as a role that row-level security holds: another practice's ids are refused by the queries and, under them, by the database.</summary>
public sealed class PostgresAccessSweepTests(PostgresSweepFixture fixture) : AccessSweep(fixture), IClassFixture<PostgresSweepFixture>;
