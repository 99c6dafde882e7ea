using Confide.Core.Disclosure;
using Confide.Core.Law;
using Confide.Core.Triage;

namespace Confide.Core.Tests;

/// <summary>The accounting of disclosures (45 C.F.R. § 164.528): what it holds, for which period.</summary>
public sealed class AccountingTests
{
    private static readonly DateOnly RequestedOn = new(2026, 11, 29);

    private static DisclosureEntry Entry(DisclosureBasis basis, DateOnly on, Guid? corrects = null, string recipient = "Recipient") =>
        new(Guid.CreateVersion7(), on, basis, recipient, "1 Main St", "progress notes", "basis", corrects);

    [Theory]
    [InlineData(DisclosureBasis.CourtOrder, true)]
    [InlineData(DisclosureBasis.Subpoena, true)]
    [InlineData(DisclosureBasis.AbuseReport, true)]
    [InlineData(DisclosureBasis.SeriousThreat, true)]
    [InlineData(DisclosureBasis.ClientAuthorization, false)]
    [InlineData(DisclosureBasis.ToClient, false)]
    [InlineData(DisclosureBasis.TreatmentPaymentOperations, false)]
    [InlineData(DisclosureBasis.InvolvedInCare, false)]
    [InlineData(DisclosureBasis.NationalSecurity, false)]
    [InlineData(DisclosureBasis.Custody, false)]
    [InlineData(DisclosureBasis.LimitedDataSet, false)]
    public void Accountable_As164528a1Says(DisclosureBasis basis, bool expected)
    {
        Assert.Equal(expected, Accounting.Accountable(basis));
        // Every rule names its paragraph: the exceptions (a)(1)(i)-(viii), the others the section that allowed them.
        Assert.Contains(expected ? "accounted for" : "left out: 45 C.F.R. § 164.528(a)(1)(", Accounting.Rule(basis), StringComparison.Ordinal);
    }

    [Fact]
    public void EveryBasis_HasARule()
    {
        foreach (var basis in Enum.GetValues<DisclosureBasis>())
        {
            _ = Accounting.Accountable(basis);
            Assert.StartsWith(Accounting.Accountable(basis) ? "accounted for" : "left out", Accounting.Rule(basis), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Citation_IsInTheCatalog_AndVerified()
    {
        var citation = LawLibrary.Embedded.Catalog.Find(Accounting.CitationId);
        Assert.NotNull(citation);
        Assert.Equal(VerificationStatus.V, citation.Status);
        Assert.Contains("164.528", citation.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void SixYears_BeforeTheRequest_Inclusive()
    {
        var onEdge = Entry(DisclosureBasis.CourtOrder, RequestedOn.AddYears(-6));
        var tooOld = Entry(DisclosureBasis.CourtOrder, RequestedOn.AddYears(-6).AddDays(-1));
        var recent = Entry(DisclosureBasis.AbuseReport, RequestedOn);
        var future = Entry(DisclosureBasis.AbuseReport, RequestedOn.AddDays(1));
        var result = Accounting.ForClient([recent, tooOld, onEdge, future], RequestedOn);
        Assert.Equal([onEdge.Id, recent.Id], result.Select(e => e.Id));
    }

    [Fact]
    public void BeforeTheComplianceDate_LeftOut()
    {
        var before = Entry(DisclosureBasis.CourtOrder, new DateOnly(2003, 4, 13));
        var on = Entry(DisclosureBasis.CourtOrder, new DateOnly(2003, 4, 14));
        Assert.Equal([on.Id], Accounting.ForClient([before, on], new DateOnly(2009, 1, 1)).Select(e => e.Id));
    }

    [Fact]
    public void Exceptions_LeftOut_OthersKept()
    {
        var entries = Enum.GetValues<DisclosureBasis>().Select(b => Entry(b, RequestedOn.AddDays(-10))).ToList();
        var result = Accounting.ForClient(entries, RequestedOn);
        Assert.Equal(
            [DisclosureBasis.CourtOrder, DisclosureBasis.Subpoena, DisclosureBasis.AbuseReport, DisclosureBasis.SeriousThreat],
            result.Select(e => e.Basis).Order()
        );
    }

    [Fact]
    public void Correction_ReplacesTheEntryItCorrects_AlongAChain()
    {
        var original = Entry(DisclosureBasis.CourtOrder, RequestedOn.AddDays(-30), recipient: "Wrong");
        var first = Entry(DisclosureBasis.CourtOrder, RequestedOn.AddDays(-30), original.Id, "Still wrong");
        var second = Entry(DisclosureBasis.CourtOrder, RequestedOn.AddDays(-30), first.Id, "Right");
        var other = Entry(DisclosureBasis.AbuseReport, RequestedOn.AddDays(-5));
        var current = Accounting.Current([original, first, second, other]);
        Assert.Equal(["Right", "Recipient"], current.Select(e => e.Recipient));
        // A correction that makes a disclosure one the accounting leaves out removes it from the accounting.
        var toAuthorization = Entry(DisclosureBasis.ClientAuthorization, RequestedOn.AddDays(-30), second.Id);
        Assert.Equal([other.Id], Accounting.ForClient([original, first, second, other, toAuthorization], RequestedOn).Select(e => e.Id));
    }

    [Theory]
    [InlineData(Outcome.ComplyWithOrder, DisclosureBasis.CourtOrder)]
    [InlineData(Outcome.DiscloseWithAuthorization, DisclosureBasis.ClientAuthorization)]
    [InlineData(Outcome.ClientAccess, DisclosureBasis.ToClient)]
    [InlineData(Outcome.MandatedReport, DisclosureBasis.AbuseReport)]
    [InlineData(Outcome.DutyToProtect, DisclosureBasis.SeriousThreat)]
    public void BasisOf_DisclosingOutcomes(Outcome outcome, DisclosureBasis basis) => Assert.Equal(basis, Accounting.BasisOf(outcome));

    [Theory]
    [InlineData(Outcome.AssertPrivilege)]
    [InlineData(Outcome.RequestWrittenOrder)]
    [InlineData(Outcome.ObtainAuthorization)]
    [InlineData(Outcome.ConfidentialNoDisclosure)]
    [InlineData(Outcome.ConsultCounsel)]
    public void BasisOf_RefusingOutcomes_IsNull(Outcome outcome) => Assert.Null(Accounting.BasisOf(outcome));
}
