using System.Security.Cryptography;
using System.Text;
using Confide.Core.Law;
using Confide.Core.Requests;
using Confide.Core.Triage;
using Confide.Data;
using Confide.Data.Access;
using Confide.Data.Audit;
using Confide.Data.Crypto;
using Confide.Data.Disclosures;
using Confide.Data.Entities;
using Confide.Web.Features.Releases;
using Microsoft.EntityFrameworkCore;

namespace Confide.Web.Features.Requests;

/// <summary>
/// Recording, triaging and moving on requests, in one place for the pages and the demo seeding:
/// the form becomes the contract's JSON and is parsed by Core (one validation path); each triage
/// adds a determination to the request's history; a status moves one step at a time with its
/// history row. Everything is added to the context with its audit entries and the caller saves
/// once, so a request, its determination, its file and their audit entries are stored together or
/// not at all.
/// </summary>
public sealed class RequestService(ConfideDbContext db, RecordCipher cipher, ClientContent content, RequestRecords records, IAuditTrail audit, TriageEngine engine, ReleaseService releases, DisclosureLog disclosures, PracticeClock clock, TimeProvider time)
{
    /// <summary>Today in the practice's time zone: the day a request is received and triaged on.</summary>
    public Task<DateOnly> TodayAsync(Guid practiceId, CancellationToken ct) => clock.TodayAsync(practiceId, ct);

    /// <summary>The details a request's documents are filled with, from the practice, the clinician and the client.</summary>
    public async Task<FilledDetails> FillAsync(ClientGrant grant, Practice practice, Client client, User clinician, CancellationToken ct) =>
        new(
            await content.ReadStringAsync(grant, EncryptedFields.ClientName(client), client.NameCipher, ct),
            clinician.DisplayName,
            clinician.LicenseNumber,
            practice.Name,
            practice.Address
        );

    /// <summary>
    /// A document of a stored determination as <see cref="Documents.DocumentComposer"/> writes it, filled
    /// from the request document the determination was made from; null when the determination does
    /// not list that kind.
    /// </summary>
    public Documents.DocumentModel? Compose(RequestRecords.StoredDetermination stored, DocumentKind kind)
    {
        ArgumentNullException.ThrowIfNull(stored);
        return stored.Determination.Documents.Contains(kind)
            ? Documents.DocumentComposer.Compose(kind, Documents.DocumentContext.Create(stored.Request, stored.Determination, engine.Law, stored.Row.EvaluatedOn))
            : null;
    }

    /// <summary>Writes the form as the contract's request document and parses it.</summary>
    public static (string Json, ParseResult Result) Parse(IntakeInput input, Practice practice, FilledDetails filled)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(practice);
        var json = input.ToJson(practice.Jurisdiction, filled);
        return (json, RequestParser.Parse(json));
    }

    /// <summary>Adds a new request (status received), its first determination and its file, with their audit entries.</summary>
    public async Task<RecordRequest> CreateAsync(
        ClientGrant grant,
        Client client,
        Guid clinicianId,
        Guid actorId,
        string json,
        TriageRequest parsed,
        PdfUpload? file,
        string? reason,
        CancellationToken ct
    )
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(parsed);
        var now = time.GetUtcNow();
        var request = new RecordRequest
        {
            PracticeId = client.PracticeId,
            ClientId = client.Id,
            ClinicianId = clinicianId,
            CreatedById = actorId,
            ReceivedOn = parsed.ReceivedOn ?? await clock.TodayAsync(client.PracticeId, ct),
            Status = RequestStatus.Received,
            DocumentCipher = [],
            CreatedAt = now,
            UpdatedAt = now,
        };
        request.DocumentCipher = await cipher.EncryptAsync(EncryptedFields.RequestDocument(request), json, ct);
        db.Requests.Add(request);
        db.RequestStatusChanges.Add(new RequestStatusChange { RequestId = request.Id, From = null, To = RequestStatus.Received, ById = actorId, At = now });
        audit.Add(request.PracticeId, actorId, AuditEvent.RequestCreated(request, parsed.Instrument, reason));
        await TriageAsync(grant, request, json, parsed, actorId, sequence: 1, reason, ct);
        if (file is not null)
        {
            await AttachAsync(request, file, actorId, reason, ct);
        }
        return request;
    }

    /// <summary>Replaces the request document after an edit and triages it again (a new determination; the old ones stay).</summary>
    public async Task UpdateAsync(ClientGrant grant, RecordRequest request, Guid clinicianId, Guid actorId, string json, TriageRequest parsed, PdfUpload? file, string? reason, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(parsed);
        request.DocumentCipher = await cipher.EncryptAsync(EncryptedFields.RequestDocument(request), json, ct);
        request.ClinicianId = clinicianId;
        request.ReceivedOn = parsed.ReceivedOn ?? request.ReceivedOn;
        audit.Add(request.PracticeId, actorId, AuditEvent.RequestUpdated(request, parsed.Instrument, reason));
        await TriageAsync(grant, request, json, parsed, actorId, await NextSequenceAsync(request.Id, ct), reason, ct);
        if (file is not null)
        {
            await AttachAsync(request, file, actorId, reason, ct);
        }
    }

    /// <summary>Triages the stored request document again, today, under the current law data.</summary>
    public async Task RetriageAsync(ClientGrant grant, RecordRequest request, Guid actorId, string? reason, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var stored = await records.ReadAsync(grant, request, ct);
        request.UpdatedAt = time.GetUtcNow();
        await TriageAsync(grant, request, stored.Json, stored.Request, actorId, await NextSequenceAsync(request.Id, ct), reason, ct);
    }

    /// <summary>
    /// Moves the request to the next status (received → under review → responded → closed), with who
    /// and when. Marking a mandated report or a duty-to-protect request responded means the report or
    /// warning was made: that records the disclosure (<see cref="RecordReportAsync"/>) in the same save.
    /// </summary>
    /// <exception cref="InvalidOperationException"><paramref name="to"/> is not the next status.</exception>
    public async Task AdvanceAsync(ClientGrant grant, RecordRequest request, RequestStatus to, Guid actorId, string? reason, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (RequestAccess.Next(request.Status) != to)
        {
            throw new InvalidOperationException($"request {request.Id:N} cannot move from {request.Status} to {to}");
        }
        var now = time.GetUtcNow();
        db.RequestStatusChanges.Add(new RequestStatusChange { RequestId = request.Id, From = request.Status, To = to, ById = actorId, At = now });
        audit.Add(request.PracticeId, actorId, AuditEvent.RequestStatusChanged(request, request.Status, to, reason));
        request.Status = to;
        request.UpdatedAt = now;
        if (to == RequestStatus.Responded && request.Outcome is Outcome.MandatedReport or Outcome.DutyToProtect)
        {
            await RecordReportAsync(grant, request, actorId, ct);
        }
    }

    /// <summary>How many rows each list on a request's page shows at most.</summary>
    public const int HistoryRows = 50;

    /// <summary>
    /// What a request's page shows, read under <paramref name="grant"/>: the determination of sequence
    /// <paramref name="seq"/> (the current one when null or unknown) and everything around it.
    /// </summary>
    public async Task<RequestOverview> OverviewAsync(ClientGrant grant, RecordRequest request, Client client, int? seq, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(grant);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(client);
        var today = await clock.TodayAsync(request.PracticeId, ct);
        var zone = await clock.ZoneAsync(request.PracticeId, ct);
        var clientName = await content.ReadStringAsync(grant, EncryptedFields.ClientName(client), client.NameCipher, ct);

        var history = await db.RequestDeterminations.AsNoTracking()
            .Where(d => d.RequestId == request.Id)
            .OrderByDescending(d => d.Sequence)
            .Select(d => new RequestOverview.HistoryRow(d.Id, d.Sequence, d.Outcome, d.EvaluatedOn, d.ProfileJurisdiction, d.ProfileVersion, d.ProfileReviewedOn, d.CreatedById, d.CreatedAt))
            .Take(HistoryRows)
            .ToListAsync(ct);
        var latest = history[0].Sequence;
        var shown = seq is { } s && s != latest ? s : latest;
        var current = await db.RequestDeterminations.AsNoTracking().FirstOrDefaultAsync(d => d.RequestId == request.Id && d.Sequence == shown, ct)
            ?? await db.RequestDeterminations.AsNoTracking().FirstAsync(d => d.RequestId == request.Id && d.Sequence == latest, ct);
        var (_, document, determination) = await records.ReadAsync(grant, current, ct);
        var releasesUsed = new List<(Guid Id, string Line)>();
        foreach (var releaseId in await db.DeterminationReleases.AsNoTracking().Where(x => x.DeterminationId == current.Id).Select(x => x.ReleaseId).ToListAsync(ct))
        {
            releasesUsed.Add((releaseId, await releases.DescribeAsync(grant, releaseId, ct) ?? releaseId.ToString("N")));
        }

        var law = engine.Law;
        var citations = determination.Citations.Select(id => law.Catalog.Find(id) ?? new Citation(id, id, "This citation is no longer in the catalog.", VerificationStatus.Unverified, "", "", "")).ToList();
        var now = law.Resolve(determination.Profile.Jurisdiction).Ref;

        var ticks = await db.RequestStepTicks.AsNoTracking().Where(t => t.DeterminationId == current.Id).OrderBy(t => t.StepIndex).Take(HistoryRows).ToListAsync(ct);
        var statuses = await db.RequestStatusChanges.AsNoTracking().Where(x => x.RequestId == request.Id).OrderByDescending(x => x.At).ThenByDescending(x => x.Id).Take(HistoryRows).ToListAsync(ct);
        var notes = await db.RequestNotes.AsNoTracking().Where(n => n.RequestId == request.Id).OrderByDescending(n => n.CreatedAt).ThenByDescending(n => n.Id).Take(HistoryRows).ToListAsync(ct);
        var files = await db.RequestFiles.AsNoTracking()
            .Where(x => x.RequestId == request.Id)
            .OrderBy(x => x.CreatedAt)
            .Select(x => new { x.Id, x.ClientId, x.FileNameCipher, x.Size, x.CreatedAt })
            .Take(HistoryRows)
            .ToListAsync(ct);

        var finalized = await db.FinalizedDocuments.AsNoTracking().Where(x => x.RequestId == request.Id).OrderBy(x => x.FinalizedAt).ThenBy(x => x.Version).Take(HistoryRows).ToListAsync(ct);
        var people = ticks.Select(t => t.TickedById).Concat(finalized.Select(x => x.FinalizedById)).Concat(statuses.Select(x => x.ById)).Concat(notes.Select(n => n.AuthorId)).Concat(history.Select(h => h.ById)).Append(request.ClinicianId).Distinct().ToList();
        var names = await db.Users.AsNoTracking().Where(u => people.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
        string Name(Guid userId) => names.GetValueOrDefault(userId, "(unknown)");
        var noteRows = new List<RequestOverview.NoteRow>();
        foreach (var n in notes)
        {
            noteRows.Add(new RequestOverview.NoteRow(Name(n.AuthorId), n.CreatedAt, await content.ReadStringAsync(grant, EncryptedFields.RequestNoteText(request.PracticeId, n), n.TextCipher, ct)));
        }
        var fileRows = new List<RequestOverview.FileRow>();
        foreach (var x in files)
        {
            fileRows.Add(new RequestOverview.FileRow(x.Id, await content.ReadStringAsync(grant, EncryptedFields.RequestFileName(request.PracticeId, x.ClientId, x.Id), x.FileNameCipher, ct), x.Size, x.CreatedAt));
        }
        return new RequestOverview(
            today,
            zone,
            RequestAccess.Mark(request.RespondBy, request.IsOpen, today),
            clientName,
            current,
            document,
            determination,
            current.Sequence != latest,
            now.Version != determination.Profile.Version ? now.Version : null,
            releasesUsed,
            citations,
            ticks.ToDictionary(t => t.StepIndex, t => (Name(t.TickedById), t.TickedAt)),
            statuses.Select(x => new RequestOverview.StatusRow(x.From, x.To, Name(x.ById), x.At)).ToList(),
            noteRows,
            fileRows,
            history,
            finalized,
            names
        );
    }

    /// <summary>What <see cref="TickAsync"/> did.</summary>
    public enum TickOutcome
    {
        /// <summary>The determination has no such step.</summary>
        NoSuchStep,

        /// <summary>The step was already as asked (a double submit, or a colleague did it): nothing to save.</summary>
        AlreadyAsAsked,

        /// <summary>Ticked or unticked, with its audit entry.</summary>
        Changed,
    }

    /// <summary>Ticks (or unticks) step <paramref name="step"/> (0-based) of the determination <paramref name="current"/>, with its audit entry.</summary>
    public async Task<TickOutcome> TickAsync(ClientGrant grant, RecordRequest request, RequestDetermination current, int step, bool done, Guid actorId, string? reason, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(current);
        var steps = (await records.ReadAsync(grant, current, ct)).Determination.Steps;
        if (step < 0 || step >= steps.Count)
        {
            return TickOutcome.NoSuchStep;
        }
        var tick = await db.RequestStepTicks.FirstOrDefaultAsync(t => t.DeterminationId == current.Id && t.StepIndex == step, ct);
        if (done == (tick is not null))
        {
            return TickOutcome.AlreadyAsAsked;
        }
        if (tick is null)
        {
            db.RequestStepTicks.Add(new RequestStepTick { RequestId = request.Id, DeterminationId = current.Id, StepIndex = step, TickedById = actorId, TickedAt = time.GetUtcNow() });
        }
        else
        {
            db.RequestStepTicks.Remove(tick);
        }
        audit.Add(request.PracticeId, actorId, AuditEvent.RequestStepChecked(request, current.Id, step + 1, done, reason));
        return TickOutcome.Changed;
    }

    /// <summary>Adds a note (encrypted) to the request, with its audit entry.</summary>
    public async Task AddNoteAsync(RecordRequest request, string text, Guid actorId, string? reason, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var note = new RequestNote { RequestId = request.Id, ClientId = request.ClientId, AuthorId = actorId, TextCipher = [], CreatedAt = time.GetUtcNow() };
        note.TextCipher = await cipher.EncryptAsync(EncryptedFields.RequestNoteText(request.PracticeId, note), text, ct);
        db.RequestNotes.Add(note);
        audit.Add(request.PracticeId, actorId, AuditEvent.RequestNoteAdded(request, note.Id, reason));
    }

    /// <summary>The request's file <paramref name="fileId"/> as uploaded (checked against its SHA-256) and its name, with the download's audit entry; null when the request has no such file.</summary>
    /// <exception cref="CryptographicException">The file does not match its checksum.</exception>
    public async Task<(RequestFile Row, byte[] Bytes, string FileName)?> ReadFileAsync(ClientGrant grant, RecordRequest request, Guid fileId, Guid actorId, string? reason, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var file = await db.RequestFiles.AsNoTracking().FirstOrDefaultAsync(x => x.Id == fileId && x.RequestId == request.Id, ct);
        if (file is null)
        {
            return null;
        }
        var bytes = await content.ReadAsync(grant, EncryptedFields.RequestFileContent(request.PracticeId, file.ClientId, file.Id), file.ContentCipher, ct);
        if (!SHA256.HashData(bytes).AsSpan().SequenceEqual(file.Sha256))
        {
            throw new CryptographicException($"request file {file.Id:N} does not match its checksum");
        }
        var name = await content.ReadStringAsync(grant, EncryptedFields.RequestFileName(request.PracticeId, file.ClientId, file.Id), file.FileNameCipher, ct);
        audit.Add(request.PracticeId, actorId, AuditEvent.RequestFileDownloaded(file, reason));
        return (file, bytes, name);
    }

    /// <summary>
    /// Records the disclosure a mandated report (to the state's agency) or a duty-to-protect warning
    /// made: what the report needs goes to the agency or the person warned, on the basis the
    /// determination gave (45 C.F.R. § 164.512(b) or (j)).
    /// </summary>
    private async Task RecordReportAsync(ClientGrant grant, RecordRequest request, Guid actorId, CancellationToken ct)
    {
        var parsed = (await records.ReadAsync(grant, request, ct)).Request;
        var determination =
            db.RequestDeterminations.Local.Where(d => d.RequestId == request.Id).MaxBy(d => d.Sequence)
            ?? await db.RequestDeterminations.AsNoTracking().Where(d => d.RequestId == request.Id).OrderByDescending(d => d.Sequence).FirstAsync(ct);
        var (profile, _) = engine.Law.Resolve(parsed.Jurisdiction);
        var reporting = profile.Reporting ?? engine.Law.Baseline.Reporting!;
        var report = request.Outcome == Outcome.MandatedReport;
        var details = parsed.Details;
        var recipient = report ? reporting.Agency : Blank(details?.RequesterName) ?? "The person warned or the authority notified";
        await disclosures.RecordAsync(
            new NewDisclosure(
                request.PracticeId,
                request.ClientId,
                report ? Core.Disclosure.DisclosureBasis.AbuseReport : Core.Disclosure.DisclosureBasis.SeriousThreat,
                await clock.TodayAsync(request.PracticeId, ct),
                recipient,
                report ? null : Blank(details?.RequesterAddress),
                report ? "The facts the mandated report requires (see the reporting worksheet)" : "The facts needed to prevent or lessen the threat (see the duty-to-protect record)",
                report ? $"Mandated child-abuse report ({reporting.Deadline}); 45 C.F.R. § 164.512(b)(1)(ii)" : "Serious and imminent threat to health or safety; 45 C.F.R. § 164.512(j)",
                actorId
            )
            {
                RequestId = request.Id,
                DeterminationId = determination.Id,
            },
            ct
        );
    }

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    private async Task<int> NextSequenceAsync(Guid requestId, CancellationToken ct) =>
        (await db.RequestDeterminations.Where(d => d.RequestId == requestId).MaxAsync(d => (int?)d.Sequence, ct) ?? 0) + 1;

    private async Task TriageAsync(ClientGrant grant, RecordRequest request, string json, TriageRequest parsed, Guid actorId, int sequence, string? reason, CancellationToken ct)
    {
        var today = await clock.TodayAsync(request.PracticeId, ct);
        // A practice that is a Part 2 program is one for every request (R2), whatever the intake said.
        if (!parsed.Part2Program && await db.Practices.AnyAsync(p => p.Id == request.PracticeId && p.Part2Program, ct))
        {
            parsed = parsed with { Part2Program = true };
            json = RequestJson.Write(parsed);
        }
        // The client's stored releases are weighed on every triage: a release that covers the
        // request becomes its authorization (in place of one described on the form); one revoked
        // or expired since is no longer used.
        var match = await releases.MatchAsync(grant, parsed, today, ct);
        if (match.Authorization is { } authorization)
        {
            parsed = parsed with { Authorization = authorization };
            // The determination's stored document carries the release too (the documents are filled
            // from it): Core writes it from the request as evaluated (RequestJson mirrors the parser).
            json = RequestJson.Write(parsed);
        }
        var determination = engine.Evaluate(parsed, today);
        var row = new RequestDetermination
        {
            RequestId = request.Id,
            ClientId = request.ClientId,
            Sequence = sequence,
            Outcome = determination.Outcome,
            EvaluatedOn = today,
            ProfileJurisdiction = determination.Profile.Jurisdiction,
            ProfileVersion = determination.Profile.Version,
            ProfileReviewedOn = determination.Profile.ReviewedOn,
            DeterminationCipher = [],
            DocumentCipher = [],
            CreatedById = actorId,
            CreatedAt = time.GetUtcNow(),
        };
        row.DeterminationCipher = await cipher.EncryptAsync(EncryptedFields.Determination(request.PracticeId, row), DeterminationJson.ToJson(determination), ct);
        row.DocumentCipher = await cipher.EncryptAsync(EncryptedFields.DeterminationDocument(request.PracticeId, row), json, ct);
        db.RequestDeterminations.Add(row);
        foreach (var releaseId in match.Used)
        {
            db.DeterminationReleases.Add(new DeterminationRelease { DeterminationId = row.Id, ReleaseId = releaseId });
        }
        request.Outcome = determination.Outcome;
        request.RespondBy = determination.RespondBy;
        request.ObjectBy = determination.ObjectBy;
        request.UpdatedAt = row.CreatedAt;
        // Triaged again: a "re-check needed" flag has had its new look.
        request.RecheckReason = null;
        request.RecheckSince = null;
        audit.Add(request.PracticeId, actorId, AuditEvent.RequestTriaged(request, row, sequence, match.Used, reason));
    }

    private async Task AttachAsync(RecordRequest request, PdfUpload file, Guid actorId, string? reason, CancellationToken ct)
    {
        var row = new RequestFile
        {
            RequestId = request.Id,
            ClientId = request.ClientId,
            FileNameCipher = [],
            ContentType = PdfUpload.ContentType,
            Size = file.Bytes.Length,
            Sha256 = SHA256.HashData(file.Bytes),
            ContentCipher = [],
            CreatedById = actorId,
            CreatedAt = time.GetUtcNow(),
        };
        row.FileNameCipher = await cipher.EncryptAsync(EncryptedFields.RequestFileName(request.PracticeId, request.ClientId, row.Id), Encoding.UTF8.GetBytes(file.FileName), ct);
        row.ContentCipher = await cipher.EncryptAsync(EncryptedFields.RequestFileContent(request.PracticeId, request.ClientId, row.Id), file.Bytes, ct);
        db.RequestFiles.Add(row);
        audit.Add(request.PracticeId, actorId, AuditEvent.RequestFileAttached(request, row.Id, file.Bytes.Length, reason));
    }
}
