using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Confide.Data.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class PracticeKeys : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "ShreddedAt",
                table: "Clients",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "PracticeKeyVersion",
                table: "ClientKeys",
                type: "integer",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "BreakGlasses",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    PracticeId = table.Column<Guid>(type: "uuid", nullable: false),
                    ClientId = table.Column<Guid>(type: "uuid", nullable: false),
                    UserId = table.Column<Guid>(type: "uuid", nullable: false),
                    Scope = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    ReasonCode = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    ReasonCipher = table.Column<byte[]>(type: "bytea", nullable: false),
                    OpenedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ExpiresAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    AcknowledgedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    AcknowledgedById = table.Column<Guid>(type: "uuid", nullable: true),
                    Version = table.Column<Guid>(type: "uuid", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_BreakGlasses", x => x.Id);
                    table.ForeignKey(
                        name: "FK_BreakGlasses_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_BreakGlasses_Clients_ClientId",
                        column: x => x.ClientId,
                        principalTable: "Clients",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_BreakGlasses_Practices_PracticeId",
                        column: x => x.PracticeId,
                        principalTable: "Practices",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "PracticeKeys",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    PracticeId = table.Column<Guid>(type: "uuid", nullable: false),
                    KeyVersion = table.Column<int>(type: "integer", nullable: false),
                    WrappedKey = table.Column<byte[]>(type: "bytea", nullable: false),
                    MasterKeyId = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    RetiredAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    Version = table.Column<Guid>(type: "uuid", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PracticeKeys", x => x.Id);
                    table.ForeignKey(
                        name: "FK_PracticeKeys_Practices_PracticeId",
                        column: x => x.PracticeId,
                        principalTable: "Practices",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ClientKeys_PracticeId_PracticeKeyVersion",
                table: "ClientKeys",
                columns: new[] { "PracticeId", "PracticeKeyVersion" });

            migrationBuilder.CreateIndex(
                name: "IX_BreakGlasses_ClientId_UserId_ExpiresAt",
                table: "BreakGlasses",
                columns: new[] { "ClientId", "UserId", "ExpiresAt" });

            migrationBuilder.CreateIndex(
                name: "IX_BreakGlasses_PracticeId_AcknowledgedAt",
                table: "BreakGlasses",
                columns: new[] { "PracticeId", "AcknowledgedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_BreakGlasses_UserId",
                table: "BreakGlasses",
                column: "UserId");

            migrationBuilder.CreateIndex(
                name: "IX_PracticeKeys_PracticeId_KeyVersion",
                table: "PracticeKeys",
                columns: new[] { "PracticeId", "KeyVersion" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "BreakGlasses");

            migrationBuilder.DropTable(
                name: "PracticeKeys");

            migrationBuilder.DropIndex(
                name: "IX_ClientKeys_PracticeId_PracticeKeyVersion",
                table: "ClientKeys");

            migrationBuilder.DropColumn(
                name: "ShreddedAt",
                table: "Clients");

            migrationBuilder.DropColumn(
                name: "PracticeKeyVersion",
                table: "ClientKeys");
        }
    }
}
