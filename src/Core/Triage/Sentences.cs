using System.Collections.Concurrent;
using Confide.Core.Law;
using Confide.Core.Requests;

namespace Confide.Core.Triage;

/// <summary>
/// Sentences that depend on a profile or a jurisdiction, built on first use and then reused, so
/// that evaluating a request does not rebuild the same text on every call (see docs/performance.md).
/// Keys are few (profiles × professions × proceeding kinds), so the caches stay small.
/// </summary>
internal static class Sentences
{
    private static readonly ConcurrentDictionary<(string Profile, Profession Profession, ProceedingKind Kind, Forum Forum), string> Privilege = new();
    private static readonly ConcurrentDictionary<string, string> Reporting = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, string> Baseline = new(StringComparer.Ordinal);

    /// <summary>Whose privilege reaches the proceeding, in a state forum or a federal one under state law.</summary>
    public static string PrivilegeReaches(JurisdictionProfile profile, Profession profession, Proceeding proceeding, PrivilegeRule privilege) =>
        Privilege.GetOrAdd(
            (profile.Id, profession, proceeding.Kind, proceeding.Forum),
            static (key, name) =>
            {
                var forum = key.Forum == Forum.Federal ? "In a federal case decided under state law, FRE 501 applies state privilege law: the" : "The";
                return $"{forum} privilege reaches this {Texts.KindLabel(key.Kind)} proceeding: {name}. It protects what the client said in therapy, and you claim it on the client's behalf.";
            },
            privilege.Name
        );

    /// <summary>Where and when to report suspected child abuse under <paramref name="profile"/>.</summary>
    public static string ReportTo(JurisdictionProfile profile) =>
        Reporting.GetOrAdd(profile.Id, static (_, r) => $"Report to {r.Agency}: {r.Deadline}.", profile.Reporting);

    /// <summary>The warning for a jurisdiction triaged under the baseline.</summary>
    public static string NoStateProfile(string jurisdiction) =>
        Baseline.GetOrAdd(
            jurisdiction,
            static j =>
                $"No state profile for {j}: this determination applies federal law, HIPAA and the ethics codes only; the state's own privilege, reporting and access law were not applied."
        );
}
