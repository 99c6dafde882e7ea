using Confide.Core;
using Confide.Core.Triage;
using Confide.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Confide.Data.Configurations;

// Requests for client information. Enums are stored as the contract's wire names (assert-privilege,
// under-review): readable in the database and stable if an enum is reordered. Every foreign key and
// every column the queue, the feed or the charts filter or sort on has an index.

internal sealed class RecordRequestConfiguration : IEntityTypeConfiguration<RecordRequest>
{
    public void Configure(EntityTypeBuilder<RecordRequest> b)
    {
        b.ToTable("Requests");
        b.HasOne<Practice>().WithMany().HasForeignKey(r => r.PracticeId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Client>().WithMany().HasForeignKey(r => r.ClientId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<User>().WithMany().HasForeignKey(r => r.ClinicianId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<User>().WithMany().HasForeignKey(r => r.CreatedById).OnDelete(DeleteBehavior.Restrict);
        // The queue and the feed: open requests of a practice by deadline.
        b.HasIndex(r => new { r.PracticeId, r.Status, r.RespondBy });
        // The chart: a practice's requests received in the last 12 months, by outcome.
        b.HasIndex(r => new { r.PracticeId, r.ReceivedOn });
        b.HasIndex(r => new { r.ClientId, r.ReceivedOn });
        b.HasIndex(r => r.ClinicianId);
        b.HasIndex(r => r.CreatedById);
        b.Property(r => r.Status).HasConversion(WireColumn.Converter<RequestStatus>()).HasMaxLength(32);
        b.Property(r => r.Outcome).HasConversion(WireColumn.Converter<Outcome>()).HasMaxLength(32);
        b.Ignore(r => r.IsOpen);
        b.Property(r => r.Version).IsConcurrencyToken();
        // The owner's home: requests flagged "re-check needed".
        b.Property(r => r.RecheckReason).HasMaxLength(500);
        b.HasIndex(r => new { r.PracticeId, r.RecheckSince });
    }
}

internal sealed class RequestDeterminationConfiguration : IEntityTypeConfiguration<RequestDetermination>
{
    public void Configure(EntityTypeBuilder<RequestDetermination> b)
    {
        b.ToTable("RequestDeterminations");
        b.HasOne<RecordRequest>().WithMany().HasForeignKey(d => d.RequestId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Client>().WithMany().HasForeignKey(d => d.ClientId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<User>().WithMany().HasForeignKey(d => d.CreatedById).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(d => new { d.RequestId, d.Sequence }).IsUnique();
        b.HasIndex(d => d.ClientId);
        b.HasIndex(d => d.CreatedById);
        b.Property(d => d.Outcome).HasConversion(WireColumn.Converter<Outcome>()).HasMaxLength(32);
        b.Property(d => d.ProfileJurisdiction).HasMaxLength(5);
        b.Property(d => d.ProfileVersion).HasMaxLength(32);
    }
}

internal sealed class RequestStepTickConfiguration : IEntityTypeConfiguration<RequestStepTick>
{
    public void Configure(EntityTypeBuilder<RequestStepTick> b)
    {
        b.ToTable("RequestStepTicks");
        b.HasOne<RecordRequest>().WithMany().HasForeignKey(t => t.RequestId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<RequestDetermination>().WithMany().HasForeignKey(t => t.DeterminationId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<User>().WithMany().HasForeignKey(t => t.TickedById).OnDelete(DeleteBehavior.Restrict);
        // A step is ticked once: the backstop for two people ticking it at the same moment.
        b.HasIndex(t => new { t.DeterminationId, t.StepIndex }).IsUnique();
        b.HasIndex(t => t.RequestId);
        b.HasIndex(t => t.TickedById);
    }
}

internal sealed class RequestNoteConfiguration : IEntityTypeConfiguration<RequestNote>
{
    public void Configure(EntityTypeBuilder<RequestNote> b)
    {
        b.ToTable("RequestNotes");
        b.HasOne<RecordRequest>().WithMany().HasForeignKey(n => n.RequestId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Client>().WithMany().HasForeignKey(n => n.ClientId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<User>().WithMany().HasForeignKey(n => n.AuthorId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(n => new { n.RequestId, n.CreatedAt });
        b.HasIndex(n => n.ClientId);
        b.HasIndex(n => n.AuthorId);
    }
}

internal sealed class RequestStatusChangeConfiguration : IEntityTypeConfiguration<RequestStatusChange>
{
    public void Configure(EntityTypeBuilder<RequestStatusChange> b)
    {
        b.ToTable("RequestStatusChanges");
        b.HasOne<RecordRequest>().WithMany().HasForeignKey(c => c.RequestId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<User>().WithMany().HasForeignKey(c => c.ById).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(c => new { c.RequestId, c.At });
        b.HasIndex(c => c.ById);
        b.Property(c => c.From).HasConversion(WireColumn.Converter<RequestStatus>()).HasMaxLength(32);
        b.Property(c => c.To).HasConversion(WireColumn.Converter<RequestStatus>()).HasMaxLength(32);
    }
}

internal sealed class RequestFileConfiguration : IEntityTypeConfiguration<RequestFile>
{
    public void Configure(EntityTypeBuilder<RequestFile> b)
    {
        b.ToTable("RequestFiles");
        b.HasOne<RecordRequest>().WithMany().HasForeignKey(f => f.RequestId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Client>().WithMany().HasForeignKey(f => f.ClientId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<User>().WithMany().HasForeignKey(f => f.CreatedById).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(f => f.RequestId);
        b.HasIndex(f => f.ClientId);
        b.HasIndex(f => f.CreatedById);
        b.Property(f => f.ContentType).HasMaxLength(100);
        b.Property(f => f.Sha256).HasMaxLength(32);
    }
}

internal sealed class CalendarFeedConfiguration : IEntityTypeConfiguration<CalendarFeed>
{
    public void Configure(EntityTypeBuilder<CalendarFeed> b)
    {
        b.ToTable("CalendarFeeds");
        b.HasKey(f => f.UserId);
        b.HasOne<User>().WithMany().HasForeignKey(f => f.UserId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(f => f.TokenHash).IsUnique();
        b.Property(f => f.TokenHash).HasMaxLength(32);
    }
}

/// <summary>Stores an enum as its contract wire name; a nullable property uses the same converter (EF passes nulls through).</summary>
internal static class WireColumn
{
    public static ValueConverter<T, string> Converter<T>()
        where T : struct, Enum => new(v => Wire<T>.Name(v), s => Parse<T>(s));

    public static T Parse<T>(string name)
        where T : struct, Enum =>
        Wire<T>.TryParse(name, out var value) ? value : throw new InvalidDataException($"unknown {typeof(T).Name} '{name}' in the database");
}
