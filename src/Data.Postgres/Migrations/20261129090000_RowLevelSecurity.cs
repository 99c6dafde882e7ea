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
    /// </summary>
    [DbContext(typeof(ConfideDbContext))]
    [Migration("20261129090000_RowLevelSecurity")]
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
