using System.Security.Cryptography;
using Confide.Core.Requests;
using Confide.Data.Access;
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
        Assert.Contains($"break-glass={glass:N}", opened.Grant.AuditDetail("x"), StringComparison.Ordinal);
        Assert.Equal(AccessOutcome.NotFound, ClientContent.Decide(Clinician, Facts(), ContentPurpose.List, null).Outcome);
        Assert.Equal(AccessOutcome.Granted, ClientContent.Decide(Staff, Facts(), ContentPurpose.List, null).Outcome);
        Assert.Equal("x;reason=billing", ClientContent.Decide(Staff, Facts(), ContentPurpose.Record, "billing").Grant!.AuditDetail("x"));
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
        var content = new ClientContent(db, cipher, time);
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
}
