using Confide.Data;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Confide.Data.Sqlite.Migrations
{
    /// <summary>
    /// Empty on SQLite, which has no row-level security (one practice's file is the usual SQLite
    /// deployment; the queries' own practice filters are the wall): it keeps the migration list the
    /// same as PostgreSQL's, where this migration turns row-level security on.
    /// </summary>
    [DbContext(typeof(ConfideDbContext))]
    [Migration("20261207235900_RowLevelSecurity")]
    public partial class RowLevelSecurity : Migration
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
