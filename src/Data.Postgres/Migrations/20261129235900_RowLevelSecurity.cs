using Confide.Data;
using Confide.Data.Isolation;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Confide.Data.Postgres.Migrations
{
    /// <summary>
    /// Hand-written, no model change: PostgreSQL row-level security on every table of practice data
    /// (ADR 2611-practice-isolation). A table added later is protected by one more line here (while
    /// this is the last migration) or in a migration of its own; the test
    /// RowLevelSecurityTests.EveryModelTable_IsProtectedOrAllowlisted fails until it is.
    /// <para>
    /// Its id sorts after every model migration (it must run after the migrations that create the
    /// tables it names): the end of the day it was made, so a model migration made or regenerated
    /// on the same day still sorts before it. A model migration that sorts after it needs its tables
    /// protected in a hand-written migration of its own, or this one renamed (both providers) again.
    /// </para>
    /// </summary>
    [DbContext(typeof(ConfideDbContext))]
    [Migration("20261129235900_RowLevelSecurity")]
    public partial class RowLevelSecurity : Migration
    {
        // (table, protection): one line per table.
        private static readonly (string Table, string Sql)[] Tables =
        [
            ("Clients", Isolation.RowLevelSecurity.ByPractice("Clients")),
            ("ClientKeys", Isolation.RowLevelSecurity.ByPractice("ClientKeys")),
            ("AuditEntries", Isolation.RowLevelSecurity.ByPractice("AuditEntries")),
            ("Requests", Isolation.RowLevelSecurity.ByPractice("Requests")),
            ("Guardians", Isolation.RowLevelSecurity.ByClient("Guardians")),
            ("ClientAssignments", Isolation.RowLevelSecurity.ByClient("ClientAssignments")),
            ("RecordItems", Isolation.RowLevelSecurity.ByClient("RecordItems")),
            ("Attachments", Isolation.RowLevelSecurity.ByClient("Attachments")),
            ("RequestDeterminations", Isolation.RowLevelSecurity.ByClient("RequestDeterminations")),
            ("RequestNotes", Isolation.RowLevelSecurity.ByClient("RequestNotes")),
            ("RequestFiles", Isolation.RowLevelSecurity.ByClient("RequestFiles")),
            ("RequestStepTicks", Isolation.RowLevelSecurity.ByRequest("RequestStepTicks")),
            ("RequestStatusChanges", Isolation.RowLevelSecurity.ByRequest("RequestStatusChanges")),
            ("CalendarFeeds", Isolation.RowLevelSecurity.ByUser("CalendarFeeds") + Isolation.RowLevelSecurity.TokenLookup("CalendarFeeds")),
            ("AuditCheckpoints", Isolation.RowLevelSecurity.ByPractice("AuditCheckpoints")),
            ("Releases", Isolation.RowLevelSecurity.ByPractice("Releases")),
            ("DeterminationReleases", Isolation.RowLevelSecurity.ByRelease("DeterminationReleases")),
            // The portal looks a token up by its hash before it knows the practice, then works for the token's practice.
            ("PortalTokens", Isolation.RowLevelSecurity.ByPractice("PortalTokens") + Isolation.RowLevelSecurity.TokenLookup("PortalTokens")),
            // Written anonymously: a failure for a token that names no practice has none (never readable by the app's role).
            ("PortalFailures", Isolation.RowLevelSecurity.ByPractice("PortalFailures") + Isolation.RowLevelSecurity.AnonymousInsert("PortalFailures")),
            ("Disclosures", Isolation.RowLevelSecurity.ByPractice("Disclosures")),
            ("Packets", Isolation.RowLevelSecurity.ByPractice("Packets")),
            ("FinalizedDocuments", Isolation.RowLevelSecurity.ByPractice("FinalizedDocuments")),
            ("PracticeKeys", Isolation.RowLevelSecurity.ByPractice("PracticeKeys")),
            ("BreakGlasses", Isolation.RowLevelSecurity.ByPractice("BreakGlasses")),
        ];

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(Isolation.RowLevelSecurity.Functions);
            foreach (var (_, sql) in Tables)
            {
                migrationBuilder.Sql(sql);
            }
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var (table, _) in Tables.Reverse())
            {
                migrationBuilder.Sql(Isolation.RowLevelSecurity.Unprotect(table));
            }
            migrationBuilder.Sql(Isolation.RowLevelSecurity.DropFunctions);
        }
    }
}
