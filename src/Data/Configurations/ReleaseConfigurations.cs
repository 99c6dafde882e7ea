using Confide.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Confide.Data.Configurations;

internal sealed class ReleaseConfiguration : IEntityTypeConfiguration<Release>
{
    public void Configure(EntityTypeBuilder<Release> b)
    {
        b.ToTable("Releases");
        b.HasOne<Practice>().WithMany().HasForeignKey(r => r.PracticeId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Client>().WithMany().HasForeignKey(r => r.ClientId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<User>().WithMany().HasForeignKey(r => r.CreatedById).OnDelete(DeleteBehavior.Restrict);
        // Triage and the client's page: a client's releases by status.
        b.HasIndex(r => new { r.ClientId, r.Status });
        b.HasIndex(r => r.PracticeId);
        b.HasIndex(r => r.CreatedById);
        b.Property(r => r.Kind).HasMaxLength(32);
        b.Property(r => r.Status).HasConversion(WireColumn.Converter<ReleaseStatus>()).HasMaxLength(16);
        b.Property(r => r.Categories).HasMaxLength(200);
        b.Property(r => r.ShownTextSha256).HasMaxLength(32);
        b.Property(r => r.Version).IsConcurrencyToken();
    }
}

internal sealed class PortalTokenConfiguration : IEntityTypeConfiguration<PortalToken>
{
    public void Configure(EntityTypeBuilder<PortalToken> b)
    {
        b.ToTable("PortalTokens");
        b.HasOne<Practice>().WithMany().HasForeignKey(t => t.PracticeId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Client>().WithMany().HasForeignKey(t => t.ClientId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Release>().WithMany().HasForeignKey(t => t.ReleaseId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(t => t.TokenHash).IsUnique();
        b.HasIndex(t => t.ReleaseId);
        b.HasIndex(t => t.PracticeId);
        b.HasIndex(t => t.ClientId);
        b.Property(t => t.TokenHash).HasMaxLength(32);
        b.Property(t => t.Purpose).HasConversion(WireColumn.Converter<PortalTokenPurpose>()).HasMaxLength(16);
    }
}

internal sealed class PortalFailureConfiguration : IEntityTypeConfiguration<PortalFailure>
{
    public void Configure(EntityTypeBuilder<PortalFailure> b)
    {
        b.ToTable("PortalFailures");
        b.HasIndex(f => f.At);
        b.Property(f => f.Reason).HasMaxLength(16);
        b.Property(f => f.HashPrefix).HasMaxLength(8);
    }
}

internal sealed class DeterminationReleaseConfiguration : IEntityTypeConfiguration<DeterminationRelease>
{
    public void Configure(EntityTypeBuilder<DeterminationRelease> b)
    {
        b.ToTable("DeterminationReleases");
        b.HasKey(x => new { x.DeterminationId, x.ReleaseId });
        b.HasOne<RequestDetermination>().WithMany().HasForeignKey(x => x.DeterminationId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Release>().WithMany().HasForeignKey(x => x.ReleaseId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(x => x.ReleaseId);
    }
}
