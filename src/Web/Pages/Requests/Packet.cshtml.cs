using System.Globalization;
using Confide.Core.Disclosure;
using Confide.Core.Requests;
using Confide.Core.Triage;
using Confide.Data;
using Confide.Data.Access;
using Confide.Data.Audit;
using Confide.Data.Crypto;
using Confide.Data.Entities;
using Confide.Web.Packets;
using Confide.Web.Pages.Clients;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Confide.Web.Pages.Requests;

/// <summary>
/// The disclosure packet of a request whose determination discloses: the app proposes exactly the
/// record items in scope (Core's <see cref="PacketScope"/>), the clinician drops items, marks passages
/// of typed content to remove, and chooses for each uploaded PDF whole, out, or pages redacted; the
/// build runs in the background (<see cref="PacketWorker"/>) and this page shows its progress, then
/// offers the PDF and its manifest. Building and downloading need a recent re-authentication. Every
/// review, build and download is audited.
/// </summary>
public sealed class PacketModel(ConfideDbContext db, RecordCipher cipher, ClientContent content, IAuditTrail audit, PacketQueue queue, TimeProvider time) : PageModel
{
    public const int MaxPassages = 200;
    public const int MaxPassageLength = 2000;

    [BindProperty(SupportsGet = true)]
    public string? Reason { get; set; }

    /// <summary>A packet to show the progress or the files of.</summary>
    [BindProperty(SupportsGet = true)]
    public Guid? PacketId { get; set; }

    public RecordRequest Item { get; private set; } = null!;
    public Determination Determination { get; private set; } = null!;
    public string Recipient { get; private set; } = "";
    public string? RecipientAddress { get; private set; }
    public string BasisText { get; private set; } = "";
    public List<Proposed> Items { get; } = [];
    public List<Packet> Packets { get; } = [];
    public Packet? Shown { get; private set; }
    public List<string> Errors { get; } = [];

    /// <summary>Values as posted, to show again with the errors.</summary>
    public Dictionary<string, string> Posted { get; } = [];

    public HashSet<Guid> Included { get; } = [];

    public string Query => Reason is null ? "" : $"?reason={Uri.EscapeDataString(Reason)}";

    public string Amp => Reason is null ? "" : $"&reason={Uri.EscapeDataString(Reason)}";

    public string Path => $"/Requests/{Item.Id}/Packet";

    /// <summary>One item the scope proposes: typed content (with its text, to mark passages) or an uploaded PDF.</summary>
    public sealed record Proposed(Guid Id, bool IsAttachment, Category Category, DateOnly Date, string Title, string? Text);

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        var found = await FindAsync(id, ct);
        if (found is null)
        {
            return NotFound();
        }
        if (found.Refusal is { } refusal)
        {
            return refusal;
        }
        if (!Reauthentication.IsFresh(User, time))
        {
            return Redirect(Reauthentication.PageFor(Request.Path + Request.QueryString));
        }
        await LoadAsync(found, ct);
        audit.Add(found.Viewer.PracticeId, found.Viewer.UserId, AuditEvent.PacketReviewOpened(Item, Items.Count, Reason));
        await db.SaveChangesAsync(ct);
        return Page();
    }

    /// <summary>The build's progress, for a page that polls: status, percent and pages so far.</summary>
    public async Task<IActionResult> OnGetProgressAsync(Guid id, CancellationToken ct)
    {
        var found = await FindAsync(id, ct);
        if (found is null || found.Refusal is not null || PacketId is not { } packetId)
        {
            return NotFound();
        }
        var p = await db.Packets.AsNoTracking().FirstOrDefaultAsync(x => x.Id == packetId && x.RequestId == id, ct);
        return p is null ? NotFound() : new JsonResult(new { status = p.Status.ToString().ToLowerInvariant(), percent = p.Percent, pages = p.Pages, failure = p.Failure });
    }

    public async Task<IActionResult> OnPostBuildAsync(Guid id, CancellationToken ct)
    {
        var found = await FindAsync(id, ct);
        if (found is null)
        {
            return NotFound();
        }
        if (found.Refusal is not null)
        {
            return BadRequest();
        }
        if (!Reauthentication.IsFresh(User, time))
        {
            return Redirect(Reauthentication.PageFor(Path + Query));
        }
        await LoadAsync(found, ct);
        if (Items.Count == 0)
        {
            return BadRequest();
        }
        var form = Request.Form;
        var proposed = Items.ToDictionary(i => i.Id);
        var chosen = new List<ReviewItem>();
        foreach (var value in form["include"])
        {
            if (!Guid.TryParse(value, out var itemId) || !proposed.TryGetValue(itemId, out var item) || item.IsAttachment)
            {
                return BadRequest(); // not proposed: a tampered form
            }
            Included.Add(itemId);
        }
        foreach (var item in Items)
        {
            if (item.IsAttachment)
            {
                var mode = form[$"mode-{item.Id:N}"].ToString();
                var pagesText = form[$"pages-{item.Id:N}"].ToString();
                Posted[$"mode-{item.Id:N}"] = mode;
                Posted[$"pages-{item.Id:N}"] = pagesText;
                if (mode is not ("whole" or "exclude" or "redact-pages"))
                {
                    Errors.Add($"{item.Title} (attached document): choose whole, leave out, or redact pages.");
                    continue;
                }
                var pages = new List<int>();
                if (mode == "redact-pages")
                {
                    foreach (var part in pagesText.Split([',', ' '], StringSplitOptions.RemoveEmptyEntries))
                    {
                        if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var page) || page < 1 || page > 10000)
                        {
                            Errors.Add($"{item.Title} (attached document): pages to redact are page numbers such as 1, 3; '{part}' is not one.");
                            pages.Clear();
                            break;
                        }
                        pages.Add(page);
                    }
                    if (pages.Count == 0 && !Errors.Any(e => e.StartsWith(item.Title + " (attached", StringComparison.Ordinal)))
                    {
                        Errors.Add($"{item.Title} (attached document): name the pages to redact (e.g. 1, 3), or choose whole or leave out.");
                    }
                }
                if (mode != "exclude")
                {
                    chosen.Add(new ReviewItem(item.Id, true, [], mode, pages));
                }
                continue;
            }
            var removeText = form[$"remove-{item.Id:N}"].ToString();
            Posted[$"remove-{item.Id:N}"] = removeText;
            if (!Included.Contains(item.Id))
            {
                continue;
            }
            var passages = removeText.Replace("\r", "", StringComparison.Ordinal).Split('\n').Where(l => l.Trim().Length > 0).ToList();
            if (passages.Count > MaxPassages || passages.Any(p => p.Length > MaxPassageLength))
            {
                Errors.Add($"{item.Title}: at most {MaxPassages} passages of at most {MaxPassageLength} characters each.");
                continue;
            }
            for (var n = 0; n < passages.Count; n++)
            {
                if (!item.Text!.Contains(passages[n], StringComparison.Ordinal))
                {
                    Errors.Add($"{item.Title}: the passage on line {n + 1} of the passages to remove is not in the item's text (copy it exactly).");
                }
            }
            chosen.Add(new ReviewItem(item.Id, false, passages, null, []));
        }
        if (chosen.Count == 0 && Errors.Count == 0)
        {
            Errors.Add("Choose at least one item for the packet.");
        }
        if (Errors.Count > 0)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        var viewer = found.Viewer;
        var practice = await db.Practices.AsNoTracking().FirstAsync(p => p.Id == viewer.PracticeId, ct);
        var me = await db.Users.AsNoTracking().FirstAsync(u => u.Id == viewer.UserId, ct);
        var current = await db.RequestDeterminations.AsNoTracking().Where(d => d.RequestId == Item.Id).OrderByDescending(d => d.Sequence).FirstAsync(ct);
        var packet = new Packet
        {
            PracticeId = viewer.PracticeId,
            ClientId = Item.ClientId,
            RequestId = Item.Id,
            DeterminationId = current.Id,
            Status = PacketStatus.Queued,
            ReviewCipher = [],
            CreatedById = viewer.UserId,
            CreatedAt = time.GetUtcNow(),
        };
        var review = new PacketReview(Recipient, RecipientAddress, BasisText, practice.Name, me.DisplayName, chosen);
        packet.ReviewCipher = await cipher.EncryptAsync(EncryptedFields.PacketReview(packet), review.ToBytes(), ct);
        db.Packets.Add(packet);
        var typed = chosen.Count(c => !c.IsAttachment);
        audit.Add(viewer.PracticeId, viewer.UserId, AuditEvent.PacketCreated(packet, typed, chosen.Count - typed, Items.Count, Reason));
        await db.SaveChangesAsync(ct);
        queue.Enqueue(packet.PracticeId, packet.Id);
        return Redirect($"{Path}?packetId={packet.Id}{Amp}");
    }

    /// <summary>The built packet (<paramref name="what"/> pdf, the default) or its manifest (manifest), checked against its SHA-256. Needs a recent re-authentication.</summary>
    public async Task<IActionResult> OnGetDownloadAsync(Guid id, string? what, CancellationToken ct)
    {
        what ??= "pdf";
        var found = await FindAsync(id, ct);
        if (found is null || found.Refusal is not null || PacketId is not { } packetId || what is not ("pdf" or "manifest"))
        {
            return NotFound();
        }
        var packet = await db.Packets.AsNoTracking().FirstOrDefaultAsync(p => p.Id == packetId && p.RequestId == id && p.Status == PacketStatus.Done, ct);
        if (packet is null)
        {
            return NotFound();
        }
        if (!Reauthentication.IsFresh(User, time))
        {
            return Redirect(Reauthentication.PageFor($"{Path}?packetId={packet.Id}{Amp}"));
        }
        byte[] bytes;
        if (what == "pdf")
        {
            bytes = await content.ReadAsync(found.Grant!, EncryptedFields.PacketPdf(packet), packet.PdfCipher!, ct);
            if (!System.Security.Cryptography.SHA256.HashData(bytes).AsSpan().SequenceEqual(packet.Sha256))
            {
                throw new System.Security.Cryptography.CryptographicException($"packet {packet.Id:N} does not match its checksum");
            }
        }
        else
        {
            bytes = await content.ReadAsync(found.Grant!, EncryptedFields.PacketManifest(packet), packet.ManifestCipher!, ct);
        }
        audit.Add(found.Viewer.PracticeId, found.Viewer.UserId, AuditEvent.PacketDownloaded(packet, what, Reason));
        await db.SaveChangesAsync(ct);
        var stem = $"packet-{RequestAccess.Short(packet.Id)}";
        return what == "pdf" ? File(bytes, "application/pdf", stem + ".pdf") : File(bytes, "application/json", stem + ".manifest.json");
    }

    /// <summary>What <see cref="FindAsync"/> found: with a refusal there is no grant and nothing was read.</summary>
    private sealed record Found(Viewer Viewer, RecordRequest Request, Client Client, ClientGrant? Grant, IActionResult? Refusal);

    /// <summary>
    /// The request and its client when the viewer may see them and the packet named (if any) is one
    /// of this request's (null: a 404), with <see cref="ClientContent"/>'s grant for the client's record; a
    /// staff member without a reason is sent to the request page to state one, and a shredded client's
    /// request to that page too (it sends on to the client's page, which says the content was destroyed).
    /// </summary>
    private async Task<Found?> FindAsync(Guid id, CancellationToken ct)
    {
        var viewer = Viewer.From(User);
        if (Reason is not null && !ClientAccess.IsReason(Reason))
        {
            Reason = null;
        }
        var request = await RequestAccess.Visible(db, viewer).AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, ct);
        if (request is null)
        {
            return null;
        }
        if (PacketId is { } packetId && !await db.Packets.AnyAsync(p => p.Id == packetId && p.RequestId == request.Id, ct))
        {
            return null; // a packet of another request: as unknown as a made-up id
        }
        var decision = await content.OpenAsync(viewer.Reader, request.ClientId, ContentPurpose.Record, Reason, ct);
        if (decision.Outcome is not (AccessOutcome.Granted or AccessOutcome.NeedsReason or AccessOutcome.Shredded))
        {
            return null;
        }
        var client = await db.Clients.AsNoTracking().FirstAsync(c => c.Id == request.ClientId, ct);
        Item = request;
        return new Found(viewer, request, client, decision.Grant, decision.Grant is null ? Redirect($"/Requests/{id}") : null);
    }

    /// <summary>The determination, the recipient and basis in words, the proposal, and the packets built so far.</summary>
    private async Task LoadAsync(Found f, CancellationToken ct)
    {
        var current = await db.RequestDeterminations.AsNoTracking().Where(d => d.RequestId == f.Request.Id).OrderByDescending(d => d.Sequence).FirstAsync(ct);
        Determination = StoredDetermination.Read(await content.ReadStringAsync(f.Grant!, EncryptedFields.Determination(f.Viewer.PracticeId, current), current.DeterminationCipher, ct));
        var json = await content.ReadStringAsync(f.Grant!, EncryptedFields.DeterminationDocument(f.Viewer.PracticeId, current), current.DocumentCipher, ct);
        var document = RequestParser.Parse(json).Request ?? throw new InvalidDataException($"request {f.Request.Id:N}: the stored document no longer parses");
        var details = document.Details;
        (Recipient, RecipientAddress, BasisText) = Determination.Outcome switch
        {
            Outcome.ClientAccess => (details?.ClientName ?? "The client", (string?)null, "The client's own request for access to their records (45 C.F.R. § 164.524)"),
            Outcome.ComplyWithOrder => (
                Blank(details?.RequesterName) ?? Blank(details?.Court) ?? "The court",
                Blank(details?.RequesterAddress),
                "Court order" + (Blank(details?.Court) is { } court ? $" of the {court}" : "") + (Blank(details?.CaseNumber) is { } no ? $", case {no}" : "") + " (45 C.F.R. § 164.512(e)(1)(i))"
            ),
            _ => (
                Blank(details?.RequesterName) ?? "The recipient the client's release names",
                Blank(details?.RequesterAddress),
                "The client's written authorization (45 C.F.R. § 164.508)"
            ),
        };
        Packets.AddRange(await db.Packets.AsNoTracking().Where(p => p.RequestId == f.Request.Id).OrderByDescending(p => p.CreatedAt).Take(20).ToListAsync(ct));
        if (PacketId is { } shown)
        {
            Shown = Packets.FirstOrDefault(p => p.Id == shown);
        }
        if (!Outcomes.Discloses(Determination.Outcome))
        {
            return;
        }
        var records = await db.RecordItems.AsNoTracking()
            .Where(r => r.ClientId == f.Client.Id)
            .Include(r => r.Attachments)
            .OrderBy(r => r.Date)
            .ThenBy(r => r.CreatedAt)
            .ToListAsync(ct);
        records = records.Where(f.Grant!.CanSee).ToList();
        // A release the determination relied on limits the packet to its own categories and records period.
        var releases = (
            await db.DeterminationReleases.AsNoTracking()
                .Where(d => d.DeterminationId == current.Id)
                .Join(db.Releases.AsNoTracking(), d => d.ReleaseId, r => r.Id, (_, r) => r)
                .ToListAsync(ct)
        )
            .Select(r => new ReleaseScope(Releases.ReleaseDesk.CategoriesOf(r), r.RecordsFrom is null && r.RecordsThrough is null ? null : new DateRange(r.RecordsFrom, r.RecordsThrough)))
            .ToList();
        var inScope = PacketScope.SelectUnderReleases(Determination, releases, records.Select(r => new RecordItemRef(r.Id.ToString("N"), r.Category, r.Date))).ToHashSet();
        foreach (var r in records.Where(r => inScope.Contains(r.Id.ToString("N"))))
        {
            var title = PacketBuildRun.Title(r);
            Items.Add(new Proposed(r.Id, false, r.Category, r.Date, title, await content.ReadItemStringAsync(f.Grant!, r, EncryptedFields.RecordItemContent(f.Client, r), r.ContentCipher, ct)));
            foreach (var a in r.Attachments.OrderBy(a => a.CreatedAt))
            {
                Items.Add(new Proposed(a.Id, true, r.Category, r.Date, title, null));
            }
        }
    }

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
