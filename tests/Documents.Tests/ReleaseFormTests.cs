using Confide.Core.Law;
using Confide.Core.Releases;
using Confide.Core.Requests;
using Confide.Core.Triage;
using Confide.Documents.Pdf;

namespace Confide.Documents.Tests;

/// <summary>A client's stored release as the form of its kind: filled from the release, in plain words, and signed with its evidence.</summary>
public sealed class ReleaseFormTests
{
    private static ReleaseContent Release(ReleaseKind kind, params Category[] categories) =>
        new()
        {
            Kind = kind,
            ClientName = "Jordan Avery (fictional)",
            DiscloserName = "Dr. Sam Lee, Harbor Counseling",
            PracticeAddress = "1 Main St, Oakland, CA",
            RecipientName = "Dana Reyes, Esq. (fictional)",
            RecipientAddress = "200 Market St, San Francisco, CA",
            Purpose = ReleasePurpose.LegalProceeding,
            PurposeDescription = "Use in Avery v. Avery",
            Categories = CategorySet.Of(categories),
            Records = new Core.Disclosure.DateRange(new DateOnly(2025, 1, 1), new DateOnly(2025, 12, 31)),
            ExpiresOn = new DateOnly(2027, 5, 30),
            InformationDescription = kind == ReleaseKind.Sud ? "dates of attendance and the discharge summary" : null,
        };

    private static DocumentModel Compose(ReleaseContent release, ReleaseSigning? signing = null) =>
        DocumentComposer.ComposeRelease(DocumentContext.ForRelease(release, "US-CA", "Harbor Counseling", "LCSW 12345", LawLibrary.Embedded, new DateOnly(2026, 11, 29), signing));

    [Theory]
    [InlineData(ReleaseKind.General, DocumentKind.AuthorizationForm, Category.ProgressNotes)]
    [InlineData(ReleaseKind.PsychotherapyNotes, DocumentKind.PsychotherapyNotesAuthorizationForm, Category.PsychotherapyNotes)]
    [InlineData(ReleaseKind.Sud, DocumentKind.SudConsentForm, Category.SudRecords)]
    public void EachKind_IsItsOwnForm_FilledFromTheRelease_WithTheRequiredStatements(ReleaseKind kind, DocumentKind expected, Category category)
    {
        var model = Compose(Release(kind, category));
        Assert.Equal(expected, model.Kind);
        var text = DocumentComposer.PlainText(model);
        Assert.Contains("In plain words", text, StringComparison.Ordinal);
        Assert.Contains("With whom: Dana Reyes, Esq. (fictional) only.", text, StringComparison.Ordinal);
        Assert.Contains("Use in Avery v. Avery", text, StringComparison.Ordinal);
        Assert.Contains("through May 30, 2027", text, StringComparison.Ordinal);
        Assert.Contains("from January 1, 2025 to December 31, 2025", text, StringComparison.Ordinal);
        Assert.Contains("Jordan Avery (fictional)", text, StringComparison.Ordinal);
        // 164.508(c)(2) statements and 2.31: revoke, not conditioned, redisclosure, a copy.
        Assert.Contains("revoke", text, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("conditioned", text, StringComparison.Ordinal);
        Assert.Contains("redisclose", text, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("You will receive a copy", text, StringComparison.Ordinal);
        // No paper blanks where the release says what goes there, and no signature lines before signing.
        Assert.DoesNotContain("(recipient's name)", text, StringComparison.Ordinal);
        Assert.DoesNotContain("(purpose)", text, StringComparison.Ordinal);
        Assert.Contains("You sign by typing your full name below", text, StringComparison.Ordinal);
        if (kind == ReleaseKind.Sud)
        {
            Assert.Contains("dates of attendance and the discharge summary", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void TheSignedCopy_CarriesTheEvidenceButNoPortalLink_ReadBackFromThePdf()
    {
        var signing = new ReleaseSigning("Jordan Avery", new DateTimeOffset(2026, 11, 29, 15, 4, 5, TimeSpan.Zero), "203.0.113.9", "Mozilla/5.0 (test)", new string('a', 64));
        var unsigned = DocumentComposer.PlainText(Compose(Release(ReleaseKind.General, Category.ProgressNotes)));
        var model = Compose(Release(ReleaseKind.General, Category.ProgressNotes), signing);
        var pdf = ReadBack.Pdf(new PdfRenderer(PaperSize.Letter).Render(model)).Text;
        Assert.Contains("Signed electronically by: Jordan Avery", ReadBack.Normalize(pdf), StringComparison.Ordinal);
        Assert.Contains("November 29, 2026 15:04:05 UTC", pdf, StringComparison.Ordinal);
        Assert.Contains("203.0.113.9", pdf, StringComparison.Ordinal);
        Assert.Contains(new string('a', 64), pdf, StringComparison.Ordinal);
        // The copy is often forwarded to the recipient: it tells the client how to revoke but carries no link.
        Assert.DoesNotContain("/portal/", pdf, StringComparison.Ordinal);
        Assert.Contains("revocation link you were given when you signed", ReadBack.Normalize(pdf), StringComparison.Ordinal);
        Assert.DoesNotContain("Signed electronically", unsigned, StringComparison.Ordinal);
    }

    [Fact]
    public void ABlankFormForARequest_IsUnchanged_WithoutARelease()
    {
        var context = Scenarios.Context("ca-wants-disclosure", withDetails: false);
        Assert.Null(context.Release);
        var text = string.Join("\n", DocumentComposer.Compose(DocumentKind.AuthorizationForm, context).Texts());
        Assert.DoesNotContain("In plain words", text, StringComparison.Ordinal);
        Assert.Contains("(recipient's name)", text, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => DocumentComposer.ComposeRelease(context));
    }
}
