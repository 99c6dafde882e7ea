using Confide.Data;
using Confide.Data.Audit;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Confide.Web.Pages;

/// <summary>
/// The practice's settings that the rules read, for its owner: whether it is a Part 2 program
/// (42 C.F.R. § 2.11), which every triage then applies (the contract's <c>part2Program</c>, R2).
/// Others get a 404, as for any page that is not theirs.
/// </summary>
public sealed class PracticeModel(ConfideDbContext db, IAuditTrail audit) : PageModel
{
    public string Name { get; private set; } = "";

    public string Jurisdiction { get; private set; } = "";

    public string TimeZone { get; private set; } = "";

    [BindProperty]
    public bool Part2Program { get; set; }

    public bool Saved { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var viewer = Viewer.From(User);
        if (!viewer.IsOwner)
        {
            return NotFound();
        }
        var practice = await db.Practices.AsNoTracking().FirstAsync(p => p.Id == viewer.PracticeId, ct);
        (Name, Jurisdiction, TimeZone, Part2Program) = (practice.Name, practice.Jurisdiction, practice.TimeZone, practice.Part2Program);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var viewer = Viewer.From(User);
        if (!viewer.IsOwner)
        {
            return NotFound();
        }
        var practice = await db.Practices.FirstAsync(p => p.Id == viewer.PracticeId, ct);
        if (practice.Part2Program != Part2Program)
        {
            practice.Part2Program = Part2Program;
            audit.Add(viewer.PracticeId, viewer.UserId, AuditEvent.Part2ProgramSet(viewer.PracticeId, Part2Program));
            await db.SaveChangesAsync(ct);
        }
        (Name, Jurisdiction, TimeZone, Saved) = (practice.Name, practice.Jurisdiction, practice.TimeZone, true);
        return Page();
    }
}
