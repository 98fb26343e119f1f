using Ensemble.Common;
using NodaTime;

namespace Ensemble.Practice;

/// <summary>A person at the firm. Holds roles; is away for periods of time.</summary>
public sealed class Staff
{
    private Staff()
    {
        Handle = "";
        Name = "";
        Email = "";
    }

    public Staff(string handle, string name, string email, IEnumerable<string> roles)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(handle);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Handle = handle.Trim().ToLowerInvariant();
        Name = name.Trim();
        Email = email.Trim();
        Roles = roles.Select(RoleKeys.Normalize).Distinct().ToList();
        Active = true;
    }

    public StaffId Id { get; private set; }

    /// <summary>Short unique sign-in name, e.g. <c>maria</c>.</summary>
    public string Handle { get; private set; }

    public string Name { get; private set; }

    public string Email { get; private set; }

    /// <summary>False once the person has left the firm; departed staff never receive work.</summary>
    public bool Active { get; private set; }

    public List<string> Roles { get; private set; } = [];

    public List<Absence> Absences { get; private set; } = [];

    public bool Holds(string roleKey) => Roles.Contains(RoleKeys.Normalize(roleKey));

    public bool IsAwayOn(LocalDate date) => !Active || Absences.Any(a => a.Covers(date));

    public void GrantRole(string roleKey)
    {
        var key = RoleKeys.Normalize(roleKey);
        if (!Roles.Contains(key))
        {
            Roles = [.. Roles, key];
        }
    }

    public void RevokeRole(string roleKey) => Roles = Roles.Where(r => r != RoleKeys.Normalize(roleKey)).ToList();

    public Result<Absence> AddAbsence(LocalDate from, LocalDate to, string? note)
    {
        if (to < from)
        {
            return Error.Invalid($"The absence ends ({to:uuuu-MM-dd}) before it starts ({from:uuuu-MM-dd}).");
        }

        var absence = new Absence(from, to, note?.Trim());
        Absences = [.. Absences, absence];
        return absence;
    }

    public void Deactivate() => Active = false;
}

/// <summary>Out of office from one date to another, both inclusive, in the firm's calendar.</summary>
public sealed record Absence(LocalDate From, LocalDate To, string? Note)
{
    public bool Covers(LocalDate date) => date >= From && date <= To;
}
