using Confide.Data;
using Confide.Data.Entities;

namespace Confide.Web.Features.Requests;

/// <summary>
/// Who sees which request: the rule of client records (<see cref="Clients.ClientAccess"/>) applied
/// to the request's client. The owner sees every request of the practice; a clinician sees the
/// requests of clients assigned to them (others are a 404); staff see the queue and open a request
/// only after stating a reason code, as they do for records.
/// </summary>
internal static class RequestAccess
{
    public const int PageSize = 25;

    /// <summary>The requests <paramref name="viewer"/> may find at all.</summary>
    public static IQueryable<RecordRequest> Visible(ConfideDbContext db, Viewer viewer)
    {
        var requests = db.Requests.Where(r => r.PracticeId == viewer.PracticeId);
        return viewer.IsOwner || viewer.IsStaff
            ? requests
            : requests.Where(r => db.ClientAssignments.Any(a => a.ClientId == r.ClientId && a.ClinicianId == viewer.UserId));
    }

    /// <summary>Requests still owed an answer (received or under review).</summary>
    public static IQueryable<RecordRequest> Open(this IQueryable<RecordRequest> requests) =>
        requests.Where(r => r.Status == RequestStatus.Received || r.Status == RequestStatus.UnderReview);

    /// <summary>Requests answered (responded or closed).</summary>
    public static IQueryable<RecordRequest> Done(this IQueryable<RecordRequest> requests) =>
        requests.Where(r => r.Status == RequestStatus.Responded || r.Status == RequestStatus.Closed);

    /// <summary>The status a request moves to next (received → under review → responded → closed), or null once closed.</summary>
    public static RequestStatus? Next(RequestStatus status) =>
        status switch
        {
            RequestStatus.Received => RequestStatus.UnderReview,
            RequestStatus.UnderReview => RequestStatus.Responded,
            RequestStatus.Responded => RequestStatus.Closed,
            RequestStatus.Closed => null,
        };

    /// <summary>How a deadline stands on <paramref name="today"/>: overdue, due within 3 days, or neither.</summary>
    public static DeadlineMark Mark(DateOnly? respondBy, bool open, DateOnly today) =>
        !open || respondBy is not { } due ? DeadlineMark.None
        : due < today ? DeadlineMark.Overdue
        : due <= today.AddDays(3) ? DeadlineMark.DueSoon
        : DeadlineMark.None;

    /// <summary>
    /// The deadline that comes first: the objection's, when there is one (never after the response's,
    /// <see cref="RecordRequest.ObjectBy"/>), else the response's; the queries order by the same
    /// <c>ObjectBy ?? RespondBy</c>.
    /// </summary>
    public static DateOnly? FirstDeadline(DateOnly? objectBy, DateOnly? respondBy) => objectBy ?? respondBy;

    public static string Short(Guid id) => id.ToString("N")[^8..];
}

public enum DeadlineMark
{
    None,
    DueSoon,
    Overdue,
}
