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
using Confide.Web.Hosting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Confide.Web.Pages.Requests;

/// <summary>
/// The disclosure packet of a request whose determination discloses: the app proposes exactly the
/// record items in scope (Core's <see cref="PacketScope"/>), the clinician drops items, marks passages
/// of typed content to remove, and chooses for each uploaded PDF in or out and, page by page, keep,
/// withhold (a placeholder stands in) or black out regions drawn on a preview of the page (or typed);
/// the build runs in the background (<see cref="PacketWorker"/>) and this page shows its progress, then
/// offers the PDF and its manifest. Reviewing, previewing, building and downloading need a recent
/// re-authentication. Every review, preview, build and download is audited. The page runs one script
/// of its own (drawing regions; <c>/packet-regions.js</c>), the only page whose policy allows one.
/// </summary>
public sealed class PacketModel(ConfideDbContext db, ClientContent content, IAuditTrail audit, PacketService packets, AttachmentPages pages, TimeProvider time) : PageModel
{
    public const int MaxPassages = 200;
    public const int MaxPassageLength = 2000;
    public const int MaxRegionsPerPage = 50;

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

    /// <summary>Errors by the form field they are about (also listed in <see cref="Errors"/>).</summary>
    public Dictionary<string, string> FieldErrors { get; } = [];

    /// <summary>Each proposed attachment's pages (size as displayed, points); null when its pages cannot be read.</summary>
    public Dictionary<Guid, IReadOnlyList<Confide.Documents.Packets.PageSize>?> PageSizes { get; } = [];

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
        await LoadPagesAsync(found, ct);
        audit.Add(found.Viewer.PracticeId, found.Viewer.UserId, AuditEvent.PacketReviewOpened(Item, Items.Count, Reason));
        await db.SaveChangesAsync(ct);
        SecurityHeaders.AllowOwnScripts(HttpContext);
        return Page();
    }

    /// <summary>
    /// One page of a proposed attachment as a PNG (a pixel a point), to draw regions on: the same
    /// access as the page (the request visible, the client's record open to the viewer, the attachment
    /// among those proposed, a recent re-authentication), and audited as a view of the attachment.
    /// </summary>
    /// <remarks>The page number is <c>pageNumber</c>: <c>page</c> is Razor Pages' own route value (the page's path).</remarks>
    public async Task<IActionResult> OnGetPreviewAsync(Guid id, Guid attachmentId, int? pageNumber, CancellationToken ct)
    {
        var number = pageNumber ?? 1;
        var found = await FindAsync(id, ct);
        if (found is null || found.Refusal is not null || number < 1)
        {
            return NotFound();
        }
        // an attachment the viewer may not see is unknown, re-authenticated or not
        if (await pages.FindAsync(found.Client, attachmentId, ct) is not { } attachment || !found.Grant!.CanSee(attachment.Parent))
        {
            return NotFound();
        }
        if (!Reauthentication.IsFresh(User, time))
        {
            return Redirect(Reauthentication.PageFor(Path + Query)); // as the page does (an image that is not one)
        }
        await LoadAsync(found, ct);
        if (!Items.Any(i => i.IsAttachment && i.Id == attachmentId))
        {
            return NotFound(); // not proposed for this request: as unknown as a made-up id
        }
        var png = await pages.PreviewAsync(found.Grant!, found.Client, attachment, number, ct);
        if (png is null)
        {
            return NotFound();
        }
        audit.Add(found.Viewer.PracticeId, found.Viewer.UserId, AuditEvent.AttachmentPreviewed(attachment.Attachment, found.Client.Id, number, found.Grant!, Reason));
        await db.SaveChangesAsync(ct);
        return File(png, "image/png");
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
        await LoadPagesAsync(found, ct);
        SecurityHeaders.AllowOwnScripts(HttpContext);
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
                if (ReadAttachment(form, item) is { } reviewed)
                {
                    chosen.Add(reviewed);
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

    /// <summary>
    /// An attachment's choices as posted: in or out, and per page keep, withhold or black out (with
    /// its regions, one "x, y, width, height" a line, points from the page's top-left corner); null
    /// when it stays out or has errors (each added under its field).
    /// </summary>
    private ReviewItem? ReadAttachment(IFormCollection form, PacketService.Proposed item)
    {
        var key = item.Id.ToString("N");
        var label = $"{item.Title} (attached document)";
        var mode = form[$"mode-{key}"].ToString();
        Posted[$"mode-{key}"] = mode;
        foreach (var field in form.Keys.Where(k => k.StartsWith($"page-{key}-", StringComparison.Ordinal) || k.StartsWith($"regions-{key}-", StringComparison.Ordinal)))
        {
            Posted[field] = form[field].ToString();
        }
        if (mode is not ("include" or "exclude"))
        {
            Fail($"mode-{key}", $"{label}: choose to put it in or to leave it out.");
            return null;
        }
        var sizes = PageSizes.GetValueOrDefault(item.Id);
        var count = sizes?.Count ?? 0;
        var before = Errors.Count;
        // a page number the PDF does not have (a tampered or stale form) is named, not ignored
        foreach (var field in Posted.Keys.Where(k => k.StartsWith($"page-{key}-", StringComparison.Ordinal) || k.StartsWith($"regions-{key}-", StringComparison.Ordinal)).ToList())
        {
            var number = field[(field.LastIndexOf('-') + 1)..];
            if (!int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var page) || page < 1 || page > count)
            {
                Fail(field, sizes is null ? $"{label}: its pages could not be read, so no page can be withheld or blacked out; leave it out." : $"{label}: there is no page {number}; the PDF has {count} page{(count == 1 ? "" : "s")}.");
            }
        }
        if (mode == "exclude" || Errors.Count > before)
        {
            return null;
        }
        var withheld = new List<int>();
        var regions = new List<ReviewRegion>();
        for (var page = 1; page <= count; page++)
        {
            var choiceField = $"page-{key}-{page}";
            var regionsField = $"regions-{key}-{page}";
            var choice = Posted.GetValueOrDefault(choiceField) is { Length: > 0 } c ? c : "keep";
            var typed = Posted.GetValueOrDefault(regionsField) ?? "";
            var where = $"{label}, page {page}";
            switch (choice)
            {
                case "withhold":
                    withheld.Add(page);
                    break;
                case "blackout":
                    var drawn = ReadRegions(typed, page, sizes![page - 1], regionsField, where);
                    if (drawn is { Count: 0 })
                    {
                        Fail(regionsField, $"{where}: draw or type at least one region to black out, or choose keep or withhold.");
                    }
                    regions.AddRange(drawn ?? []);
                    break;
                case "keep":
                    if (typed.Trim().Length > 0)
                    {
                        Fail(regionsField, $"{where}: regions are given but the page is kept as it is; choose black out regions, or clear them.");
                    }
                    break;
                default:
                    Fail(choiceField, $"{where}: choose keep, withhold or black out regions.");
                    break;
            }
        }
        return Errors.Count > before ? null : new ReviewItem(item.Id, true, [], "include", [], withheld, regions);
    }

    /// <summary>Regions typed (or drawn) for one page; null when a line is wrong (the error is added).</summary>
    private List<ReviewRegion>? ReadRegions(string text, int page, Confide.Documents.Packets.PageSize size, string field, string where)
    {
        var lines = text.Replace("\r", "", StringComparison.Ordinal).Split('\n').Select(l => l.Trim()).ToList();
        var regions = new List<ReviewRegion>();
        for (var n = 0; n < lines.Count; n++)
        {
            if (lines[n].Length == 0)
            {
                continue;
            }
            var parts = lines[n].Split([',', ' ', ';'], StringSplitOptions.RemoveEmptyEntries);
            var numbers = parts.Select(p => double.TryParse(p, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v) ? v : (double?)null).ToList();
            var at = $"{where}, region on line {n + 1}";
            if (numbers.Count != 4 || numbers.Any(v => v is null))
            {
                Fail(field, $"{at}: give four numbers, x, y, width, height, in points from the page's top-left corner.");
                return null;
            }
            var (x, y, w, h) = (numbers[0]!.Value, numbers[1]!.Value, numbers[2]!.Value, numbers[3]!.Value);
            if (!(w > 0 && h > 0))
            {
                Fail(field, $"{at}: the width and height must be more than 0 (this region has no size).");
                return null;
            }
            if (x < 0 || y < 0 || x + w > size.Width + 0.5 || y + h > size.Height + 0.5)
            {
                Fail(field, $"{at}: the region reaches outside the page ({size.Width:0.#} by {size.Height:0.#} points).");
                return null;
            }
            regions.Add(new ReviewRegion(page, x, y, w, h));
        }
        if (regions.Count > MaxRegionsPerPage)
        {
            Fail(field, $"{where}: at most {MaxRegionsPerPage} regions a page.");
            return null;
        }
        return regions;
    }

    private void Fail(string field, string message)
    {
        Errors.Add(message);
        FieldErrors.TryAdd(field, message);
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

    /// <summary>Each proposed attachment's page sizes (decrypted under the page's grant, measured by poppler in its own process).</summary>
    private async Task LoadPagesAsync(Found f, CancellationToken ct)
    {
        foreach (var item in Items.Where(i => i.IsAttachment))
        {
            var attachment = await pages.FindAsync(f.Client, item.Id, ct);
            PageSizes[item.Id] = attachment is null ? null : await pages.SizesAsync(f.Grant!, f.Client, attachment, ct);
        }
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
