using Confide.Data;

namespace Confide.Web;

internal static class Health
{
    /// <summary>GET /health, anonymous: 200 {"status":"ok"} when the database answers, 503 {"status":"unavailable"} otherwise.</summary>
    public static void MapHealth(this IEndpointRouteBuilder app) =>
        app.MapGet("/health", CheckAsync).AllowAnonymous();

    private static async Task<IResult> CheckAsync(ConfideDbContext db, CancellationToken ct)
    {
        bool up;
        try
        {
            up = await db.Database.CanConnectAsync(ct);
        }
#pragma warning disable CA1031 // any failure to reach the database is "unavailable", never a 500
        catch (Exception)
#pragma warning restore CA1031
        {
            up = false;
        }
        return up ? TypedResults.Ok(new HealthStatus("ok")) : TypedResults.Json(new HealthStatus("unavailable"), statusCode: StatusCodes.Status503ServiceUnavailable);
    }

    private sealed record HealthStatus(string Status);
}
