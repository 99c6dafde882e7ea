using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Confide.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class Consent : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "RecheckReason",
                table: "Requests",
                type: "TEXT",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "RecheckSince",
                table: "Requests",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "FailedChecks",
                table: "PortalTokens",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<long>(
                name: "LockedAt",
                table: "PortalTokens",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_Requests_PracticeId_RecheckSince",
                table: "Requests",
                columns: new[] { "PracticeId", "RecheckSince" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Requests_PracticeId_RecheckSince",
                table: "Requests");

            migrationBuilder.DropColumn(
                name: "RecheckReason",
                table: "Requests");

            migrationBuilder.DropColumn(
                name: "RecheckSince",
                table: "Requests");

            migrationBuilder.DropColumn(
                name: "FailedChecks",
                table: "PortalTokens");

            migrationBuilder.DropColumn(
                name: "LockedAt",
                table: "PortalTokens");
        }
    }
}
