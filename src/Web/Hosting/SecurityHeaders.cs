using Microsoft.Net.Http.Headers;

namespace Confide.Web.Hosting;

/// <summary>
/// Response headers every page carries (OWASP ASVS 5.0 V3.4): a content security policy that allows
/// only this site's stylesheet and forms (the app uses no script at all), no framing, no MIME
/// sniffing, no referrer (portal links carry their token in the path, and it must not leak to any
/// other site), and no caching of pages that hold client information. The stylesheet alone may be
/// cached.
/// </summary>
internal static class SecurityHeaders
{
    public const string Policy = "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) =>
        app.Use(
            (context, next) =>
            {
                context.Response.OnStarting(() =>
                {
                    var headers = context.Response.Headers;
                    headers.ContentSecurityPolicy = Policy;
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
