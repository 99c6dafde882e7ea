using System.Threading.RateLimiting;
using Confide.Web.Features.Releases;

namespace Confide.Web;

/// <summary>
/// The client portal's rate limit: a fixed window per client address (configuration
/// <c>Confide:PortalRequestsPerMinute</c>, default 30), so guessing links is slow; a refused
/// request is recorded with the token's hash prefix and answered 429.
/// </summary>
internal static class PortalRules
{
    public const string RateLimitPolicy = "portal";

    public const string NotFoundPage =
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>Not found</title></head>"
        + "<body style=\"font-family:sans-serif;font-size:1.2rem;margin:2rem;max-width:36rem\"><h1>This link does not work</h1>"
        + "<p>Ask the office that sent it for a new link.</p></body></html>";

    public static IServiceCollection AddPortalRateLimit(this IServiceCollection services, IConfiguration configuration)
    {
        var perMinute = configuration.GetValue("Confide:PortalRequestsPerMinute", 30);
        return services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.AddPolicy(
                RateLimitPolicy,
                context =>
                    RateLimitPartition.GetFixedWindowLimiter(
                        context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                        _ => new FixedWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }
                    )
            );
            o.OnRejected = async (context, ct) =>
            {
                var token = context.HttpContext.GetRouteValue("token") as string;
                await context.HttpContext.RequestServices.GetRequiredService<ReleaseService>().RecordRateLimitedAsync(token, ct);
                context.HttpContext.Response.ContentType = "text/plain; charset=utf-8";
                await context.HttpContext.Response.WriteAsync("Too many tries. Wait a minute, then open the link again.", ct);
            };
        });
    }
}
