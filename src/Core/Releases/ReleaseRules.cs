using Confide.Core.Requests;

namespace Confide.Core.Releases;

/// <summary>One thing a release lacks: the field it belongs to (a <see cref="ReleaseContent"/> property name) and what to tell the clinician.</summary>
public sealed record ReleaseProblem(string Field, string Message);

/// <summary>
/// Whether a drafted release holds every element and statement the law requires before it may be
/// sent to the client: 45 CFR 164.508(c) for every release, and 42 CFR 2.31(a) as well for SUD
/// records. The required statements (the right to revoke and how, that treatment is not
/// conditioned on signing, that the recipient may redisclose, that the client gets a copy) are
/// always printed by the release form; what they need from the draft (where a revocation is sent)
/// is checked here. Pure.
/// </summary>
public static class ReleaseCompleteness
{
    /// <summary>Every missing element, in the order of the form. Empty when the release may be sent.</summary>
    public static IReadOnlyList<ReleaseProblem> Check(ReleaseContent release, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(release);
        var problems = new List<ReleaseProblem>();
        void Need(bool ok, string field, string message)
        {
            if (!ok)
            {
                problems.Add(new ReleaseProblem(field, message));
            }
        }
        static bool Has(string? s) => !string.IsNullOrWhiteSpace(s);
        var sud = release.Kind == ReleaseKind.Sud;

        Need(Has(release.ClientName), nameof(ReleaseContent.ClientName), "The client's name is missing.");
        Need(
            Has(release.DiscloserName),
            nameof(ReleaseContent.DiscloserName),
            "Who may disclose is missing: the release must name the clinician or practice that will share the records (164.508(c)(1)(ii))."
        );
        var allowed = ReleaseContent.Allowed(release.Kind);
        Need(
            !release.Categories.IsEmpty,
            nameof(ReleaseContent.Categories),
            "Say what will be shared: tick at least one kind of record (a specific and meaningful description, 164.508(c)(1)(i))."
        );
        Need(
            release.Categories.IsSubsetOf(allowed),
            nameof(ReleaseContent.Categories),
            release.Kind switch
            {
                ReleaseKind.PsychotherapyNotes => "A psychotherapy notes release may release psychotherapy notes only: it cannot be combined with other records (164.508(b)(3)(ii)).",
                ReleaseKind.Sud => "An SUD consent may release SUD records only: make a separate release for other records.",
                _ => "Psychotherapy notes and SUD records each need a release of their own: untick them here and draft a separate release.",
            }
        );
        if (sud)
        {
            Need(
                Has(release.InformationDescription),
                nameof(ReleaseContent.InformationDescription),
                "Say how much and what kind of SUD information will be shared (42 CFR 2.31(a)(3))."
            );
        }
        Need(Has(release.RecipientName), nameof(ReleaseContent.RecipientName), "The recipient's name is missing: name the person or organization who will receive the records (164.508(c)(1)(iii)).");
        Need(Has(release.RecipientAddress), nameof(ReleaseContent.RecipientAddress), "The recipient's address is missing.");
        Need(release.Purpose is not null, nameof(ReleaseContent.Purpose), "Say what the records are for (164.508(c)(1)(iv)).");
        Need(
            release.Purpose is null or ReleasePurpose.AtClientRequest || Has(release.PurposeDescription),
            nameof(ReleaseContent.PurposeDescription),
            "Describe the purpose in a sentence (only \"at the client's request\" may stand without one)."
        );
        Need(
            release.ExpiresOn is not null || Has(release.ExpiryEvent),
            nameof(ReleaseContent.ExpiresOn),
            "Give an expiry date or an expiry event (164.508(c)(1)(v))."
        );
        Need(release.ExpiresOn is not { } e || e >= today, nameof(ReleaseContent.ExpiresOn), "The expiry date has already passed.");
        Need(
            release.Records is not { From: { } f, Through: { } t } || f <= t,
            nameof(ReleaseContent.Records),
            "The first date of the records is after the last date."
        );
        Need(
            Has(release.PracticeAddress),
            nameof(ReleaseContent.PracticeAddress),
            "The practice's address is missing: the statement of the right to revoke must say where to send a revocation (164.508(c)(2)(i))."
        );
        return problems;
    }
}

/// <summary>A question of the understanding check: the options, the right one, and what to show again after a wrong answer.</summary>
public sealed record UnderstandingQuestion(string Id, string Text, IReadOnlyList<(string Id, string Label)> Options, string Answer, string Explanation);

/// <summary>
/// The short check a client answers before signing, generated from the release itself: who gets
/// the records, what is shared (psychotherapy notes or not), until when, that signing is not a
/// condition of treatment, and that the release can be revoked. Pure.
/// </summary>
public static class UnderstandingCheck
{
    /// <summary>The questions for <paramref name="release"/>, in the order the portal asks them.</summary>
    public static IReadOnlyList<UnderstandingQuestion> Questions(ReleaseContent release)
    {
        ArgumentNullException.ThrowIfNull(release);
        var recipient = release.RecipientName?.Trim() ?? "";
        var notes = release.Categories.Contains(Category.PsychotherapyNotes);
        var sud = release.Categories.Contains(Category.SudRecords);
        return
        [
            new(
                "recipient",
                "Who will receive your records?",
                [("named", recipient), ("anyone", "Anyone who asks for them"), ("nobody", "Nobody: they stay with my therapist")],
                "named",
                $"Only {recipient} will receive them. Nobody else is named on this release."
            ),
            new(
                "notes",
                "Will your psychotherapy notes (your therapist's private session notes) be shared?",
                [("yes", "Yes"), ("no", "No")],
                notes ? "yes" : "no",
                notes
                    ? "Yes. This release is for your psychotherapy notes: your therapist's separate notes about what was said in your sessions."
                    : $"No. This release shares {ReleaseWords.CategoryList(release.Categories)} only. Psychotherapy notes would need a separate release of their own."
            ),
            new(
                "sud",
                "Will records of substance use treatment be shared?",
                [("yes", "Yes"), ("no", "No")],
                sud ? "yes" : "no",
                sud
                    ? "Yes. This consent is for your substance use disorder records, which federal law protects specially (42 CFR Part 2)."
                    : "No. Substance use treatment records would need a separate consent of their own."
            ),
            new(
                "condition",
                "If you do not sign, will you still get treatment?",
                [("yes", "Yes, my treatment does not depend on signing"), ("no", "No, I must sign to keep being treated")],
                "yes",
                "Your treatment, payment and benefits do not depend on signing. You may refuse."
            ),
            new(
                "revoke",
                "Can you take this release back later?",
                [("yes", "Yes, at any time, in writing"), ("no", "No, once signed it is final")],
                "yes",
                "You can revoke it at any time, in writing, with the link you get after signing. Revoking stops future sharing; it cannot undo what was already shared."
            ),
        ];
    }

    /// <summary>The questions answered wrongly (or not at all), in order. Empty when every answer is right.</summary>
    public static IReadOnlyList<UnderstandingQuestion> Wrong(ReleaseContent release, IReadOnlyDictionary<string, string?> answers)
    {
        ArgumentNullException.ThrowIfNull(answers);
        return Questions(release).Where(q => !answers.TryGetValue(q.Id, out var a) || !string.Equals(a, q.Answer, StringComparison.Ordinal)).ToArray();
    }
}
