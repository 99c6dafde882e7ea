using Confide.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Confide.Data.Configurations;

internal sealed class DisclosureConfiguration : IEntityTypeConfiguration<Disclosure>
{
    public void Configure(EntityTypeBuilder<Disclosure> b)
    {
        b.ToTable("Disclosures");
        b.HasOne<Practice>().WithMany().HasForeignKey(d => d.PracticeId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Client>().WithMany().HasForeignKey(d => d.ClientId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<RecordRequest>().WithMany().HasForeignKey(d => d.RequestId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Packet>().WithMany().HasForeignKey(d => d.PacketId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Disclosure>().WithMany().HasForeignKey(d => d.CorrectsId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<User>().WithMany().HasForeignKey(d => d.DisclosedById).OnDelete(DeleteBehavior.Restrict);
        // The practice log by date; a client's accounting by date.
        b.HasIndex(d => new { d.PracticeId, d.DisclosedOn });
        b.HasIndex(d => new { d.ClientId, d.DisclosedOn });
        b.HasIndex(d => d.RequestId);
        b.HasIndex(d => d.PacketId).IsUnique();
        b.HasIndex(d => d.CorrectsId);
        b.HasIndex(d => d.DisclosedById);
        // DeterminationId and ReleaseId are references without a foreign key: releases live on another branch.
        b.Property(d => d.Basis).HasConversion<string>().HasMaxLength(32);
    }
}

internal sealed class PacketConfiguration : IEntityTypeConfiguration<Packet>
{
    public void Configure(EntityTypeBuilder<Packet> b)
    {
        b.ToTable("Packets");
        b.HasOne<Practice>().WithMany().HasForeignKey(p => p.PracticeId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Client>().WithMany().HasForeignKey(p => p.ClientId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<RecordRequest>().WithMany().HasForeignKey(p => p.RequestId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<RequestDetermination>().WithMany().HasForeignKey(p => p.DeterminationId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<User>().WithMany().HasForeignKey(p => p.CreatedById).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(p => p.RequestId);
        b.HasIndex(p => p.ClientId);
        b.HasIndex(p => p.DeterminationId);
        b.HasIndex(p => p.CreatedById);
        b.HasIndex(p => new { p.PracticeId, p.Status });
        b.Property(p => p.Status).HasConversion<string>().HasMaxLength(16);
        b.Property(p => p.Failure).HasMaxLength(64);
    }
}

internal sealed class FinalizedDocumentConfiguration : IEntityTypeConfiguration<FinalizedDocument>
{
    public void Configure(EntityTypeBuilder<FinalizedDocument> b)
    {
        b.ToTable("FinalizedDocuments");
        b.HasOne<Practice>().WithMany().HasForeignKey(d => d.PracticeId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Client>().WithMany().HasForeignKey(d => d.ClientId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<RecordRequest>().WithMany().HasForeignKey(d => d.RequestId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<RequestDetermination>().WithMany().HasForeignKey(d => d.DeterminationId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<User>().WithMany().HasForeignKey(d => d.FinalizedById).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(d => new { d.RequestId, d.Kind, d.Version }).IsUnique();
        b.HasIndex(d => d.PracticeId);
        b.HasIndex(d => d.ClientId);
        b.HasIndex(d => d.DeterminationId);
        b.HasIndex(d => d.FinalizedById);
        b.Property(d => d.Kind).HasConversion(WireColumn.Converter<Confide.Core.Triage.DocumentKind>()).HasMaxLength(64);
    }
}
