using Confide.Core.Disclosure;
using Confide.Documents.Pdf;
using UglyToad.PdfPig;

namespace Confide.Documents.Tests;

/// <summary>The accounting of disclosures as CSV (RFC 4180, formula-safe) and as a PDF read back.</summary>
public sealed class AccountingReportTests
{
    [Theory]
    [InlineData("plain", "\"plain\"")]
    [InlineData("a \"quoted\" word", "\"a \"\"quoted\"\" word\"")]
    [InlineData("line one\r\nline two, with a comma", "\"line one\r\nline two, with a comma\"")]
    [InlineData("=SUM(A1:A9)", "\"'=SUM(A1:A9)\"")]
    [InlineData("+1 555 0100", "\"'+1 555 0100\"")]
    [InlineData("-2+3", "\"'-2+3\"")]
    [InlineData("@cmd", "\"'@cmd\"")]
    [InlineData("\t=1", "\"'\t=1\"")]
    [InlineData("\r=1", "\"'\r=1\"")]
    [InlineData("", "\"\"")]
    public void Field_QuotedAndNeverAFormula(string value, string expected) => Assert.Equal(expected, AccountingReport.Field(value));

    private static AccountingLine Line(DisclosureBasis basis, string recipient) =>
        new(new DisclosureEntry(Guid.CreateVersion7(), new DateOnly(2026, 3, 1), basis, recipient, "1 Court St", "billing records", "Court order, case 1", null), "client-1", "Dr. Test", "ab12");

    [Fact]
    public void Csv_HeaderThenOneRowPerLine_CrlfEnded()
    {
        var csv = AccountingReport.Csv([Line(DisclosureBasis.CourtOrder, "Superior Court"), Line(DisclosureBasis.AbuseReport, "County CPS")]);
        var rows = csv.Split("\r\n");
        Assert.Equal(4, rows.Length); // header, two rows, and the empty string after the last CRLF
        Assert.Equal("", rows[^1]);
        Assert.StartsWith("\"date\",\"client\",\"recipient\"", rows[0], StringComparison.Ordinal);
        Assert.StartsWith("\"2026-03-01\",\"client-1\",\"Superior Court\",\"1 Court St\",\"billing records\",\"Court order, case 1\",\"court order\"", rows[1], StringComparison.Ordinal);
    }

    [Fact]
    public void ClientAccounting_Pdf_ReadsBack_WithThePeriodAndEachDisclosure()
    {
        var model = AccountingReport.ClientAccounting("Test Practice", "Jane Roe (fictional)", new DateOnly(2026, 11, 29), [Line(DisclosureBasis.CourtOrder, "Superior Court")]);
        using var pdf = PdfDocument.Open(new PdfRenderer(PaperSize.Letter).Render(model));
        var text = string.Join(" ", pdf.GetPages().SelectMany(p => p.GetWords()).Select(w => w.Text));
        foreach (var expected in new[] { "Accounting", "164.528", "Jane", "Roe", "November", "29,", "2020", "Superior", "Court", "billing", "records" })
        {
            Assert.Contains(expected, text, StringComparison.Ordinal);
        }
        Assert.DoesNotContain("ab12", text, StringComparison.Ordinal); // the client's copy carries no internal hashes
    }
}
