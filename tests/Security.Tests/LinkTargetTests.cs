using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Routing.Patterns;

namespace Confide.Security.Tests;

/// <summary>
/// Every link and form on every page the author of the seeded resources can reach (a crawl from the
/// front door) targets a route and handler the app has, with the form's method: a page whose form
/// posts to a handler that does not exist renders without its handler in a browser. Each page
/// reached answers without a server error.
/// </summary>
public sealed partial class LinkTargetTests(SweepFixture fixture) : IClassFixture<SweepFixture>
{
    private const int MaxPages = 150;

    [Fact]
    public async Task EveryLinkAndForm_OnEveryPageReached_TargetsAHandlerTheAppHas()
    {
        var routes = await RouteCatalog.DiscoverAsync(fixture.App.Services);
        using var author = await fixture.SignInAsync(fixture.World.ClinicianOne);
        var queue = new Queue<string>(["/", "/Clients", "/Requests?show=all", $"/Clients/{fixture.World.Victim[Resource.Client]}", $"/Requests/{fixture.World.Victim[Resource.Request]}"]);
        var seen = new HashSet<string>(queue, StringComparer.Ordinal);
        var failures = new List<string>();
        var reported = new HashSet<string>(StringComparer.Ordinal);
        var log = new StringBuilder();
        var pages = 0;
        while (queue.TryDequeue(out var url) && pages < MaxPages)
        {
            var response = await author.GetAsync(url);
            pages++;
            log.AppendLine($"  {(int)response.Status,3} GET {url}");
            if ((int)response.Status >= 500)
            {
                failures.Add($"GET {url}: {(int)response.Status}");
                continue;
            }
            if (response.Status is HttpStatusCode.Redirect or HttpStatusCode.Found && response.Location is { } next && next.StartsWith('/') && seen.Add(next))
            {
                queue.Enqueue(next);
            }
            if (!response.Headers.Contains("text/html", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }
            var html = response.Text;
            foreach (var (method, target) in Targets(html))
            {
                if (!target.StartsWith('/') || target.StartsWith("//", StringComparison.Ordinal))
                {
                    continue; // another site, or a fragment
                }
                var problem = Check(routes, method, target);
                if (problem is not null)
                {
                    if (reported.Add($"{method} {target}"))
                    {
                        failures.Add($"on {url}: {method} {target}: {problem}");
                    }
                    continue;
                }
                if (method == "GET" && !target.Contains("SignOut", StringComparison.OrdinalIgnoreCase) && seen.Add(target))
                {
                    queue.Enqueue(target);
                }
            }
        }
        Report.Write("link-targets", $"Pages crawled as the author ({pages}); every link and form checked against the app's routes and handlers:", log, failures);
        Assert.True(failures.Count == 0, $"{failures.Count} broken target(s):\n{string.Join('\n', failures.Distinct())}");
    }

    /// <summary>Links (GET) and forms (their method; a form without an action posts to its page, which is fine).</summary>
    private static IEnumerable<(string Method, string Target)> Targets(string html)
    {
        foreach (Match m in Link().Matches(html))
        {
            yield return ("GET", WebUtility.HtmlDecode(m.Groups[1].Value));
        }
        foreach (Match m in Form().Matches(html))
        {
            var tag = m.Value;
            var action = Attribute(tag, "action");
            if (action is null)
            {
                continue;
            }
            var method = (Attribute(tag, "method") ?? "get").ToUpperInvariant();
            yield return (method, WebUtility.HtmlDecode(action));
        }
    }

    private static string? Attribute(string tag, string name) =>
        Regex.Match(tag, $"\\s{name}=\"([^\"]*)\"", RegexOptions.IgnoreCase) is { Success: true } m ? m.Groups[1].Value : null;

    /// <summary>Null when some route matches the path and has the handler the query names for this method; else what is wrong.</summary>
    private static string? Check(IReadOnlyList<Route> routes, string method, string target)
    {
        if (target.Contains('@', StringComparison.Ordinal))
        {
            return "the URL holds an '@': a Razor expression written as text";
        }
        var path = target.Split('?', '#')[0];
        var query = target.Contains('?', StringComparison.Ordinal) ? target[(target.IndexOf('?', StringComparison.Ordinal) + 1)..].Split('#')[0] : "";
        var handler = query.Split('&').Select(p => p.Split('=', 2)).Where(p => p.Length == 2 && p[0] == "handler").Select(p => Uri.UnescapeDataString(p[1])).FirstOrDefault();
        if (path.Contains('.', StringComparison.Ordinal) && !routes.Any(r => Matches(r.RoutePattern, path)))
        {
            return null; // a static file (site.css)
        }
        var matching = routes.Where(r => Matches(r.RoutePattern, path)).ToList();
        if (matching.Count == 0)
        {
            return "no route has this path";
        }
        var ok = matching.Any(r =>
            r.Handlers.Any(h => h.Method == method && string.Equals(h.Name, handler, StringComparison.OrdinalIgnoreCase))
            || (handler is null && method == "GET" && r.Handlers.Any(h => h.Method == "GET"))
        );
        return ok ? null : $"the route has no {method} handler{(handler is null ? "" : $" named '{handler}'")}";
    }

    private static bool Matches(RoutePattern pattern, string path)
    {
        var regex = new StringBuilder("^");
        foreach (var segment in pattern.PathSegments)
        {
            var optional = segment.Parts is [RoutePatternParameterPart { IsOptional: true }];
            regex.Append(optional ? "(?:/" : "/");
            foreach (var part in segment.Parts)
            {
                regex.Append(
                    part switch
                    {
                        RoutePatternLiteralPart l => Regex.Escape(l.Content),
                        RoutePatternSeparatorPart s => Regex.Escape(s.Content),
                        RoutePatternParameterPart => "[^/]+",
                        _ => "",
                    }
                );
            }
            regex.Append(optional ? ")?" : "");
        }
        var whole = regex.Length == 1 ? "^/?$" : regex.Append("/?$").ToString();
        return Regex.IsMatch(path, whole, RegexOptions.IgnoreCase);
    }

    [GeneratedRegex("<a\\s[^>]*href=\"([^\"]*)\"", RegexOptions.IgnoreCase)]
    private static partial Regex Link();

    [GeneratedRegex("<form\\s[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex Form();
}
