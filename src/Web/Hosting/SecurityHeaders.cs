using Microsoft.Net.Http.Headers;

namespace Confide.Web.Hosting;

/// <summary>
/// Response headers every page carries (OWASP ASVS 5.0 V3.4): a content security policy that allows
/// only this site's stylesheet and forms (no script, except on a page that asks for its own static
/// script file with <see cref="AllowOwnScripts"/>: then scripts from this site only, never inline
/// or from elsewhere), no framing, no MIME
/// sniffing, no referrer (portal links carry their token in the path, and it must not leak to any
/// other site), and no caching of pages that hold client information. The stylesheet alone may be
/// cached.
/// </summary>
internal static class SecurityHeaders
{
    public const string Policy = "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    /// <summary>The policy of a page that runs a static script file of this site (the packet page's drawing script).</summary>
    public const string PolicyWithOwnScripts = Policy + "; script-src 'self'";

    private const string OwnScriptsKey = "Confide.SecurityHeaders.OwnScripts";

    /// <summary>This response's page loads a static script file of this site: its policy allows scripts from 'self' (no inline script, no other origin).</summary>
    public static void AllowOwnScripts(HttpContext context) => context.Items[OwnScriptsKey] = true;

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) =>
        app.Use(
            (context, next) =>
            {
                context.Response.OnStarting(() =>
                {
                    var headers = context.Response.Headers;
                    headers.ContentSecurityPolicy = context.Items.ContainsKey(OwnScriptsKey) ? PolicyWithOwnScripts : Policy;
                    headers.XContentTypeOptions = "nosniff";
                    headers.XFrameOptions = "DENY";
                    headers["Referrer-Policy"] = "no-referrer";
                    headers["Cross-Origin-Opener-Policy"] = "same-origin";
                    if (!headers.ContainsKey(HeaderNames.CacheControl))
                    {
                        headers.CacheControl = "no-store";
                    }
                    return Task.CompletedTask;
                });
                return next(context);
            }
        );

    /// <summary>The stylesheet holds nothing private: let browsers keep it for an hour.</summary>
    public static void CacheStatic(Microsoft.AspNetCore.StaticFiles.StaticFileResponseContext context) =>
        context.Context.Response.Headers.CacheControl = "public, max-age=3600";
}
