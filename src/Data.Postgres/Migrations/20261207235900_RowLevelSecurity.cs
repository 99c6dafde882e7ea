using Confide.Data;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Confide.Data.Postgres.Migrations
{
    /// <summary>
    /// Hand-written, no model change: PostgreSQL row-level security on every table of practice data
    /// (ADR 2611-practice-isolation). The SQL is frozen here as text, as it was applied: a migration
    /// must not change after it ran, so nothing here calls live code (ADR 2612-squashed-migrations).
    /// A table protected by policy <c>practice_isolation</c> either has its own <c>PracticeId</c>
    /// column or reaches its practice through its client, request, user or release; the test
    /// RowLevelSecurityTests.EveryModelTable_IsProtectedOrAllowlisted fails for a model table that
    /// is neither protected nor in <c>RowLevelSecurity.Unprotected</c>.
    /// <para>
    /// Its id sorts after InitialCreate (it must run after the tables it names exist): the end of the
    /// day it was made, so a model migration made on the same day still sorts before it. A table
    /// added later is protected in a hand-written migration of its own, with its SQL written out
    /// in the same way (copy a block below and change the names).
    /// </para>
    /// </summary>
    [DbContext(typeof(ConfideDbContext))]
    [Migration("20261207235900_RowLevelSecurity")]
    public partial class RowLevelSecurity : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(
                """
                CREATE OR REPLACE FUNCTION confide_practice_id() RETURNS uuid
                    LANGUAGE sql STABLE PARALLEL SAFE
                    AS $$ SELECT NULLIF(current_setting('confide.practice_id', true), '')::uuid $$;
                CREATE OR REPLACE FUNCTION confide_token_hash() RETURNS bytea
                    LANGUAGE sql STABLE PARALLEL SAFE
                    AS $$ SELECT decode(NULLIF(current_setting('confide.token_hash', true), ''), 'hex') $$;
                """
            );
            migrationBuilder.Sql(
                """
                ALTER TABLE "Clients" ENABLE ROW LEVEL SECURITY;
                ALTER TABLE "Clients" FORCE ROW LEVEL SECURITY;
                DROP POLICY IF EXISTS practice_isolation ON "Clients";
                CREATE POLICY practice_isolation ON "Clients" USING ("Clients"."PracticeId" = confide_practice_id()) WITH CHECK ("Clients"."PracticeId" = confide_practice_id());
                """
            );
            migrationBuilder.Sql(
                """
                ALTER TABLE "ClientKeys" ENABLE ROW LEVEL SECURITY;
                ALTER TABLE "ClientKeys" FORCE ROW LEVEL SECURITY;
                DROP POLICY IF EXISTS practice_isolation ON "ClientKeys";
                CREATE POLICY practice_isolation ON "ClientKeys" USING ("ClientKeys"."PracticeId" = confide_practice_id()) WITH CHECK ("ClientKeys"."PracticeId" = confide_practice_id());
                """
            );
            migrationBuilder.Sql(
                """
                ALTER TABLE "AuditEntries" ENABLE ROW LEVEL SECURITY;
                ALTER TABLE "AuditEntries" FORCE ROW LEVEL SECURITY;
                DROP POLICY IF EXISTS practice_isolation ON "AuditEntries";
                CREATE POLICY practice_isolation ON "AuditEntries" USING ("AuditEntries"."PracticeId" = confide_practice_id()) WITH CHECK ("AuditEntries"."PracticeId" = confide_practice_id());
                """
            );
            migrationBuilder.Sql(
                """
                ALTER TABLE "Requests" ENABLE ROW LEVEL SECURITY;
                ALTER TABLE "Requests" FORCE ROW LEVEL SECURITY;
                DROP POLICY IF EXISTS practice_isolation ON "Requests";
                CREATE POLICY practice_isolation ON "Requests" USING ("Requests"."PracticeId" = confide_practice_id()) WITH CHECK ("Requests"."PracticeId" = confide_practice_id());
                """
            );
            migrationBuilder.Sql(
                """
                ALTER TABLE "Guardians" ENABLE ROW LEVEL SECURITY;
                ALTER TABLE "Guardians" FORCE ROW LEVEL SECURITY;
                DROP POLICY IF EXISTS practice_isolation ON "Guardians";
                CREATE POLICY practice_isolation ON "Guardians" USING (EXISTS (SELECT 1 FROM "Clients" p WHERE p."Id" = "Guardians"."ClientId" AND p."PracticeId" = confide_practice_id())) WITH CHECK (EXISTS (SELECT 1 FROM "Clients" p WHERE p."Id" = "Guardians"."ClientId" AND p."PracticeId" = confide_practice_id()));
                """
            );
            migrationBuilder.Sql(
                """
                ALTER TABLE "ClientAssignments" ENABLE ROW LEVEL SECURITY;
                ALTER TABLE "ClientAssignments" FORCE ROW LEVEL SECURITY;
                DROP POLICY IF EXISTS practice_isolation ON "ClientAssignments";
                CREATE POLICY practice_isolation ON "ClientAssignments" USING (EXISTS (SELECT 1 FROM "Clients" p WHERE p."Id" = "ClientAssignments"."ClientId" AND p."PracticeId" = confide_practice_id())) WITH CHECK (EXISTS (SELECT 1 FROM "Clients" p WHERE p."Id" = "ClientAssignments"."ClientId" AND p."PracticeId" = confide_practice_id()));
                """
            );
            migrationBuilder.Sql(
                """
                ALTER TABLE "RecordItems" ENABLE ROW LEVEL SECURITY;
                ALTER TABLE "RecordItems" FORCE ROW LEVEL SECURITY;
                DROP POLICY IF EXISTS practice_isolation ON "RecordItems";
                CREATE POLICY practice_isolation ON "RecordItems" USING (EXISTS (SELECT 1 FROM "Clients" p WHERE p."Id" = "RecordItems"."ClientId" AND p."PracticeId" = confide_practice_id())) WITH CHECK (EXISTS (SELECT 1 FROM "Clients" p WHERE p."Id" = "RecordItems"."ClientId" AND p."PracticeId" = confide_practice_id()));
                """
            );
            migrationBuilder.Sql(
                """
                ALTER TABLE "Attachments" ENABLE ROW LEVEL SECURITY;
                ALTER TABLE "Attachments" FORCE ROW LEVEL SECURITY;
                DROP POLICY IF EXISTS practice_isolation ON "Attachments";
                CREATE POLICY practice_isolation ON "Attachments" USING (EXISTS (SELECT 1 FROM "Clients" p WHERE p."Id" = "Attachments"."ClientId" AND p."PracticeId" = confide_practice_id())) WITH CHECK (EXISTS (SELECT 1 FROM "Clients" p WHERE p."Id" = "Attachments"."ClientId" AND p."PracticeId" = confide_practice_id()));
                """
            );
            migrationBuilder.Sql(
                """
                ALTER TABLE "RequestDeterminations" ENABLE ROW LEVEL SECURITY;
                ALTER TABLE "RequestDeterminations" FORCE ROW LEVEL SECURITY;
                DROP POLICY IF EXISTS practice_isolation ON "RequestDeterminations";
                CREATE POLICY practice_isolation ON "RequestDeterminations" USING (EXISTS (SELECT 1 FROM "Clients" p WHERE p."Id" = "RequestDeterminations"."ClientId" AND p."PracticeId" = confide_practice_id())) WITH CHECK (EXISTS (SELECT 1 FROM "Clients" p WHERE p."Id" = "RequestDeterminations"."ClientId" AND p."PracticeId" = confide_practice_id()));
                """
            );
            migrationBuilder.Sql(
                """
                ALTER TABLE "RequestNotes" ENABLE ROW LEVEL SECURITY;
                ALTER TABLE "RequestNotes" FORCE ROW LEVEL SECURITY;
                DROP POLICY IF EXISTS practice_isolation ON "RequestNotes";
                CREATE POLICY practice_isolation ON "RequestNotes" USING (EXISTS (SELECT 1 FROM "Clients" p WHERE p."Id" = "RequestNotes"."ClientId" AND p."PracticeId" = confide_practice_id())) WITH CHECK (EXISTS (SELECT 1 FROM "Clients" p WHERE p."Id" = "RequestNotes"."ClientId" AND p."PracticeId" = confide_practice_id()));
                """
            );
            migrationBuilder.Sql(
                """
                ALTER TABLE "RequestFiles" ENABLE ROW LEVEL SECURITY;
                ALTER TABLE "RequestFiles" FORCE ROW LEVEL SECURITY;
                DROP POLICY IF EXISTS practice_isolation ON "RequestFiles";
                CREATE POLICY practice_isolation ON "RequestFiles" USING (EXISTS (SELECT 1 FROM "Clients" p WHERE p."Id" = "RequestFiles"."ClientId" AND p."PracticeId" = confide_practice_id())) WITH CHECK (EXISTS (SELECT 1 FROM "Clients" p WHERE p."Id" = "RequestFiles"."ClientId" AND p."PracticeId" = confide_practice_id()));
                """
            );
            migrationBuilder.Sql(
                """
                ALTER TABLE "RequestStepTicks" ENABLE ROW LEVEL SECURITY;
                ALTER TABLE "RequestStepTicks" FORCE ROW LEVEL SECURITY;
                DROP POLICY IF EXISTS practice_isolation ON "RequestStepTicks";
                CREATE POLICY practice_isolation ON "RequestStepTicks" USING (EXISTS (SELECT 1 FROM "Requests" p WHERE p."Id" = "RequestStepTicks"."RequestId" AND p."PracticeId" = confide_practice_id())) WITH CHECK (EXISTS (SELECT 1 FROM "Requests" p WHERE p."Id" = "RequestStepTicks"."RequestId" AND p."PracticeId" = confide_practice_id()));
                """
            );
            migrationBuilder.Sql(
                """
                ALTER TABLE "RequestStatusChanges" ENABLE ROW LEVEL SECURITY;
                ALTER TABLE "RequestStatusChanges" FORCE ROW LEVEL SECURITY;
                DROP POLICY IF EXISTS practice_isolation ON "RequestStatusChanges";
                CREATE POLICY practice_isolation ON "RequestStatusChanges" USING (EXISTS (SELECT 1 FROM "Requests" p WHERE p."Id" = "RequestStatusChanges"."RequestId" AND p."PracticeId" = confide_practice_id())) WITH CHECK (EXISTS (SELECT 1 FROM "Requests" p WHERE p."Id" = "RequestStatusChanges"."RequestId" AND p."PracticeId" = confide_practice_id()));
                """
            );
            migrationBuilder.Sql(
                """
                ALTER TABLE "CalendarFeeds" ENABLE ROW LEVEL SECURITY;
                ALTER TABLE "CalendarFeeds" FORCE ROW LEVEL SECURITY;
                DROP POLICY IF EXISTS practice_isolation ON "CalendarFeeds";
                CREATE POLICY practice_isolation ON "CalendarFeeds" USING (EXISTS (SELECT 1 FROM "AspNetUsers" p WHERE p."Id" = "CalendarFeeds"."UserId" AND p."PracticeId" = confide_practice_id())) WITH CHECK (EXISTS (SELECT 1 FROM "AspNetUsers" p WHERE p."Id" = "CalendarFeeds"."UserId" AND p."PracticeId" = confide_practice_id()));
                DROP POLICY IF EXISTS token_lookup ON "CalendarFeeds";
                CREATE POLICY token_lookup ON "CalendarFeeds" FOR SELECT USING ("CalendarFeeds"."TokenHash" = confide_token_hash());
                """
            );
            migrationBuilder.Sql(
                """
                ALTER TABLE "AuditCheckpoints" ENABLE ROW LEVEL SECURITY;
                ALTER TABLE "AuditCheckpoints" FORCE ROW LEVEL SECURITY;
                DROP POLICY IF EXISTS practice_isolation ON "AuditCheckpoints";
                CREATE POLICY practice_isolation ON "AuditCheckpoints" USING ("AuditCheckpoints"."PracticeId" = confide_practice_id()) WITH CHECK ("AuditCheckpoints"."PracticeId" = confide_practice_id());
                """
            );
            migrationBuilder.Sql(
                """
                ALTER TABLE "Releases" ENABLE ROW LEVEL SECURITY;
                ALTER TABLE "Releases" FORCE ROW LEVEL SECURITY;
                DROP POLICY IF EXISTS practice_isolation ON "Releases";
                CREATE POLICY practice_isolation ON "Releases" USING ("Releases"."PracticeId" = confide_practice_id()) WITH CHECK ("Releases"."PracticeId" = confide_practice_id());
                """
            );
            migrationBuilder.Sql(
                """
                ALTER TABLE "DeterminationReleases" ENABLE ROW LEVEL SECURITY;
                ALTER TABLE "DeterminationReleases" FORCE ROW LEVEL SECURITY;
                DROP POLICY IF EXISTS practice_isolation ON "DeterminationReleases";
                CREATE POLICY practice_isolation ON "DeterminationReleases" USING (EXISTS (SELECT 1 FROM "Releases" p WHERE p."Id" = "DeterminationReleases"."ReleaseId" AND p."PracticeId" = confide_practice_id())) WITH CHECK (EXISTS (SELECT 1 FROM "Releases" p WHERE p."Id" = "DeterminationReleases"."ReleaseId" AND p."PracticeId" = confide_practice_id()));
                """
            );
            // The portal looks a token up by its hash before it knows the practice, then works for the token's practice.
            migrationBuilder.Sql(
                """
                ALTER TABLE "PortalTokens" ENABLE ROW LEVEL SECURITY;
                ALTER TABLE "PortalTokens" FORCE ROW LEVEL SECURITY;
                DROP POLICY IF EXISTS practice_isolation ON "PortalTokens";
                CREATE POLICY practice_isolation ON "PortalTokens" USING ("PortalTokens"."PracticeId" = confide_practice_id()) WITH CHECK ("PortalTokens"."PracticeId" = confide_practice_id());
                DROP POLICY IF EXISTS token_lookup ON "PortalTokens";
                CREATE POLICY token_lookup ON "PortalTokens" FOR SELECT USING ("PortalTokens"."TokenHash" = confide_token_hash());
                """
            );
            // Written anonymously: a failure for a token that names no practice has none (never readable by the app's role).
            migrationBuilder.Sql(
                """
                ALTER TABLE "PortalFailures" ENABLE ROW LEVEL SECURITY;
                ALTER TABLE "PortalFailures" FORCE ROW LEVEL SECURITY;
                DROP POLICY IF EXISTS practice_isolation ON "PortalFailures";
                CREATE POLICY practice_isolation ON "PortalFailures" USING ("PortalFailures"."PracticeId" = confide_practice_id()) WITH CHECK ("PortalFailures"."PracticeId" = confide_practice_id());
                DROP POLICY IF EXISTS anonymous_insert ON "PortalFailures";
                CREATE POLICY anonymous_insert ON "PortalFailures" FOR INSERT WITH CHECK ("PortalFailures"."PracticeId" IS NULL);
                """
            );
            migrationBuilder.Sql(
                """
                ALTER TABLE "Disclosures" ENABLE ROW LEVEL SECURITY;
                ALTER TABLE "Disclosures" FORCE ROW LEVEL SECURITY;
                DROP POLICY IF EXISTS practice_isolation ON "Disclosures";
                CREATE POLICY practice_isolation ON "Disclosures" USING ("Disclosures"."PracticeId" = confide_practice_id()) WITH CHECK ("Disclosures"."PracticeId" = confide_practice_id());
                """
            );
            migrationBuilder.Sql(
                """
                ALTER TABLE "Packets" ENABLE ROW LEVEL SECURITY;
                ALTER TABLE "Packets" FORCE ROW LEVEL SECURITY;
                DROP POLICY IF EXISTS practice_isolation ON "Packets";
                CREATE POLICY practice_isolation ON "Packets" USING ("Packets"."PracticeId" = confide_practice_id()) WITH CHECK ("Packets"."PracticeId" = confide_practice_id());
                """
            );
            migrationBuilder.Sql(
                """
                ALTER TABLE "FinalizedDocuments" ENABLE ROW LEVEL SECURITY;
                ALTER TABLE "FinalizedDocuments" FORCE ROW LEVEL SECURITY;
                DROP POLICY IF EXISTS practice_isolation ON "FinalizedDocuments";
                CREATE POLICY practice_isolation ON "FinalizedDocuments" USING ("FinalizedDocuments"."PracticeId" = confide_practice_id()) WITH CHECK ("FinalizedDocuments"."PracticeId" = confide_practice_id());
                """
            );
            migrationBuilder.Sql(
                """
                ALTER TABLE "PracticeKeys" ENABLE ROW LEVEL SECURITY;
                ALTER TABLE "PracticeKeys" FORCE ROW LEVEL SECURITY;
                DROP POLICY IF EXISTS practice_isolation ON "PracticeKeys";
                CREATE POLICY practice_isolation ON "PracticeKeys" USING ("PracticeKeys"."PracticeId" = confide_practice_id()) WITH CHECK ("PracticeKeys"."PracticeId" = confide_practice_id());
                """
            );
            migrationBuilder.Sql(
                """
                ALTER TABLE "BreakGlasses" ENABLE ROW LEVEL SECURITY;
                ALTER TABLE "BreakGlasses" FORCE ROW LEVEL SECURITY;
                DROP POLICY IF EXISTS practice_isolation ON "BreakGlasses";
                CREATE POLICY practice_isolation ON "BreakGlasses" USING ("BreakGlasses"."PracticeId" = confide_practice_id()) WITH CHECK ("BreakGlasses"."PracticeId" = confide_practice_id());
                """
            );
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(
                """
                DROP POLICY IF EXISTS token_lookup ON "BreakGlasses";
                DROP POLICY IF EXISTS anonymous_insert ON "BreakGlasses";
                DROP POLICY IF EXISTS practice_isolation ON "BreakGlasses";
                ALTER TABLE "BreakGlasses" NO FORCE ROW LEVEL SECURITY;
                ALTER TABLE "BreakGlasses" DISABLE ROW LEVEL SECURITY;
                """
            );
            migrationBuilder.Sql(
                """
                DROP POLICY IF EXISTS token_lookup ON "PracticeKeys";
                DROP POLICY IF EXISTS anonymous_insert ON "PracticeKeys";
                DROP POLICY IF EXISTS practice_isolation ON "PracticeKeys";
                ALTER TABLE "PracticeKeys" NO FORCE ROW LEVEL SECURITY;
                ALTER TABLE "PracticeKeys" DISABLE ROW LEVEL SECURITY;
                """
            );
            migrationBuilder.Sql(
                """
                DROP POLICY IF EXISTS token_lookup ON "FinalizedDocuments";
                DROP POLICY IF EXISTS anonymous_insert ON "FinalizedDocuments";
                DROP POLICY IF EXISTS practice_isolation ON "FinalizedDocuments";
                ALTER TABLE "FinalizedDocuments" NO FORCE ROW LEVEL SECURITY;
                ALTER TABLE "FinalizedDocuments" DISABLE ROW LEVEL SECURITY;
                """
            );
            migrationBuilder.Sql(
                """
                DROP POLICY IF EXISTS token_lookup ON "Packets";
                DROP POLICY IF EXISTS anonymous_insert ON "Packets";
                DROP POLICY IF EXISTS practice_isolation ON "Packets";
                ALTER TABLE "Packets" NO FORCE ROW LEVEL SECURITY;
                ALTER TABLE "Packets" DISABLE ROW LEVEL SECURITY;
                """
            );
            migrationBuilder.Sql(
                """
                DROP POLICY IF EXISTS token_lookup ON "Disclosures";
                DROP POLICY IF EXISTS anonymous_insert ON "Disclosures";
                DROP POLICY IF EXISTS practice_isolation ON "Disclosures";
                ALTER TABLE "Disclosures" NO FORCE ROW LEVEL SECURITY;
                ALTER TABLE "Disclosures" DISABLE ROW LEVEL SECURITY;
                """
            );
            migrationBuilder.Sql(
                """
                DROP POLICY IF EXISTS token_lookup ON "PortalFailures";
                DROP POLICY IF EXISTS anonymous_insert ON "PortalFailures";
                DROP POLICY IF EXISTS practice_isolation ON "PortalFailures";
                ALTER TABLE "PortalFailures" NO FORCE ROW LEVEL SECURITY;
                ALTER TABLE "PortalFailures" DISABLE ROW LEVEL SECURITY;
                """
            );
            migrationBuilder.Sql(
                """
                DROP POLICY IF EXISTS token_lookup ON "PortalTokens";
                DROP POLICY IF EXISTS anonymous_insert ON "PortalTokens";
                DROP POLICY IF EXISTS practice_isolation ON "PortalTokens";
                ALTER TABLE "PortalTokens" NO FORCE ROW LEVEL SECURITY;
                ALTER TABLE "PortalTokens" DISABLE ROW LEVEL SECURITY;
                """
            );
            migrationBuilder.Sql(
                """
                DROP POLICY IF EXISTS token_lookup ON "DeterminationReleases";
                DROP POLICY IF EXISTS anonymous_insert ON "DeterminationReleases";
                DROP POLICY IF EXISTS practice_isolation ON "DeterminationReleases";
                ALTER TABLE "DeterminationReleases" NO FORCE ROW LEVEL SECURITY;
                ALTER TABLE "DeterminationReleases" DISABLE ROW LEVEL SECURITY;
                """
            );
            migrationBuilder.Sql(
                """
                DROP POLICY IF EXISTS token_lookup ON "Releases";
                DROP POLICY IF EXISTS anonymous_insert ON "Releases";
                DROP POLICY IF EXISTS practice_isolation ON "Releases";
                ALTER TABLE "Releases" NO FORCE ROW LEVEL SECURITY;
                ALTER TABLE "Releases" DISABLE ROW LEVEL SECURITY;
                """
            );
            migrationBuilder.Sql(
                """
                DROP POLICY IF EXISTS token_lookup ON "AuditCheckpoints";
                DROP POLICY IF EXISTS anonymous_insert ON "AuditCheckpoints";
                DROP POLICY IF EXISTS practice_isolation ON "AuditCheckpoints";
                ALTER TABLE "AuditCheckpoints" NO FORCE ROW LEVEL SECURITY;
                ALTER TABLE "AuditCheckpoints" DISABLE ROW LEVEL SECURITY;
                """
            );
            migrationBuilder.Sql(
                """
                DROP POLICY IF EXISTS token_lookup ON "CalendarFeeds";
                DROP POLICY IF EXISTS anonymous_insert ON "CalendarFeeds";
                DROP POLICY IF EXISTS practice_isolation ON "CalendarFeeds";
                ALTER TABLE "CalendarFeeds" NO FORCE ROW LEVEL SECURITY;
                ALTER TABLE "CalendarFeeds" DISABLE ROW LEVEL SECURITY;
                """
            );
            migrationBuilder.Sql(
                """
                DROP POLICY IF EXISTS token_lookup ON "RequestStatusChanges";
                DROP POLICY IF EXISTS anonymous_insert ON "RequestStatusChanges";
                DROP POLICY IF EXISTS practice_isolation ON "RequestStatusChanges";
                ALTER TABLE "RequestStatusChanges" NO FORCE ROW LEVEL SECURITY;
                ALTER TABLE "RequestStatusChanges" DISABLE ROW LEVEL SECURITY;
                """
            );
            migrationBuilder.Sql(
                """
                DROP POLICY IF EXISTS token_lookup ON "RequestStepTicks";
                DROP POLICY IF EXISTS anonymous_insert ON "RequestStepTicks";
                DROP POLICY IF EXISTS practice_isolation ON "RequestStepTicks";
                ALTER TABLE "RequestStepTicks" NO FORCE ROW LEVEL SECURITY;
                ALTER TABLE "RequestStepTicks" DISABLE ROW LEVEL SECURITY;
                """
            );
            migrationBuilder.Sql(
                """
                DROP POLICY IF EXISTS token_lookup ON "RequestFiles";
                DROP POLICY IF EXISTS anonymous_insert ON "RequestFiles";
                DROP POLICY IF EXISTS practice_isolation ON "RequestFiles";
                ALTER TABLE "RequestFiles" NO FORCE ROW LEVEL SECURITY;
                ALTER TABLE "RequestFiles" DISABLE ROW LEVEL SECURITY;
                """
            );
            migrationBuilder.Sql(
                """
                DROP POLICY IF EXISTS token_lookup ON "RequestNotes";
                DROP POLICY IF EXISTS anonymous_insert ON "RequestNotes";
                DROP POLICY IF EXISTS practice_isolation ON "RequestNotes";
                ALTER TABLE "RequestNotes" NO FORCE ROW LEVEL SECURITY;
                ALTER TABLE "RequestNotes" DISABLE ROW LEVEL SECURITY;
                """
            );
            migrationBuilder.Sql(
                """
                DROP POLICY IF EXISTS token_lookup ON "RequestDeterminations";
                DROP POLICY IF EXISTS anonymous_insert ON "RequestDeterminations";
                DROP POLICY IF EXISTS practice_isolation ON "RequestDeterminations";
                ALTER TABLE "RequestDeterminations" NO FORCE ROW LEVEL SECURITY;
                ALTER TABLE "RequestDeterminations" DISABLE ROW LEVEL SECURITY;
                """
            );
            migrationBuilder.Sql(
                """
                DROP POLICY IF EXISTS token_lookup ON "Attachments";
                DROP POLICY IF EXISTS anonymous_insert ON "Attachments";
                DROP POLICY IF EXISTS practice_isolation ON "Attachments";
                ALTER TABLE "Attachments" NO FORCE ROW LEVEL SECURITY;
                ALTER TABLE "Attachments" DISABLE ROW LEVEL SECURITY;
                """
            );
            migrationBuilder.Sql(
                """
                DROP POLICY IF EXISTS token_lookup ON "RecordItems";
                DROP POLICY IF EXISTS anonymous_insert ON "RecordItems";
                DROP POLICY IF EXISTS practice_isolation ON "RecordItems";
                ALTER TABLE "RecordItems" NO FORCE ROW LEVEL SECURITY;
                ALTER TABLE "RecordItems" DISABLE ROW LEVEL SECURITY;
                """
            );
            migrationBuilder.Sql(
                """
                DROP POLICY IF EXISTS token_lookup ON "ClientAssignments";
                DROP POLICY IF EXISTS anonymous_insert ON "ClientAssignments";
                DROP POLICY IF EXISTS practice_isolation ON "ClientAssignments";
                ALTER TABLE "ClientAssignments" NO FORCE ROW LEVEL SECURITY;
                ALTER TABLE "ClientAssignments" DISABLE ROW LEVEL SECURITY;
                """
            );
            migrationBuilder.Sql(
                """
                DROP POLICY IF EXISTS token_lookup ON "Guardians";
                DROP POLICY IF EXISTS anonymous_insert ON "Guardians";
                DROP POLICY IF EXISTS practice_isolation ON "Guardians";
                ALTER TABLE "Guardians" NO FORCE ROW LEVEL SECURITY;
                ALTER TABLE "Guardians" DISABLE ROW LEVEL SECURITY;
                """
            );
            migrationBuilder.Sql(
                """
                DROP POLICY IF EXISTS token_lookup ON "Requests";
                DROP POLICY IF EXISTS anonymous_insert ON "Requests";
                DROP POLICY IF EXISTS practice_isolation ON "Requests";
                ALTER TABLE "Requests" NO FORCE ROW LEVEL SECURITY;
                ALTER TABLE "Requests" DISABLE ROW LEVEL SECURITY;
                """
            );
            migrationBuilder.Sql(
                """
                DROP POLICY IF EXISTS token_lookup ON "AuditEntries";
                DROP POLICY IF EXISTS anonymous_insert ON "AuditEntries";
                DROP POLICY IF EXISTS practice_isolation ON "AuditEntries";
                ALTER TABLE "AuditEntries" NO FORCE ROW LEVEL SECURITY;
                ALTER TABLE "AuditEntries" DISABLE ROW LEVEL SECURITY;
                """
            );
            migrationBuilder.Sql(
                """
                DROP POLICY IF EXISTS token_lookup ON "ClientKeys";
                DROP POLICY IF EXISTS anonymous_insert ON "ClientKeys";
                DROP POLICY IF EXISTS practice_isolation ON "ClientKeys";
                ALTER TABLE "ClientKeys" NO FORCE ROW LEVEL SECURITY;
                ALTER TABLE "ClientKeys" DISABLE ROW LEVEL SECURITY;
                """
            );
            migrationBuilder.Sql(
                """
                DROP POLICY IF EXISTS token_lookup ON "Clients";
                DROP POLICY IF EXISTS anonymous_insert ON "Clients";
                DROP POLICY IF EXISTS practice_isolation ON "Clients";
                ALTER TABLE "Clients" NO FORCE ROW LEVEL SECURITY;
                ALTER TABLE "Clients" DISABLE ROW LEVEL SECURITY;
                """
            );
            migrationBuilder.Sql(
                """
                DROP FUNCTION IF EXISTS confide_practice_id();
                DROP FUNCTION IF EXISTS confide_token_hash();
                """
            );
        }
    }
}
