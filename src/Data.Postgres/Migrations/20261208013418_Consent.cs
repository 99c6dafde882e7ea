using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Confide.Data.Postgres.Migrations
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
                type: "character varying(500)",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "RecheckSince",
                table: "Requests",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "FailedChecks",
                table: "PortalTokens",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "LockedAt",
                table: "PortalTokens",
                type: "timestamp with time zone",
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
