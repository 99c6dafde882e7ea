using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Confide.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class PracticeTimeZone : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "TimeZone",
                table: "Practices",
                type: "TEXT",
                maxLength: 64,
                nullable: false,
                defaultValue: "UTC");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "TimeZone",
                table: "Practices");
        }
    }
}
