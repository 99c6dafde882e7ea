using System.Globalization;
using Confide.Core.Disclosure;
using Confide.Core.Triage;
using Confide.Data;
using Confide.Data.Access;
using Confide.Data.Audit;
using Confide.Data.Entities;
using Confide.Web.Features.Clients;
using Confide.Web.Features.Packets;
using Confide.Web.Features.Requests;
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
public sealed class PacketModel(ConfideDbContext db, ClientContent content, IAuditTrail audit, PacketService packets, TimeProvider time) : PageModel
{
    public const int MaxPassages = 200;
    public const int MaxPassageLength = 2000;

    [BindProperty(SupportsGet = true)]
    public string? Reason { get; set; }

    /// <summary>A packet to show the progress or the files of.</summary>
    [BindProperty(SupportsGet = true)]
    public Guid? PacketId { get; set; }

    public RecordRequest Item { get; private set; } = null!;
    public PacketService.Proposal Proposal { get; private set; } = null!;
    public Determination Determination => Proposal.Determination;
    public string Recipient => Proposal.Recipient;
    public string? RecipientAddress => Proposal.RecipientAddress;
    public string BasisText => Proposal.BasisText;
    public IReadOnlyList<PacketService.Proposed> Items => Proposal.Items;
    public IReadOnlyList<Packet> Packets => Proposal.Packets;
    public Packet? Shown { get; private set; }
    public List<string> Errors { get; } = [];

    /// <summary>Values as posted, to show again with the errors.</summary>
    public Dictionary<string, string> Posted { get; } = [];

    public HashSet<Guid> Included { get; } = [];

    public string Query => Reason is null ? "" : $"?reason={Uri.EscapeDataString(Reason)}";

    public string Amp => Reason is null ? "" : $"&reason={Uri.EscapeDataString(Reason)}";

    public string Path => $"/Requests/{Item.Id}/Packet";

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
        if (!Proposal.Consent.Holds)
        {
            return await ConsentRefusedAsync(ct);
        }
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
        try
        {
            var packet = await packets.CreateAsync(found.Viewer.UserId, Item, Proposal, chosen, Reason, ct);
            return Redirect($"{Path}?packetId={packet.Id}{Amp}");
        }
        catch (Features.Releases.ConsentRefusedException refused)
        {
            Proposal = Proposal with { Consent = refused.Result };
            return await ConsentRefusedAsync(ct);
        }
    }

    /// <summary>The build refused because consent no longer holds: the flag and its audit entry saved, the reasons shown (409).</summary>
    private async Task<IActionResult> ConsentRefusedAsync(CancellationToken ct)
    {
        await db.SaveChangesAsync(ct);
        Response.StatusCode = StatusCodes.Status409Conflict;
        return Page();
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
        var bytes = await packets.ReadFileAsync(found.Grant!, packet, manifest: what == "manifest", ct);
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
        Proposal = await packets.ProposeAsync(f.Grant!, f.Request, f.Client, ct);
        if (PacketId is { } shown)
        {
            Shown = Packets.FirstOrDefault(p => p.Id == shown);
        }
    }
}
