using System.Globalization;
using System.Net;
using System.Text;
using Confide.Core;
using Confide.Core.Triage;

namespace Confide.Web.Pages;

/// <summary>
/// Requests by outcome as a horizontal bar chart in SVG, drawn on the server (no script). Every
/// outcome has a row, zero included, so the chart reads the same month to month; each bar carries
/// its outcome and count as data attributes and a title, and the whole has a text alternative.
/// </summary>
internal static class OutcomeChart
{
    private const int LabelWidth = 330;
    private const int BarWidth = 300;
    private const int RowHeight = 26;

    public static string Svg(IReadOnlyDictionary<Outcome, int> counts, string caption)
    {
        ArgumentNullException.ThrowIfNull(counts);
        var outcomes = Enum.GetValues<Outcome>();
        var max = Math.Max(1, counts.Values.DefaultIfEmpty(0).Max());
        var height = (outcomes.Length * RowHeight) + 10;
        var width = LabelWidth + BarWidth + 50;
        var total = counts.Values.Sum();
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"outcome-chart\" role=\"img\" aria-labelledby=\"chart-title\" viewBox=\"0 0 {width} {height}\" width=\"100%\" font-family=\"system-ui, sans-serif\" font-size=\"13\">");
        sb.Append(CultureInfo.InvariantCulture, $"<title id=\"chart-title\">{WebUtility.HtmlEncode(caption)}: {total} request(s)</title>");
        for (var i = 0; i < outcomes.Length; i++)
        {
            var outcome = outcomes[i];
            var count = counts.GetValueOrDefault(outcome);
            var y = 5 + (i * RowHeight);
            var w = (int)Math.Round((double)count / max * BarWidth);
            var label = WebUtility.HtmlEncode(Vocabulary.Long(outcome));
            var wire = Wire<Outcome>.Name(outcome);
            sb.Append(CultureInfo.InvariantCulture, $"<g class=\"bar\" data-outcome=\"{wire}\" data-count=\"{count}\"><title>{label}: {count}</title>");
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{LabelWidth - 8}\" y=\"{y + 16}\" text-anchor=\"end\" fill=\"#1d2430\">{Shorten(label)}</text>");
            sb.Append(CultureInfo.InvariantCulture, $"<rect x=\"{LabelWidth}\" y=\"{y + 3}\" width=\"{w}\" height=\"{RowHeight - 8}\" fill=\"#1f5fa8\"></rect>");
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{LabelWidth + w + 6}\" y=\"{y + 16}\" fill=\"#1d2430\">{count}</text></g>");
        }
        sb.Append("</svg>");
        return sb.ToString();
    }

    private static string Shorten(string label)
    {
        var colon = label.IndexOf(':', StringComparison.Ordinal);
        var text = colon > 0 ? label[..colon] : label;
        return text.Length <= 48 ? text : text[..47] + "…";
    }
}
