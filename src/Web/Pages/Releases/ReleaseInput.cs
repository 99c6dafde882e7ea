using System.Globalization;
using Confide.Core;
using Confide.Core.Disclosure;
using Confide.Core.Releases;
using Confide.Core.Requests;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace Confide.Web.Pages.Releases;

/// <summary>
/// The draft-a-release form, kept as the strings the browser sent. <see cref="ToContent"/> reads it
/// into Core's <see cref="ReleaseContent"/> (a date that does not parse is an error on its field);
/// Core's completeness check then names every missing element, each on its field.
/// </summary>
public sealed class ReleaseInput
{
    public const int MaxText = 500;

    public string? Kind { get; set; } = "general";
    public string? RecipientName { get; set; }
    public string? RecipientAddress { get; set; }
    public string? Purpose { get; set; }
    public string? PurposeDescription { get; set; }
    public List<string> Categories { get; set; } = [];
    public string? RecordsFrom { get; set; }
    public string? RecordsThrough { get; set; }
    public string? ExpiresOn { get; set; }
    public string? ExpiryEvent { get; set; }
    public string? InformationDescription { get; set; }

    /// <summary>The release this form describes, with the names filled from the practice, or null with the errors added to <paramref name="state"/>.</summary>
    public ReleaseContent? ToContent(string clientName, string discloserName, string? practiceAddress, DateOnly today, ModelStateDictionary state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (!Wire<ReleaseKind>.TryParse(Kind, out var kind))
        {
            state.AddModelError("Input.Kind", "Choose the kind of release.");
        }
        ReleasePurpose? purpose = null;
        if (!string.IsNullOrWhiteSpace(Purpose))
        {
            if (Wire<ReleasePurpose>.TryParse(Purpose, out var p))
            {
                purpose = p;
            }
            else
            {
                state.AddModelError("Input.Purpose", "Choose what the records are for.");
            }
        }
        var categories = CategorySet.Empty;
        foreach (var name in Categories)
        {
            if (Core.Requests.Categories.TryParse(name, out var c))
            {
                categories = categories.With(c);
            }
            else
            {
                state.AddModelError("Input.Categories", "Choose from the listed kinds of record.");
            }
        }
        var from = Date(RecordsFrom, "Input.RecordsFrom", state);
        var through = Date(RecordsThrough, "Input.RecordsThrough", state);
        var expires = Date(ExpiresOn, "Input.ExpiresOn", state);
        foreach (var (value, field) in new[] { (RecipientName, "RecipientName"), (RecipientAddress, "RecipientAddress"), (PurposeDescription, "PurposeDescription"), (ExpiryEvent, "ExpiryEvent"), (InformationDescription, "InformationDescription") })
        {
            if (value?.Length > MaxText)
            {
                state.AddModelError($"Input.{field}", $"At most {MaxText} characters.");
            }
        }
        if (!state.IsValid)
        {
            return null;
        }
        var content = new ReleaseContent
        {
            Kind = kind,
            ClientName = clientName,
            DiscloserName = discloserName,
            PracticeAddress = practiceAddress,
            RecipientName = RecipientName?.Trim(),
            RecipientAddress = RecipientAddress?.Trim(),
            Purpose = purpose,
            PurposeDescription = PurposeDescription?.Trim(),
            Categories = categories,
            Records = from is null && through is null ? null : new DateRange(from, through),
            ExpiresOn = expires,
            ExpiryEvent = ExpiryEvent?.Trim(),
            InformationDescription = InformationDescription?.Trim(),
        };
        foreach (var problem in ReleaseCompleteness.Check(content, today))
        {
            state.AddModelError(FieldOf(problem.Field), problem.Message);
        }
        return state.IsValid ? content : null;
    }

    /// <summary>The form field a completeness problem belongs to; names filled from the practice go to the summary.</summary>
    public static string FieldOf(string contentField) =>
        contentField switch
        {
            nameof(ReleaseContent.Records) => "Input.RecordsFrom",
            nameof(ReleaseContent.ClientName) or nameof(ReleaseContent.DiscloserName) or nameof(ReleaseContent.PracticeAddress) => "",
            _ => $"Input.{contentField}",
        };

    private static DateOnly? Date(string? text, string field, ModelStateDictionary state)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        if (DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return date;
        }
        state.AddModelError(field, "Enter a date as YYYY-MM-DD, or leave it empty.");
        return null;
    }
}
