using System.Reflection;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.AspNetCore.Mvc.RazorPages.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;

namespace Confide.Security.Tests;

/// <summary>An id-carrying parameter of a route or of a handler (query string), and what it names.</summary>
public sealed record IdParameter(string Name, Resource Kind, bool InRoute);

/// <summary>One way to call a route: a method and, for a Razor page, the handler (null: the page's default).</summary>
public sealed record Handler(string Method, string? Name, IReadOnlyList<IdParameter> QueryIds);

/// <summary>A route the app maps, with its id parameters and every handler it answers.</summary>
public sealed record Route(string Pattern, RoutePattern RoutePattern, IReadOnlyList<IdParameter> RouteIds, IReadOnlyList<Handler> Handlers, bool IgnoresAntiforgery)
{
    /// <summary>Optional route parameters left out of this variant of the route.</summary>
    public IReadOnlySet<string> Omitted { get; init; } = new HashSet<string>();

    public IEnumerable<IdParameter> AllIds(Handler handler) => RouteIds.Concat(handler.QueryIds);

    /// <summary>The URL with each id parameter filled from <paramref name="ids"/> (null when one is missing), the handler and extra query.</summary>
    public string? Url(Handler handler, IReadOnlyDictionary<Resource, Guid> ids, string? extraQuery = null)
    {
        var segments = new List<string>();
        foreach (var segment in RoutePattern.PathSegments)
        {
            var text = "";
            foreach (var part in segment.Parts)
            {
                switch (part)
                {
                    case RoutePatternLiteralPart literal:
                        text += literal.Content;
                        break;
                    case RoutePatternSeparatorPart separator:
                        text += separator.Content;
                        break;
                    case RoutePatternParameterPart { Name: "handler" }:
                        text += handler.Name ?? "";
                        break;
                    case RoutePatternParameterPart omitted when Omitted.Contains(omitted.Name):
                        break;
                    case RoutePatternParameterPart secret when ParameterKinds.IsBearerSecret(secret.Name):
                        text += ParameterKinds.MadeUpSecret;
                        break;
                    case RoutePatternParameterPart parameter:
                        var id = RouteIds.Single(p => p.Name == parameter.Name);
                        if (!ids.TryGetValue(id.Kind, out var value))
                        {
                            return null;
                        }
                        text += value.ToString();
                        break;
                }
            }
            segments.Add(text);
        }
        var query = new List<string>();
        if (handler.Name is not null && !RoutePattern.Parameters.Any(p => p.Name == "handler"))
        {
            query.Add($"handler={handler.Name}");
        }
        foreach (var id in handler.QueryIds)
        {
            if (!ids.TryGetValue(id.Kind, out var value))
            {
                return null;
            }
            query.Add($"{id.Name}={value}");
        }
        if (!string.IsNullOrEmpty(extraQuery))
        {
            query.Add(extraQuery);
        }
        var path = "/" + string.Join('/', segments.Where(s => s.Length > 0));
        return query.Count == 0 ? path : $"{path}?{string.Join('&', query)}";
    }

    public string Describe(Handler handler) =>
        $"{handler.Method.ToUpperInvariant()} /{Pattern.TrimStart('/')}{(Omitted.Count == 0 ? "" : $" without {{{string.Join(',', Omitted)}}}")}{(handler.Name is null ? "" : $" handler={handler.Name}")}{string.Concat(handler.QueryIds.Select(q => $" ?{q.Name}"))}";
}

/// <summary>
/// Every route of the app, read from its EndpointDataSource (Razor pages with their handlers, and any
/// other endpoint), so a route added later is swept without anyone listing it here.
/// </summary>
public static class RouteCatalog
{
    public static async Task<IReadOnlyList<Route>> DiscoverAsync(IServiceProvider services)
    {
        var endpoints = services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();
        Assert.True(endpoints.Count > 0, "the app's EndpointDataSource has no route endpoint: the sweep would test nothing");
        var loader = services.GetRequiredService<PageLoader>();
        var routes = new List<Route>();
        foreach (var endpoint in endpoints)
        {
            var pattern = endpoint.RoutePattern;
            var routeIds = pattern.Parameters.Where(p => p.Name != "handler" && !ParameterKinds.IsBearerSecret(p.Name)).Select(p => new IdParameter(p.Name, ParameterKinds.OfRouteParameter(pattern, p.Name), true)).ToList();
            var handlers = new List<Handler>();
            var ignoresAntiforgery = Ignores(endpoint.Metadata);
            if (endpoint.Metadata.GetMetadata<PageActionDescriptor>() is { } page)
            {
                var compiled = page as CompiledPageActionDescriptor ?? await loader.LoadAsync(page, endpoint.Metadata);
                ignoresAntiforgery |= Ignores(compiled.EndpointMetadata) || compiled.ModelTypeInfo?.IsDefined(typeof(IgnoreAntiforgeryTokenAttribute), true) == true;
                bool InRoute(string name) => routeIds.Any(r => string.Equals(r.Name, name, StringComparison.OrdinalIgnoreCase));
                // [BindProperty] ids bind from the query too: on every POST, and on GET when SupportsGet.
                var boundIds = compiled
                    .BoundProperties.OfType<PageBoundPropertyDescriptor>()
                    .Where(p => ParameterKinds.IsId(p.Name, p.ParameterType) && !InRoute(p.Name))
                    .Select(p => (Id: new IdParameter(p.Name, ParameterKinds.OfQueryParameter(pattern, p.Name), false), OnGet: SupportsGet(p, compiled)))
                    .ToList();
                List<IdParameter> Bound(string method) => [.. boundIds.Where(b => method != "GET" || b.OnGet).Select(b => b.Id)];
                foreach (var method in compiled.HandlerMethods)
                {
                    var verb = method.HttpMethod.ToUpperInvariant();
                    var queryIds = method
                        .Parameters.Where(p => ParameterKinds.IsId(p.Name, p.ParameterType) && !InRoute(p.Name))
                        .Select(p => new IdParameter(p.Name, ParameterKinds.OfQueryParameter(pattern, p.Name), false))
                        .Concat(Bound(verb))
                        .DistinctBy(p => p.Name.ToUpperInvariant())
                        .ToList();
                    handlers.Add(new Handler(verb, method.Name, queryIds));
                }
                if (!handlers.Any(h => h.Method == "GET" && h.Name is null))
                {
                    handlers.Add(new Handler("GET", null, Bound("GET"))); // a page without OnGet still renders on GET
                }
            }
            else
            {
                var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods is { Count: > 0 } m ? m : ["GET", "POST"];
                handlers.AddRange(methods.Select(m => new Handler(m.ToUpperInvariant(), null, [])));
            }
            handlers = handlers.DistinctBy(h => (h.Method, h.Name)).ToList();
            routes.Add(new Route(pattern.RawText ?? "", pattern, routeIds, handlers, ignoresAntiforgery));
            // An optional parameter makes two routes: with it, and without it (e.g. /Requests/Intake/{id?}: edit, and new).
            var optional = pattern.Parameters.Where(p => p.IsOptional && p.Name != "handler").Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
            if (optional.Count > 0)
            {
                routes.Add(new Route(pattern.RawText ?? "", pattern, routeIds.Where(r => !optional.Contains(r.Name)).ToList(), handlers, ignoresAntiforgery) { Omitted = optional });
            }
        }
        return routes;
    }

    private static bool SupportsGet(PageBoundPropertyDescriptor property, CompiledPageActionDescriptor page) =>
        property.Property.GetCustomAttribute<BindPropertyAttribute>()?.SupportsGet
        ?? page.ModelTypeInfo?.GetCustomAttribute<BindPropertiesAttribute>()?.SupportsGet
        ?? page.HandlerTypeInfo.GetCustomAttribute<BindPropertiesAttribute>()?.SupportsGet
        ?? false;

    /// <summary>The nearest antiforgery policy in the metadata is "ignore".</summary>
    private static bool Ignores(IEnumerable<object> metadata) => metadata.OfType<IAntiforgeryPolicy>().LastOrDefault() is IgnoreAntiforgeryTokenAttribute;
}

/// <summary>
/// What each id parameter names. A parameter this does not know fails the sweep with a message:
/// a new route cannot slip past the access checks unnoticed.
/// </summary>
public static class ParameterKinds
{
    private const string Where = "tests/Security.Tests/RouteCatalog.cs (ParameterKinds)";

    /// <summary>Parameter names that say what they name, wherever they appear.</summary>
    private static readonly Dictionary<string, Resource> ByName = new(StringComparer.OrdinalIgnoreCase)
    {
        ["clientId"] = Resource.Client,
        ["recordId"] = Resource.RecordItem,
        ["itemId"] = Resource.RecordItem,
        ["recordItemId"] = Resource.RecordItem,
        ["attachmentId"] = Resource.Attachment,
        ["clinicianId"] = Resource.User,
        ["userId"] = Resource.User,
        ["requestId"] = Resource.Request,
        ["determinationId"] = Resource.Determination,
        ["fileId"] = Resource.RequestFile,
        ["packetId"] = Resource.Packet,
    };

    /// <summary>A bare <c>{id}</c> names what the literal segment before it names (<c>Clients/{id}</c>: a client).</summary>
    private static readonly Dictionary<string, Resource> BySegment = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Clients"] = Resource.Client,
        ["Records"] = Resource.RecordItem,
        ["Attachments"] = Resource.Attachment,
        ["Requests"] = Resource.Request,
        ["Intake"] = Resource.Request,
        ["Releases"] = Resource.Release,
    };

    /// <summary>
    /// Ids a handler only compares with the current state and never loads (a concurrency check):
    /// a foreign one may be answered 409 Conflict like any stale one, provided the answer is the same for a made-up id.
    /// </summary>
    private static readonly HashSet<string> ComparedOnly = new(StringComparer.OrdinalIgnoreCase) { "determinationId" };

    public static bool IsComparedOnly(string name) => ComparedOnly.Contains(name);

    /// <summary>
    /// Path parameters that are a bearer secret, not the id of a resource an access rule guards: the
    /// client portal's link (<c>/portal/{token}</c>), which works without a sign-in. The sweep fills
    /// it with a made-up secret (every page must then be the plain 404, and every form still needs its
    /// antiforgery token); the links themselves are tested in tests/Web.Tests/ReleaseTests.cs.
    /// </summary>
    private static readonly HashSet<string> BearerSecrets = new(StringComparer.OrdinalIgnoreCase) { "token" };

    public const string MadeUpSecret = "made-up-portal-token-that-names-nothing-00";

    public static bool IsBearerSecret(string name) => BearerSecrets.Contains(name);

        /// <summary>Guid-typed values that name no resource: a row's version, posted back for the optimistic-concurrency check.</summary>
    private static readonly HashSet<string> NotResources = new(StringComparer.OrdinalIgnoreCase) { "Version" };

    public static bool IsId(string name, Type type) =>
        !NotResources.Contains(name)
        && (
        name.Equals("id", StringComparison.OrdinalIgnoreCase)
        || name.EndsWith("Id", StringComparison.Ordinal)
        || (Nullable.GetUnderlyingType(type) ?? type) == typeof(Guid)
        );

    public static Resource OfRouteParameter(RoutePattern pattern, string name)
    {
        if (ByName.TryGetValue(name, out var kind))
        {
            return kind;
        }
        if (name.Equals("id", StringComparison.OrdinalIgnoreCase))
        {
            var index = pattern.PathSegments.ToList().FindIndex(s => s.Parts.OfType<RoutePatternParameterPart>().Any(p => p.Name == name));
            if (index > 0 && pattern.PathSegments[index - 1].Parts is [RoutePatternLiteralPart literal] && BySegment.TryGetValue(literal.Content, out kind))
            {
                return kind;
            }
        }
        throw new InvalidOperationException(
            $"Route /{pattern.RawText} has a parameter {{{name}}} the security sweep cannot map to a seeded resource. "
                + $"Add it to {Where} (and seed such a resource in tests/Security.Tests/World.cs) so the route is tried as a user who must not see it."
        );
    }

    public static Resource OfQueryParameter(RoutePattern pattern, string name) =>
        ByName.TryGetValue(name, out var kind)
            ? kind
            : throw new InvalidOperationException(
                $"A handler of /{pattern.RawText} takes an id parameter '{name}' the security sweep cannot map to a seeded resource. "
                    + $"Name it for what it is (e.g. clientId) or add it to {Where}, and seed such a resource in tests/Security.Tests/World.cs."
            );
}
