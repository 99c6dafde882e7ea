using System.ComponentModel.DataAnnotations;
using Confide.Core.Requests;
using Confide.Data;
using Confide.Data.Audit;
using Confide.Data.Entities;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Confide.Web.Pages;

/// <summary>First run only: creates the practice and the owner account. Once a practice exists, 404.</summary>
[AllowAnonymous]
public sealed class SetupModel(ConfideDbContext db, UserManager<User> users, SignInManager<User> signIn, IAuditTrail audit, TimeProvider time, Hosting.SetupCode setupCode)
    : PageModel
{
    [BindProperty]
    public SetupInput Input { get; set; } = new();

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) => await db.Practices.AnyAsync(ct) ? NotFound() : Page();

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (await db.Practices.AnyAsync(ct))
        {
            return NotFound();
        }
        if (!setupCode.Matches(Input.SetupCode))
        {
            ModelState.AddModelError("Input.SetupCode", "The setup code is not right: copy it from the console where Confide was started (a restart prints a new one).");
        }
        if (!Jurisdictions.IsValid(Input.Jurisdiction))
        {
            ModelState.AddModelError("Input.Jurisdiction", "Choose the state (US- and its two-letter code, or US-DC).");
        }
        if (!string.IsNullOrEmpty(Input.TimeZone) && !PracticeZones.IsOffered(Input.TimeZone))
        {
            ModelState.AddModelError("Input.TimeZone", "Choose the practice's time zone from the list.");
        }
        if (!ModelState.IsValid)
        {
            return Page();
        }
        var now = time.GetUtcNow();
        var practice = new Practice
        {
            Name = Input.PracticeName.Trim(),
            Address = Input.Address.Trim(),
            Jurisdiction = Input.Jurisdiction,
            TimeZone = string.IsNullOrEmpty(Input.TimeZone) ? PracticeZones.DefaultFor(Input.Jurisdiction) : Input.TimeZone,
            CreatedAt = now,
        };
        var owner = new User
        {
            Id = Guid.CreateVersion7(),
            PracticeId = practice.Id,
            UserName = Input.Email.Trim(),
            Email = Input.Email.Trim(),
            DisplayName = Input.OwnerName.Trim(),
        };
        db.Scope.Use(practice.Id); // the new practice's rows (its first audit entries) are written as that practice
        var transaction = await db.Database.BeginTransactionAsync(ct);
        await using (transaction)
        {
            db.Practices.Add(practice);
            audit.Add(practice.Id, owner.Id, AuditEvent.PracticeCreated(practice.Id));
            audit.Add(practice.Id, owner.Id, AuditEvent.UserCreated(owner.Id, [Roles.Owner]));
            await db.SaveChangesAsync(ct);
            var created = await users.CreateAsync(owner, Input.Password);
            if (created.Succeeded)
            {
                created = await users.AddToRolesAsync(owner, [Roles.Owner, Roles.Clinician]);
            }
            if (!created.Succeeded)
            {
                foreach (var error in created.Errors)
                {
                    ModelState.AddModelError("Input.Password", error.Description);
                }
                db.ChangeTracker.Clear();
                return Page();
            }
            await transaction.CommitAsync(ct);
        }
        setupCode.Spend();
        await signIn.SignInAsync(owner, isPersistent: false);
        return Redirect("/Account/Authenticator");
    }

    public sealed class SetupInput
    {
        /// <summary>The one-time code printed to the console at start (<see cref="Hosting.SetupCode"/>).</summary>
        [Required, StringLength(64)]
        [Display(Name = "Setup code")]
        public string SetupCode { get; set; } = "";


        [Required, StringLength(200)]
        [Display(Name = "Practice name")]
        public string PracticeName { get; set; } = "";

        [Required, StringLength(500)]
        public string Address { get; set; } = "";

        [Required]
        [Display(Name = "State")]
        public string Jurisdiction { get; set; } = "";

        /// <summary>An IANA id from <see cref="PracticeZones.Offered"/>; empty means the state's usual zone.</summary>
        [Display(Name = "Time zone")]
        public string? TimeZone { get; set; }

        [Required, StringLength(200)]
        [Display(Name = "Your name")]
        public string OwnerName { get; set; } = "";

        [Required, EmailAddress, StringLength(256)]
        public string Email { get; set; } = "";

        [Required, StringLength(AccountRules.MaxPasswordLength, MinimumLength = AccountRules.MinPasswordLength)]
        [DataType(DataType.Password)]
        public string Password { get; set; } = "";
    }
}
