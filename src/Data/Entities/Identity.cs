using Confide.Core.Requests;
using Microsoft.AspNetCore.Identity;

namespace Confide.Data.Entities;

/// <summary>A person who signs in: the practice owner, a clinician or a staff member (records custodian).</summary>
public sealed class User : IdentityUser<Guid>
{
    /// <summary>The practice the account belongs to.</summary>
    public Guid PracticeId { get; set; }

    /// <summary>The name shown to colleagues (a staff member's name, never a client's).</summary>
    public string DisplayName { get; set; } = "";

    /// <summary>A clinician's profession, the default for the requests they answer (selects the ethics code and privilege statute).</summary>
    public Profession? Profession { get; set; }

    /// <summary>A clinician's license (e.g. <c>PSY 12345</c>), printed on the documents they sign.</summary>
    public string? LicenseNumber { get; set; }
}

/// <summary>An Identity role; the names are in <see cref="Roles"/>.</summary>
public sealed class Role : IdentityRole<Guid>
{
}

/// <summary>The roles of the practice app.</summary>
public static class Roles
{
    public const string Owner = "Owner";
    public const string Clinician = "Clinician";
    public const string Staff = "Staff";

    public static IReadOnlyList<string> All { get; } = [Owner, Clinician, Staff];
}
