using Confide.Data;
using Confide.Data.Access;
using Confide.Data.Entities;

namespace Confide.Web.Features.Releases;

/// <summary>Who may work on a client's releases: the owner, or a clinician assigned to the client (others get a 404).</summary>
internal static class ReleaseAccess
{
    /// <summary>
    /// ClientContent's record rule, narrowed to the owner and the client's clinicians: a break-glass
    /// or a reason code reads a record but drafts no release (anything else is <see cref="AccessOutcome.NotFound"/>).
    /// </summary>
    public static async Task<Decision> OpenAsync(ClientContent content, Viewer viewer, Guid clientId, CancellationToken ct)
    {
        if (!viewer.IsClinical)
        {
            return new Decision(AccessOutcome.NotFound, null);
        }
        var decision = await content.OpenAsync(viewer.Reader, clientId, ContentPurpose.Record, null, ct);
        return decision.Outcome switch
        {
            AccessOutcome.Granted when decision.Grant!.OwnerOrAssigned => decision,
            AccessOutcome.Shredded => decision,
            _ => new Decision(AccessOutcome.NotFound, null),
        };
    }

    public static IQueryable<Release> Visible(ConfideDbContext db, Viewer viewer) =>
        !viewer.IsClinical
            ? db.Releases.Where(_ => false)
            : viewer.IsOwner
                ? db.Releases.Where(r => r.PracticeId == viewer.PracticeId)
                : db.Releases.Where(r => r.PracticeId == viewer.PracticeId && db.ClientAssignments.Any(a => a.ClientId == r.ClientId && a.ClinicianId == viewer.UserId));
}
