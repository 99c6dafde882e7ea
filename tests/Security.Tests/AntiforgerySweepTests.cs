using System.Net;
using System.Text;

namespace Confide.Security.Tests;

/// <summary>
/// Every handler that changes state (any method but GET and HEAD), on every discovered route, posted by
/// a signed-in person who may use it but without the antiforgery token (the cookie is there, as in a
/// cross-site request): 400, refused by the antiforgery filter (its log entry is checked, so a
/// handler's own 400 does not pass for it), and nothing in the database changes.
/// </summary>
public sealed class AntiforgerySweepTests(SweepFixture fixture) : IClassFixture<SweepFixture>
{
    /// <summary>
    /// Handlers that deliberately skip the antiforgery check ([IgnoreAntiforgeryToken]), each with why.
    /// They must still change nothing. Any other handler without the check fails the sweep.
    /// </summary>
    private static readonly Dictionary<string, string> Exempt = new(StringComparer.Ordinal)
    {
        ["POST /Error"] = "the exception handler re-executes a failed POST here; it only shows a reference number",
    };

    [Fact]
    public async Task EveryFormHandler_WithoutTheAntiforgeryToken_Is400_AndChangesNothing()
    {
        var world = fixture.World;
        var routes = await RouteCatalog.DiscoverAsync(fixture.App.Services);
        var targets = routes.SelectMany(r => r.Handlers.Where(h => h.Method is not ("GET" or "HEAD")).Select(h => (Route: r, Handler: h))).ToList();
        Assert.True(targets.Count > 0, "no form handler was discovered: the sweep would test nothing");
        var ids = new Dictionary<Resource, Guid>(world.Victim) { [Resource.User] = world.ClinicianOne.Id };

        using var author = await fixture.SignInAsync(world.ClinicianOne);
        _ = await author.TokenAsync("/Clients"); // the antiforgery cookie is set; only the form token will be missing
        var log = new StringBuilder();
        var failures = new List<string>();
        foreach (var (route, handler) in targets)
        {
            var what = route.Describe(handler);
            var url = route.Url(handler, ids);
            if (url is null)
            {
                failures.Add($"{what}: no seeded id for its parameters (tests/Security.Tests/World.cs)");
                continue;
            }
            var before = await DbFingerprint.TakeAsync(fixture.App);
            fixture.App.Logs.Clear();
            var response = await author.SendAsync(new HttpMethod(handler.Method), url, Session.Form(("note", "no token here")));
            var refusedByAntiforgery = fixture.App.Logs.Entries.Any(e =>
                e.EventId.Name == "AntiforgeryTokenInvalid" || e.Message.StartsWith("Antiforgery token validation failed", StringComparison.Ordinal)
            );
            log.AppendLine($"  {(int)response.Status,3} {(refusedByAntiforgery ? "antiforgery" : "OTHER      ")} {what}: {url}");
            if (Exempt.TryGetValue(what, out var why))
            {
                log.AppendLine($"        exempt: {why}");
                Assert.True(route.IgnoresAntiforgery, $"{what} is listed as exempt but checks the token: take it off the list");
            }
            else if (response.Status != HttpStatusCode.BadRequest || !refusedByAntiforgery)
            {
                failures.Add($"{what}: {(int)response.Status} {response.Location}{(refusedByAntiforgery ? "" : ", not refused by the antiforgery check")} (expected 400 from it) for {url}");
            }
            if (await DbFingerprint.TakeAsync(fixture.App) != before)
            {
                failures.Add($"{what}: the request without a token changed the database ({url})");
            }
        }

        Report.Write("antiforgery-sweep", $"Form handlers ({targets.Count}), each posted without the antiforgery token:", log, failures);
        Assert.True(failures.Count == 0, $"{failures.Count} antiforgery failure(s):\n{string.Join('\n', failures)}");
    }
}
