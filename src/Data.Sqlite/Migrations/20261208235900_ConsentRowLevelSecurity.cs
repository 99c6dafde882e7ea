using Confide.Data;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Confide.Data.Sqlite.Migrations
{
    /// <summary>
    /// Empty on SQLite, which has no row-level security: it keeps the migration list the same as
    /// PostgreSQL's, where it lets the portal-failure retention job delete old rows.
    /// </summary>
    [DbContext(typeof(ConfideDbContext))]
    [Migration("20261208235900_ConsentRowLevelSecurity")]
    public partial class ConsentRowLevelSecurity : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
        }
    }
}
