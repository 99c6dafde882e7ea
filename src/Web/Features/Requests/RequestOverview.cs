using Confide.Core.Law;
using Confide.Core.Requests;
using Confide.Core.Triage;
using Confide.Data.Entities;

namespace Confide.Web.Features.Requests;

/// <summary>
/// Everything a request's page shows, read under the viewer's grant (<see cref="RequestService.OverviewAsync"/>):
/// the determination shown (the current one or an earlier one) and the request it was made from, the
/// releases it used, its citations, the workflow's history, notes, files and finalized documents,
/// each list at most <see cref="RequestService.HistoryRows"/> long, and the names of the people in them.
/// </summary>
public sealed record RequestOverview(
    DateOnly Today,
    TimeZoneInfo Zone,
    DeadlineMark Mark,
    string ClientName,
    RequestDetermination Current,
    TriageRequest Document,
    Determination Determination,
    bool ShowingEarlier,
    string? NewerProfileVersion,
    IReadOnlyList<(Guid Id, string Line)> ReleasesUsed,
    IReadOnlyList<Citation> Citations,
    IReadOnlyDictionary<int, (string By, DateTimeOffset At)> Ticks,
    IReadOnlyList<RequestOverview.StatusRow> StatusHistory,
    IReadOnlyList<RequestOverview.NoteRow> Notes,
    IReadOnlyList<RequestOverview.FileRow> Files,
    IReadOnlyList<RequestOverview.HistoryRow> Determinations,
    IReadOnlyList<FinalizedDocument> Finalized,
    IReadOnlyDictionary<Guid, string> Names
)
{
    /// <summary>A person's display name, or "(unknown)".</summary>
    public string Name(Guid userId) => Names.GetValueOrDefault(userId, "(unknown)");

    public sealed record StatusRow(RequestStatus? From, RequestStatus To, string By, DateTimeOffset At);

    public sealed record NoteRow(string By, DateTimeOffset At, string Text);

    public sealed record FileRow(Guid Id, string FileName, long Size, DateTimeOffset At);

    public sealed record HistoryRow(Guid Id, int Sequence, Outcome Outcome, DateOnly EvaluatedOn, string Jurisdiction, string ProfileVersion, DateOnly ProfileReviewedOn, Guid ById, DateTimeOffset At);
}
