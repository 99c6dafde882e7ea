using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Confide.Data.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class Disclosures : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "FinalizedDocuments",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    PracticeId = table.Column<Guid>(type: "uuid", nullable: false),
                    ClientId = table.Column<Guid>(type: "uuid", nullable: false),
                    RequestId = table.Column<Guid>(type: "uuid", nullable: false),
                    DeterminationId = table.Column<Guid>(type: "uuid", nullable: false),
                    Kind = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Version = table.Column<int>(type: "integer", nullable: false),
                    TextCipher = table.Column<byte[]>(type: "bytea", nullable: false),
                    PdfCipher = table.Column<byte[]>(type: "bytea", nullable: false),
                    DocxCipher = table.Column<byte[]>(type: "bytea", nullable: false),
                    TextSha256 = table.Column<byte[]>(type: "bytea", nullable: false),
                    PdfSha256 = table.Column<byte[]>(type: "bytea", nullable: false),
                    DocxSha256 = table.Column<byte[]>(type: "bytea", nullable: false),
                    FinalizedById = table.Column<Guid>(type: "uuid", nullable: false),
                    FinalizedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_FinalizedDocuments", x => x.Id);
                    table.ForeignKey(
                        name: "FK_FinalizedDocuments_AspNetUsers_FinalizedById",
                        column: x => x.FinalizedById,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_FinalizedDocuments_Clients_ClientId",
                        column: x => x.ClientId,
                        principalTable: "Clients",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_FinalizedDocuments_Practices_PracticeId",
                        column: x => x.PracticeId,
                        principalTable: "Practices",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_FinalizedDocuments_RequestDeterminations_DeterminationId",
                        column: x => x.DeterminationId,
                        principalTable: "RequestDeterminations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_FinalizedDocuments_Requests_RequestId",
                        column: x => x.RequestId,
                        principalTable: "Requests",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "Packets",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    PracticeId = table.Column<Guid>(type: "uuid", nullable: false),
                    ClientId = table.Column<Guid>(type: "uuid", nullable: false),
                    RequestId = table.Column<Guid>(type: "uuid", nullable: false),
                    DeterminationId = table.Column<Guid>(type: "uuid", nullable: false),
                    Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Percent = table.Column<double>(type: "double precision", nullable: false),
                    Pages = table.Column<int>(type: "integer", nullable: false),
                    ReviewCipher = table.Column<byte[]>(type: "bytea", nullable: false),
                    PdfCipher = table.Column<byte[]>(type: "bytea", nullable: true),
                    ManifestCipher = table.Column<byte[]>(type: "bytea", nullable: true),
                    Sha256 = table.Column<byte[]>(type: "bytea", nullable: true),
                    Failure = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    CreatedById = table.Column<Guid>(type: "uuid", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    CompletedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Packets", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Packets_AspNetUsers_CreatedById",
                        column: x => x.CreatedById,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_Packets_Clients_ClientId",
                        column: x => x.ClientId,
                        principalTable: "Clients",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_Packets_Practices_PracticeId",
                        column: x => x.PracticeId,
                        principalTable: "Practices",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_Packets_RequestDeterminations_DeterminationId",
                        column: x => x.DeterminationId,
                        principalTable: "RequestDeterminations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_Packets_Requests_RequestId",
                        column: x => x.RequestId,
                        principalTable: "Requests",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "Disclosures",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    PracticeId = table.Column<Guid>(type: "uuid", nullable: false),
                    ClientId = table.Column<Guid>(type: "uuid", nullable: false),
                    RequestId = table.Column<Guid>(type: "uuid", nullable: true),
                    DeterminationId = table.Column<Guid>(type: "uuid", nullable: true),
                    ReleaseId = table.Column<Guid>(type: "uuid", nullable: true),
                    PacketId = table.Column<Guid>(type: "uuid", nullable: true),
                    CorrectsId = table.Column<Guid>(type: "uuid", nullable: true),
                    Basis = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    DisclosedOn = table.Column<DateOnly>(type: "date", nullable: false),
                    Sha256 = table.Column<byte[]>(type: "bytea", nullable: true),
                    ContentCipher = table.Column<byte[]>(type: "bytea", nullable: false),
                    DisclosedById = table.Column<Guid>(type: "uuid", nullable: false),
                    RecordedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Disclosures", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Disclosures_AspNetUsers_DisclosedById",
                        column: x => x.DisclosedById,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_Disclosures_Clients_ClientId",
                        column: x => x.ClientId,
                        principalTable: "Clients",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_Disclosures_Disclosures_CorrectsId",
                        column: x => x.CorrectsId,
                        principalTable: "Disclosures",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_Disclosures_Packets_PacketId",
                        column: x => x.PacketId,
                        principalTable: "Packets",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_Disclosures_Practices_PracticeId",
                        column: x => x.PracticeId,
                        principalTable: "Practices",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_Disclosures_Requests_RequestId",
                        column: x => x.RequestId,
                        principalTable: "Requests",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Disclosures_ClientId_DisclosedOn",
                table: "Disclosures",
                columns: new[] { "ClientId", "DisclosedOn" });

            migrationBuilder.CreateIndex(
                name: "IX_Disclosures_CorrectsId",
                table: "Disclosures",
                column: "CorrectsId");

            migrationBuilder.CreateIndex(
                name: "IX_Disclosures_DisclosedById",
                table: "Disclosures",
                column: "DisclosedById");

            migrationBuilder.CreateIndex(
                name: "IX_Disclosures_PacketId",
                table: "Disclosures",
                column: "PacketId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Disclosures_PracticeId_DisclosedOn",
                table: "Disclosures",
                columns: new[] { "PracticeId", "DisclosedOn" });

            migrationBuilder.CreateIndex(
                name: "IX_Disclosures_RequestId",
                table: "Disclosures",
                column: "RequestId");

            migrationBuilder.CreateIndex(
                name: "IX_FinalizedDocuments_ClientId",
                table: "FinalizedDocuments",
                column: "ClientId");

            migrationBuilder.CreateIndex(
                name: "IX_FinalizedDocuments_DeterminationId",
                table: "FinalizedDocuments",
                column: "DeterminationId");

            migrationBuilder.CreateIndex(
                name: "IX_FinalizedDocuments_FinalizedById",
                table: "FinalizedDocuments",
                column: "FinalizedById");

            migrationBuilder.CreateIndex(
                name: "IX_FinalizedDocuments_PracticeId",
                table: "FinalizedDocuments",
                column: "PracticeId");

            migrationBuilder.CreateIndex(
                name: "IX_FinalizedDocuments_RequestId_Kind_Version",
                table: "FinalizedDocuments",
                columns: new[] { "RequestId", "Kind", "Version" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Packets_ClientId",
                table: "Packets",
                column: "ClientId");

            migrationBuilder.CreateIndex(
                name: "IX_Packets_CreatedById",
                table: "Packets",
                column: "CreatedById");

            migrationBuilder.CreateIndex(
                name: "IX_Packets_DeterminationId",
                table: "Packets",
                column: "DeterminationId");

            migrationBuilder.CreateIndex(
                name: "IX_Packets_PracticeId_Status",
                table: "Packets",
                columns: new[] { "PracticeId", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_Packets_RequestId",
                table: "Packets",
                column: "RequestId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "Disclosures");

            migrationBuilder.DropTable(
                name: "FinalizedDocuments");

            migrationBuilder.DropTable(
                name: "Packets");
        }
    }
}
