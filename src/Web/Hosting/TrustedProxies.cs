using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace Confide.Web.Hosting;

/// <summary>
/// Behind a TLS-terminating reverse proxy the app sees plain HTTP from the proxy's address. The
/// proxies listed in <c>Confide:TrustedProxies</c> (IP addresses or CIDR networks, comma-separated or
/// as an array) are believed about the client's address (<c>X-Forwarded-For</c>) and the original
/// scheme (<c>X-Forwarded-Proto</c>), so HSTS is sent, cookies are <c>Secure</c> and rate limits count
/// each client; a request from any other address keeps its own address and scheme, whatever headers
/// it carries. Nothing listed (the default): no forwarded header is believed.
/// </summary>
internal static class TrustedProxies
{
    public const string Key = "Confide:TrustedProxies";

    public static IServiceCollection AddTrustedProxies(this IServiceCollection services, IConfiguration configuration)
    {
        var (addresses, networks) = Parse(configuration);
        return services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            o.ForwardLimit = null; // walk back through every trusted hop, stopping at the first untrusted one
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            foreach (var a in addresses)
            {
                o.KnownProxies.Add(a);
            }
            foreach (var n in networks)
            {
                o.KnownIPNetworks.Add(n);
            }
        });
    }

    public const string PlainHttpRefused =
        "Confide answers only over HTTPS outside Development. Put a TLS proxy in front of it and list the proxy in Confide:TrustedProxies (docs/operations.md).";

    /// <summary>
    /// Outside Development, a request that is plain HTTP as the app sees it (after trusted forwarded
    /// headers) gets a 400 with <see cref="PlainHttpRefused"/>, except <c>/health</c> (probes): the
    /// cookies are Secure-only there, so no form could work, and nothing private travels in clear.
    /// </summary>
    public static IApplicationBuilder UseHttpsOnly(this IApplicationBuilder app) =>
        app.Use(
            async (context, next) =>
            {
                if (context.Request.IsHttps || context.Request.Path.StartsWithSegments("/health", StringComparison.OrdinalIgnoreCase))
                {
                    await next(context);
                    return;
                }
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                context.Response.ContentType = "text/plain; charset=utf-8";
                await context.Response.WriteAsync(PlainHttpRefused, context.RequestAborted);
            }
        );

    /// <exception cref="InvalidOperationException">An entry that is neither an IP address nor a CIDR network; the message names the key and the entry.</exception>
    public static (List<IPAddress> Addresses, List<System.Net.IPNetwork> Networks) Parse(IConfiguration configuration)
    {
        var section = configuration.GetSection(Key);
        var entries = section.GetChildren().Select(c => c.Value).Append(section.Value)
            .Where(v => !string.IsNullOrWhiteSpace(v))
            .SelectMany(v => v!.Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        var addresses = new List<IPAddress>();
        var networks = new List<System.Net.IPNetwork>();
        foreach (var entry in entries)
        {
            if (entry.Contains('/', StringComparison.Ordinal) && System.Net.IPNetwork.TryParse(entry, out var network))
            {
                networks.Add(network);
            }
            else if (IPAddress.TryParse(entry, out var address))
            {
                addresses.Add(address);
            }
            else
            {
                throw new InvalidOperationException($"Configuration key {Key} holds '{entry}': expected IP addresses or CIDR networks such as 10.0.0.5 or 10.0.0.0/24, separated by commas.");
            }
        }
        return (addresses, networks);
    }
}
