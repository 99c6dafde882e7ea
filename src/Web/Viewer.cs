using System.Security.Claims;
using Confide.Data.Entities;

namespace Confide.Web;

/// <summary>Who is asking: the signed-in user's id, practice and roles, from the cookie's claims.</summary>
internal sealed record Viewer(Guid UserId, Guid PracticeId, bool IsOwner, bool IsClinician, bool IsStaff)
{
    public static Viewer From(ClaimsPrincipal user) =>
        new(
            Guid.Parse(user.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("not signed in")),
            Guid.Parse(user.FindFirstValue(AccountRules.PracticeClaim) ?? throw new InvalidOperationException("no practice claim")),
            user.IsInRole(Roles.Owner),
            user.IsInRole(Roles.Clinician),
            user.IsInRole(Roles.Staff)
        );

    /// <summary>The same person as the authorization point for client content sees them.</summary>
    public Confide.Data.Access.Reader Reader => new(UserId, PracticeId, IsOwner, IsClinician, IsStaff);

    /// <summary>Can write clinical items such as psychotherapy notes.</summary>
    public bool IsClinical => IsOwner || IsClinician;
}
