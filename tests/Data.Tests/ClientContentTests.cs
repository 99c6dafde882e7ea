using System.Security.Cryptography;
using Confide.Core.Requests;
using Confide.Data.Access;
using Confide.Data.Audit;
using Confide.Data.Crypto;
using Confide.Data.Entities;
using Microsoft.Extensions.Time.Testing;

namespace Confide.Data.Tests;

/// <summary>The authorization point's rule, and its reads refusing what the grant does not cover.</summary>
public sealed class ClientContentTests
{
    private static readonly Guid Practice = Guid.NewGuid();
    private static readonly Guid Client = Guid.NewGuid();
    private static readonly Guid Me = Guid.NewGuid();

    private static Reader Owner => new(Me, Practice, IsOwner: true, IsClinician: true, IsStaff: false);
    private static Reader Clinician => new(Me, Practice, IsOwner: false, IsClinician: true, IsStaff: false);
    private static Reader Staff => new(Me, Practice, IsOwner: false, IsClinician: false, IsStaff: true);

    private static ClientFacts Facts(bool assigned = false, bool shredded = false, Guid? glass = null, Guid? notes = null, Guid? practice = null) =>
        new(practice ?? Practice, Client, assigned, shredded, glass, notes);

    [Theory]
    [InlineData("owner", false, null, AccessOutcome.Granted)]
    [InlineData("clinician", true, null, AccessOutcome.Granted)]
    [InlineData("clinician", false, null, AccessOutcome.NeedsBreakGlass)]
    [InlineData("clinician", false, "billing", AccessOutcome.NeedsBreakGlass)]
    [InlineData("staff", false, null, AccessOutcome.NeedsReason)]
    [InlineData("staff", false, "free text", AccessOutcome.NeedsReason)]
    [InlineData("staff", false, "billing", AccessOutcome.Granted)]
    public void Decide_Record(string role, bool assigned, string? reason, AccessOutcome expected)
    {
        var reader = role switch
        {
            "owner" => Owner,
            "clinician" => Clinician,
            _ => Staff,
        };
        var decision = ClientContent.Decide(reader, Facts(assigned), ContentPurpose.Record, reason);
        Assert.Equal(expected, decision.Outcome);
        Assert.Equal(expected == AccessOutcome.Granted, decision.Grant is not null);
    }

    [Fact]
    public void Decide_OtherPractice_Shredded_BreakGlass_List()
    {
        Assert.Equal(AccessOutcome.NotFound, ClientContent.Decide(Owner, Facts(practice: Guid.NewGuid()), ContentPurpose.Record, null).Outcome);
        Assert.Equal(AccessOutcome.Shredded, ClientContent.Decide(Owner, Facts(shredded: true), ContentPurpose.Record, null).Outcome);
        Assert.Equal(AccessOutcome.Shredded, ClientContent.Decide(Clinician, Facts(assigned: true, shredded: true), ContentPurpose.Record, null).Outcome);
        // A clinician who could not find the client learns nothing from its being shredded.
        Assert.Equal(AccessOutcome.NeedsBreakGlass, ClientContent.Decide(Clinician, Facts(shredded: true), ContentPurpose.Record, null).Outcome);
        var glass = Guid.NewGuid();
        var opened = ClientContent.Decide(Clinician, Facts(glass: glass), ContentPurpose.Record, null);
        Assert.Equal(glass, opened.Grant!.BreakGlassId);
        Assert.Contains($"break-glass={glass:N}", AuditEvent.ClientViewed(Client, 0, opened.Grant).DetailText, StringComparison.Ordinal);
        Assert.Equal(AccessOutcome.NotFound, ClientContent.Decide(Clinician, Facts(), ContentPurpose.List, null).Outcome);
        Assert.Equal(AccessOutcome.Granted, ClientContent.Decide(Staff, Facts(), ContentPurpose.List, null).Outcome);
        Assert.Equal("items=0;reason=billing", AuditEvent.ClientViewed(Client, 0, ClientContent.Decide(Staff, Facts(), ContentPurpose.Record, "billing").Grant!).DetailText);
    }

    [Fact]
    public void Grant_PsychotherapyNotes_AuthorOnly_OrTheOwnerUnderANotesBreakGlass()
    {
        var note = new RecordItem { ClientId = Client, Category = Category.PsychotherapyNotes, AuthorId = Guid.NewGuid(), ContentCipher = [] };
        var mine = new RecordItem { ClientId = Client, Category = Category.PsychotherapyNotes, AuthorId = Me, ContentCipher = [] };
        Assert.False(ClientContent.Decide(Owner, Facts(), ContentPurpose.Record, null).Grant!.CanSee(note));
        Assert.True(ClientContent.Decide(Owner, Facts(), ContentPurpose.Record, null).Grant!.CanSee(mine));
        Assert.True(ClientContent.Decide(Owner, Facts(notes: Guid.NewGuid()), ContentPurpose.Record, null).Grant!.CanSee(note));
        // A notes break-glass is the owner's only: a clinician's grant ignores one.
        Assert.False(ClientContent.Decide(Clinician, Facts(assigned: true, notes: Guid.NewGuid()), ContentPurpose.Record, null).Grant!.CanSee(note));
    }

    [Fact]
    public async Task Read_RefusesAnotherClientsField_ContentUnderAListGrant_AndAnotherAuthorsNote()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var store = await SqliteDb.CreateAsync();
        await using var db = store.NewContext();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 29, 12, 0, 0, TimeSpan.Zero));
        var cipher = new RecordCipher(db, MasterKey.Create(RandomNumberGenerator.GetBytes(32)), time);
        var content = new ClientContent(db, cipher, new AuditTrail(db, time), time);
        var client = new Client { PracticeId = store.PracticeId, NameCipher = [], DateOfBirth = new DateOnly(1990, 1, 1) };
        var other = new Client { PracticeId = store.PracticeId, NameCipher = [], DateOfBirth = new DateOnly(1990, 1, 1) };
        var author = Guid.NewGuid();
        var note = new RecordItem { ClientId = client.Id, Category = Category.PsychotherapyNotes, AuthorId = author, ContentCipher = [] };
        client.NameCipher = await cipher.EncryptAsync(new FieldRef(store.PracticeId, client.Id, "Clients", client.Id, "name"), "Ana", ct);
        other.NameCipher = await cipher.EncryptAsync(new FieldRef(store.PracticeId, other.Id, "Clients", other.Id, "name"), "Ben", ct);
        note.ContentCipher = await cipher.EncryptAsync(new FieldRef(store.PracticeId, client.Id, "RecordItems", note.Id, "content"), "note", ct);
        var owner = new Reader(Guid.NewGuid(), store.PracticeId, IsOwner: true, IsClinician: true, IsStaff: false);
        var facts = new ClientFacts(store.PracticeId, client.Id, false, false, null, null);
        var grant = ClientContent.Decide(owner, facts, ContentPurpose.Record, null).Grant!;
        var list = ClientContent.Decide(owner, facts, ContentPurpose.List, null).Grant!;

        Assert.Equal("Ana", await content.ReadStringAsync(list, new FieldRef(store.PracticeId, client.Id, "Clients", client.Id, "name"), client.NameCipher, ct));
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => content.ReadAsync(grant, new FieldRef(store.PracticeId, other.Id, "Clients", other.Id, "name"), other.NameCipher, ct));
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => content.ReadItemAsync(list, note, new FieldRef(store.PracticeId, client.Id, "RecordItems", note.Id, "content"), note.ContentCipher, ct));
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => content.ReadAsync(grant, new FieldRef(store.PracticeId, client.Id, "RecordItems", note.Id, "content"), note.ContentCipher, ct));
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => content.ReadItemAsync(grant, note, new FieldRef(store.PracticeId, client.Id, "RecordItems", note.Id, "content"), note.ContentCipher, ct));
        var authorGrant = ClientContent.Decide(owner with { UserId = author }, facts, ContentPurpose.Record, null).Grant!;
        Assert.Equal("note"u8.ToArray(), await content.ReadItemAsync(authorGrant, note, new FieldRef(store.PracticeId, client.Id, "RecordItems", note.Id, "content"), note.ContentCipher, ct));
    }

    [Fact]
    public void Decide_DisclosureLog_IsTheCustodians_AndPortalOrSystemReadersGetNothingElse()
    {
        Assert.Equal(AccessOutcome.Granted, ClientContent.Decide(Owner, Facts(), ContentPurpose.Disclosures, null).Outcome);
        Assert.Equal(AccessOutcome.Granted, ClientContent.Decide(Staff, Facts(), ContentPurpose.Disclosures, null).Outcome);
        Assert.Equal(AccessOutcome.NotFound, ClientContent.Decide(Clinician, Facts(assigned: true), ContentPurpose.Disclosures, null).Outcome);
        Assert.Equal(AccessOutcome.Shredded, ClientContent.Decide(Staff, Facts(shredded: true), ContentPurpose.Disclosures, null).Outcome);
        Assert.Equal(AccessOutcome.NotFound, ClientContent.Decide(Owner, Facts(practice: Guid.NewGuid()), ContentPurpose.Disclosures, null).Outcome);
        // A portal grant is made only from a link (OpenPortalAsync), never by the rule for a reader.
        Assert.Equal(AccessOutcome.NotFound, ClientContent.Decide(Owner, Facts(), ContentPurpose.Portal, null).Outcome);
        var system = new Reader(Guid.Empty, Practice, false, false, false) { System = "cli-test" };
        var log = ClientContent.Decide(system, Facts(), ContentPurpose.Disclosures, null);
        Assert.Equal("items=0;system=cli-test", AuditEvent.ClientViewed(Client, 0, log.Grant!).DetailText);
        Assert.Equal(AccessOutcome.NotFound, ClientContent.Decide(system, Facts(), ContentPurpose.Record, null).Outcome);
        Assert.Equal(AccessOutcome.NotFound, ClientContent.Decide(system, Facts(), ContentPurpose.List, null).Outcome);
        var portal = new Reader(Guid.Empty, Practice, false, false, false) { Portal = "abcd1234" };
        Assert.Equal(AccessOutcome.NotFound, ClientContent.Decide(portal, Facts(), ContentPurpose.Record, null).Outcome);
    }

    [Fact]
    public async Task Read_ADisclosureLogGrant_ReadsEntriesAndTheName_NothingElse()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var store = await SqliteDb.CreateAsync();
        await using var db = store.NewContext();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 29, 12, 0, 0, TimeSpan.Zero));
        var cipher = new RecordCipher(db, MasterKey.Create(RandomNumberGenerator.GetBytes(32)), time);
        var content = new ClientContent(db, cipher, new AuditTrail(db, time), time);
        var clientId = Guid.NewGuid();
        var name = new FieldRef(store.PracticeId, clientId, "Clients", clientId, "name");
        var entry = new FieldRef(store.PracticeId, clientId, "Disclosures", Guid.NewGuid(), "content");
        var item = new FieldRef(store.PracticeId, clientId, "Requests", Guid.NewGuid(), "document");
        var release = new FieldRef(store.PracticeId, clientId, "Releases", Guid.NewGuid(), "content");
        var staff = new Reader(Guid.NewGuid(), store.PracticeId, IsOwner: false, IsClinician: false, IsStaff: true);
        var grant = ClientContent.Decide(staff, new ClientFacts(store.PracticeId, clientId, false, false, null, null), ContentPurpose.Disclosures, null).Grant!;

        Assert.Equal("Ana", await content.ReadStringAsync(grant, name, await cipher.EncryptAsync(name, "Ana", ct), ct));
        Assert.Equal("to a court", await content.ReadStringAsync(grant, entry, await cipher.EncryptAsync(entry, "to a court", ct), ct));
        await Assert.ThrowsAsync<UnauthorizedAccessException>(async () => await content.ReadAsync(grant, item, await cipher.EncryptAsync(item, "{}", ct), ct));
        await Assert.ThrowsAsync<UnauthorizedAccessException>(async () => await content.ReadAsync(grant, release, await cipher.EncryptAsync(release, "{}", ct), ct));
    }
}
