using Confide.Data.Audit;
using Confide.Data.Entities;
using Confide.Data.Isolation;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Confide.Data;

/// <summary>
/// The one DbContext of Confide, for both providers. Pages and endpoints use it directly (no
/// repository layer: EF already abstracts the provider). Saving stamps a new version on every
/// changed <see cref="IVersioned"/> row and seals new audit entries into the practice's hash chain
/// in the same transaction as the change they record.
/// </summary>
public sealed class ConfideDbContext(DbContextOptions<ConfideDbContext> options)
    : IdentityDbContext<User, Role, Guid>(options)
{
    public DbSet<Practice> Practices => Set<Practice>();
    public DbSet<Client> Clients => Set<Client>();
    public DbSet<Guardian> Guardians => Set<Guardian>();
    public DbSet<ClientAssignment> ClientAssignments => Set<ClientAssignment>();
    public DbSet<RecordItem> RecordItems => Set<RecordItem>();
    public DbSet<Attachment> Attachments => Set<Attachment>();
    public DbSet<ClientKey> ClientKeys => Set<ClientKey>();
    public DbSet<PracticeKey> PracticeKeys => Set<PracticeKey>();
    public DbSet<BreakGlass> BreakGlasses => Set<BreakGlass>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    public DbSet<StoredCheckpoint> AuditCheckpoints => Set<StoredCheckpoint>();
    public DbSet<RecordRequest> Requests => Set<RecordRequest>();
    public DbSet<RequestDetermination> RequestDeterminations => Set<RequestDetermination>();
    public DbSet<RequestStepTick> RequestStepTicks => Set<RequestStepTick>();
    public DbSet<RequestNote> RequestNotes => Set<RequestNote>();
    public DbSet<RequestStatusChange> RequestStatusChanges => Set<RequestStatusChange>();
    public DbSet<RequestFile> RequestFiles => Set<RequestFile>();
    public DbSet<CalendarFeed> CalendarFeeds => Set<CalendarFeed>();
    public DbSet<Release> Releases => Set<Release>();
    public DbSet<PortalToken> PortalTokens => Set<PortalToken>();
    public DbSet<PortalFailure> PortalFailures => Set<PortalFailure>();
    public DbSet<DeterminationRelease> DeterminationReleases => Set<DeterminationRelease>();
    public DbSet<Disclosure> Disclosures => Set<Disclosure>();
    public DbSet<Packet> Packets => Set<Packet>();
    public DbSet<FinalizedDocument> FinalizedDocuments => Set<FinalizedDocument>();

    /// <summary>The practice this context works for: on PostgreSQL, row-level security shows and accepts only its rows.</summary>
    public PracticeScope Scope { get; } = new();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(ConfideDbContext).Assembly);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite has no timestamp type and EF's SQLite provider cannot order or compare
        // DateTimeOffset: store UTC ticks (INTEGER) there. PostgreSQL stores timestamptz natively.
        if (Database.IsSqlite())
        {
            configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcTicksConverter>();
        }
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess) =>
        throw new NotSupportedException("Use SaveChangesAsync: saving seals audit entries, which reads the chain's tail.");

    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        // The accounting of disclosures is append-only: no code path may change or remove an entry
        // (a correction is a new entry naming the old one). A finalized document is kept as finalized.
        if (ChangeTracker.Entries<Disclosure>().Any(e => e.State is EntityState.Modified or EntityState.Deleted))
        {
            throw new InvalidOperationException("Disclosures are never changed or deleted: record a correction as a new entry (CorrectsId).");
        }
        if (ChangeTracker.Entries<FinalizedDocument>().Any(e => e.State is EntityState.Modified or EntityState.Deleted))
        {
            throw new InvalidOperationException("A finalized document is never changed or deleted: finalize a new version instead.");
        }
        foreach (var entry in ChangeTracker.Entries<IVersioned>())
        {
            if (entry.State is EntityState.Added or EntityState.Modified)
            {
                entry.Entity.Version = Guid.NewGuid();
            }
        }

        var audit = ChangeTracker.Entries<AuditEntry>().Where(e => e.State == EntityState.Added).Select(e => e.Entity).ToList();
        if (audit.Count == 0)
        {
            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken).ConfigureAwait(false);
        }
        if (Database.CurrentTransaction is not null)
        {
            await AuditSealer.SealAsync(this, audit, cancellationToken).ConfigureAwait(false);
            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken).ConfigureAwait(false);
        }
        // The tail is read and the new entries written in one transaction (on SQLite an immediate
        // one, so writers queue); the unique (PracticeId, Sequence) index is the backstop.
        var transaction = await Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (transaction.ConfigureAwait(false))
        {
            await AuditSealer.SealAsync(this, audit, cancellationToken).ConfigureAwait(false);
            var count = await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return count;
        }
    }

    private sealed class UtcTicksConverter()
        : ValueConverter<DateTimeOffset, long>(v => v.UtcTicks, v => new DateTimeOffset(v, TimeSpan.Zero));
}
