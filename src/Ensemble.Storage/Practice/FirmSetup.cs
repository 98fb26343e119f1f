using Ensemble.Common;
using Ensemble.Practice;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Ensemble.Storage.Practice;

/// <summary>Creates the firm in a fresh database and changes its calendar.</summary>
public sealed class FirmSetup(EnsembleDb db)
{
    public async Task<Result<Firm>> InitializeAsync(string name, string timeZoneId, string actor, CancellationToken cancellationToken = default)
    {
        var zone = DateTimeZoneProviders.Tzdb.GetZoneOrNull(timeZoneId);
        if (zone is null)
        {
            return Error.Invalid($"\"{timeZoneId}\" is not a time zone Ensemble knows; use an IANA id such as America/New_York.");
        }

        if (string.IsNullOrWhiteSpace(name))
        {
            return Error.Invalid("The firm needs a name.");
        }

        if (await db.Firms.AnyAsync(cancellationToken))
        {
            var existing = await db.Firms.FirstAsync(cancellationToken);
            return Error.Conflict($"This database already holds the firm \"{existing.Name}\".");
        }

        db.Actor = actor;
        db.Operation = "init-firm";
        var firm = new Firm(name, zone);
        db.Firms.Add(firm);
        foreach (var role in RoleKeys.Defaults)
        {
            db.Roles.Add(new Role(role.Key, role.Name, role.Description, role.Scope, builtIn: true));
        }

        await db.SaveChangesAsync(cancellationToken);
        return firm;
    }

    public async Task<Result<Firm>> AddHolidayAsync(LocalDate date, string actor, CancellationToken cancellationToken = default)
    {
        var firm = await db.Firms.FirstOrDefaultAsync(cancellationToken);
        if (firm is null)
        {
            return Error.NotFound("No firm is set up yet; run `ensemble init`.");
        }

        db.Actor = actor;
        db.Operation = "add-holiday";
        firm.AddHoliday(date);
        await db.SaveChangesAsync(cancellationToken);
        return firm;
    }

    public async Task<Result<Role>> AddRoleAsync(string key, string name, string description, RoleScope scope, string actor, CancellationToken cancellationToken = default)
    {
        var normalized = RoleKeys.Normalize(key);
        if (normalized.Length == 0 || !normalized.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'))
        {
            return Error.Invalid($"\"{key}\" is not a usable role key: use lowercase letters, digits and hyphens, e.g. tax-specialist.");
        }

        if (await db.Roles.AnyAsync(r => r.Key == normalized, cancellationToken))
        {
            return Error.Conflict($"The role {normalized} already exists.");
        }

        db.Actor = actor;
        db.Operation = "add-role";
        var role = new Role(normalized, string.IsNullOrWhiteSpace(name) ? normalized : name.Trim(), description, scope);
        db.Roles.Add(role);
        await db.SaveChangesAsync(cancellationToken);
        return role;
    }
}
