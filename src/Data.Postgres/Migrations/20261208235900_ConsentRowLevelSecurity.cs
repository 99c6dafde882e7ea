using Confide.Data;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Confide.Data.Postgres.Migrations
{
    /// <summary>
    /// Hand-written, no model change (issue 10, item 4): lets the retention job delete old
    /// <c>PortalFailures</c> rows, including those of no practice (unknown links), which no
    /// <c>practice_isolation</c> setting can reach. Only a role with the DELETE privilege is helped:
    /// the app's role has none on this table (<c>RowLevelSecurity.AppendOnly</c>), so the job runs on
    /// the owner connection. The SQL is frozen here as text (ADR 2612-squashed-migrations).
    /// </summary>
    [DbContext(typeof(ConfideDbContext))]
    [Migration("20261208235900_ConsentRowLevelSecurity")]
    public partial class ConsentRowLevelSecurity : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(
                """
                DROP POLICY IF EXISTS retention_delete ON "PortalFailures";
                CREATE POLICY retention_delete ON "PortalFailures" FOR DELETE USING (true);
                """
            );
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""DROP POLICY IF EXISTS retention_delete ON "PortalFailures";""");
        }
    }
}
