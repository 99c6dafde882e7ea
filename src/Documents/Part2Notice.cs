namespace Confide.Documents;

/// <summary>
/// The notice that goes with every disclosure of Part 2 (substance use disorder) records, in the
/// 2024 wording of 42 CFR 2.32(a): its short form, then what it means for the recipient.
/// </summary>
internal static class Part2Notice
{
    /// <summary>The short form 2.32(a)(2) allows, word for word.</summary>
    public const string ShortForm = "42 CFR part 2 prohibits unauthorized use or disclosure of these records.";

    /// <summary>What the notice means, in plain words, after the short form.</summary>
    public const string Explanation =
        "The enclosed substance use disorder records are protected by federal confidentiality rules. They may be used or disclosed only as the patient's written consent expressly permits or as 42 C.F.R. Part 2 otherwise allows; a general authorization to release medical information is not enough. Federal law also restricts any use of this information to investigate or prosecute the patient, or against the patient in any other proceeding, without the patient's consent or a court order.";
}
