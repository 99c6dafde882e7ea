using Confide.Core.Requests;
using Confide.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Confide.Data.Configurations;

// One IEntityTypeConfiguration per entity. Every foreign key and every column a page sorts or
// filters on has an index. Strings have a maximum length so both providers bound them.

internal sealed class PracticeConfiguration : IEntityTypeConfiguration<Practice>
{
    public void Configure(EntityTypeBuilder<Practice> b)
    {
        b.ToTable("Practices");
        b.Property(p => p.Name).HasMaxLength(200);
        b.Property(p => p.Address).HasMaxLength(500);
        b.Property(p => p.Jurisdiction).HasMaxLength(5);
        b.Property(p => p.TimeZone).HasMaxLength(64).HasDefaultValue("UTC");
        b.Property(p => p.Version).IsConcurrencyToken();
    }
}

internal sealed class UserConfiguration : IEntityTypeConfiguration<User>
{
    public void Configure(EntityTypeBuilder<User> b)
    {
        b.Property(u => u.DisplayName).HasMaxLength(200);
        b.Property(u => u.Profession).HasConversion(WireColumn.Converter<Profession>()).HasMaxLength(32);
        b.Property(u => u.LicenseNumber).HasMaxLength(100);
        b.HasOne<Practice>().WithMany().HasForeignKey(u => u.PracticeId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(u => u.PracticeId);
    }
}

internal sealed class ClientConfiguration : IEntityTypeConfiguration<Client>
{
    public void Configure(EntityTypeBuilder<Client> b)
    {
        b.ToTable("Clients");
        b.HasOne<Practice>().WithMany().HasForeignKey(c => c.PracticeId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(c => new { c.PracticeId, c.CreatedAt });
        b.HasMany(c => c.Guardians).WithOne().HasForeignKey(g => g.ClientId).OnDelete(DeleteBehavior.Cascade);
        b.HasMany(c => c.Assignments).WithOne().HasForeignKey(a => a.ClientId).OnDelete(DeleteBehavior.Cascade);
        b.Property(c => c.Version).IsConcurrencyToken();
    }
}

internal sealed class GuardianConfiguration : IEntityTypeConfiguration<Guardian>
{
    public void Configure(EntityTypeBuilder<Guardian> b)
    {
        b.ToTable("Guardians");
        b.HasIndex(g => g.ClientId);
        b.Property(g => g.Relationship).HasConversion<string>().HasMaxLength(32);
        b.Property(g => g.Version).IsConcurrencyToken();
    }
}

internal sealed class ClientAssignmentConfiguration : IEntityTypeConfiguration<ClientAssignment>
{
    public void Configure(EntityTypeBuilder<ClientAssignment> b)
    {
        b.ToTable("ClientAssignments");
        b.HasKey(a => new { a.ClientId, a.ClinicianId });
        b.HasOne<User>().WithMany().HasForeignKey(a => a.ClinicianId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(a => a.ClinicianId);
    }
}

internal sealed class RecordItemConfiguration : IEntityTypeConfiguration<RecordItem>
{
    public void Configure(EntityTypeBuilder<RecordItem> b)
    {
        b.ToTable("RecordItems");
        b.HasOne<Client>().WithMany().HasForeignKey(r => r.ClientId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<User>().WithMany().HasForeignKey(r => r.AuthorId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(r => new { r.ClientId, r.Date });
        b.HasIndex(r => r.AuthorId);
        b.HasIndex(r => r.Category);
        // The contract's wire name (progress-notes), readable in the database and stable if the enum is reordered.
        b.Property(r => r.Category).HasConversion(c => Categories.Name(c), s => CategoryColumn.Parse(s)).HasMaxLength(32);
        b.Ignore(r => r.IsPsychotherapyNote);
        b.HasMany(r => r.Attachments).WithOne().HasForeignKey(a => a.RecordItemId).OnDelete(DeleteBehavior.Restrict);
        b.Property(r => r.Version).IsConcurrencyToken();
    }
}

internal static class CategoryColumn
{
    public static Category Parse(string name) =>
        Categories.TryParse(name, out var category) ? category : throw new InvalidDataException($"unknown record category '{name}' in the database");
}

internal sealed class AttachmentConfiguration : IEntityTypeConfiguration<Attachment>
{
    public void Configure(EntityTypeBuilder<Attachment> b)
    {
        b.ToTable("Attachments");
        b.HasIndex(a => a.RecordItemId);
        b.HasOne<Client>().WithMany().HasForeignKey(a => a.ClientId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(a => a.ClientId);
        b.Property(a => a.ContentType).HasMaxLength(100);
    }
}

internal sealed class ClientKeyConfiguration : IEntityTypeConfiguration<ClientKey>
{
    public void Configure(EntityTypeBuilder<ClientKey> b)
    {
        b.ToTable("ClientKeys");
        b.HasOne<Practice>().WithMany().HasForeignKey(k => k.PracticeId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Client>().WithMany().HasForeignKey(k => k.ClientId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(k => k.PracticeId);
        b.HasIndex(k => new { k.ClientId, k.KeyVersion }).IsUnique();
        b.HasIndex(k => new { k.PracticeId, k.PracticeKeyVersion });
        b.Property(k => k.Version).IsConcurrencyToken();
    }
}

internal sealed class PracticeKeyConfiguration : IEntityTypeConfiguration<PracticeKey>
{
    public void Configure(EntityTypeBuilder<PracticeKey> b)
    {
        b.ToTable("PracticeKeys");
        b.HasOne<Practice>().WithMany().HasForeignKey(k => k.PracticeId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(k => new { k.PracticeId, k.KeyVersion }).IsUnique();
        b.Property(k => k.MasterKeyId).HasMaxLength(32);
        b.Property(k => k.Version).IsConcurrencyToken();
    }
}

internal sealed class BreakGlassConfiguration : IEntityTypeConfiguration<BreakGlass>
{
    public void Configure(EntityTypeBuilder<BreakGlass> b)
    {
        b.ToTable("BreakGlasses");
        b.HasOne<Practice>().WithMany().HasForeignKey(g => g.PracticeId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Client>().WithMany().HasForeignKey(g => g.ClientId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<User>().WithMany().HasForeignKey(g => g.UserId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(g => new { g.ClientId, g.UserId, g.ExpiresAt });
        b.HasIndex(g => new { g.PracticeId, g.AcknowledgedAt });
        b.Property(g => g.Scope).HasConversion<string>().HasMaxLength(32);
        b.Property(g => g.ReasonCode).HasMaxLength(32);
        b.Property(g => g.Version).IsConcurrencyToken();
    }
}

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> b)
    {
        b.ToTable("AuditEntries");
        b.HasOne<Practice>().WithMany().HasForeignKey(e => e.PracticeId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(e => new { e.PracticeId, e.Sequence }).IsUnique();
        b.HasIndex(e => new { e.PracticeId, e.At });
        b.HasIndex(e => e.ActorUserId);
        b.HasIndex(e => e.ClientId);
        b.Property(e => e.Action).HasMaxLength(64);
        b.Property(e => e.TargetType).HasMaxLength(64);
        b.Property(e => e.TargetId).HasMaxLength(64);
        b.Property(e => e.Detail).HasMaxLength(500);
        b.Property(e => e.PrevHash).HasMaxLength(32);
        b.Property(e => e.Hash).HasMaxLength(32);
        // Rows sealed before the column existed were sealed with format 1; new entries always set it.
        b.Property(e => e.Format).HasDefaultValue(1);
    }
}

internal sealed class StoredCheckpointConfiguration : IEntityTypeConfiguration<StoredCheckpoint>
{
    public void Configure(EntityTypeBuilder<StoredCheckpoint> b)
    {
        b.ToTable("AuditCheckpoints");
        b.HasOne<Practice>().WithMany().HasForeignKey(c => c.PracticeId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(c => new { c.PracticeId, c.EntryCount });
        b.Property(c => c.HeadHash).HasMaxLength(32);
        b.Property(c => c.Signature).HasMaxLength(64);
        b.Property(c => c.PublicKey).HasMaxLength(32);
        b.Property(c => c.KeyId).HasMaxLength(16);
    }
}
