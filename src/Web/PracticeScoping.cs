using Confide.Data;

namespace Confide.Web;

/// <summary>
/// Every signed-in request works for the user's practice: the database context of the request is
/// scoped to the practice in the sign-in cookie (<see cref="AccountRules.PracticeClaim"/>), so on
/// PostgreSQL row-level security shows and accepts only that practice's rows. Pages still filter by
/// <see cref="Viewer.PracticeId"/> themselves (the first wall); this is the second. Anonymous
/// requests (sign-in, setup, health, the calendar feed) have no practice until they find one.
/// </summary>
internal static class PracticeScoping
{
    public static IApplicationBuilder UsePracticeScope(this IApplicationBuilder app) =>
        app.Use(
            (context, next) =>
            {
                if (context.User.FindFirst(AccountRules.PracticeClaim)?.Value is { } claim && Guid.TryParse(claim, out var practiceId))
                {
                    context.RequestServices.GetRequiredService<ConfideDbContext>().Scope.Use(practiceId);
                }
                return next(context);
            }
        );
}
