using Ensemble.Practice;
using Ensemble.Storage;
using Ensemble.Storage.Practice;
using Ensemble.Web.Access;
using Microsoft.EntityFrameworkCore;
using NodaTime;
using NodaTime.Text;

namespace Ensemble.Web.Api;

/// <summary>The firm's people, roles, firm-level team and availability.</summary>
internal static class PracticeApi
{
    public sealed record StaffLine(string Handle, string Name, string Email, bool Active, IReadOnlyList<string> Roles, IReadOnlyList<Absence> Absences);

    public sealed record NewStaff(string? Handle, string? Name, string? Email, IReadOnlyList<string>? Roles);

    public sealed record AbsenceRequest(string? From, string? To, string? Note);

    public sealed record RoleLine(string Key, string Name, string Description, RoleScope Scope, bool SeesWholeFirm, int Holders);

    public static void Map(RouteGroupBuilder api)
    {
        var staff = api.MapGroup("/staff").WithTags("Staff");
        staff.MapGet("/", ListStaff).Allow(AccessKind.AnyStaff).WithSummary("Everyone at the firm, with roles and absences.");
        staff.MapPost("/", AddStaff).Allow(AccessKind.ManagePractice).WithSummary("Add a staff member.");
        staff.MapPost("/{handle}/absences", MarkAway).Allow(AccessKind.ManagePractice).WithSummary("Record an absence; work due in it moves to backups.");
        staff.MapPost("/{handle}/roles/{role}", Grant).Allow(AccessKind.ManagePractice).WithSummary("Grant a role.");

        var roles = api.MapGroup("/roles").WithTags("Staff");
        roles.MapGet("/", ListRoles).Allow(AccessKind.AnyStaff).WithSummary("The firm's roles, how many hold each, and which see the whole firm.");

        var team = api.MapGroup("/firm/team").WithTags("Staff");
        team.MapGet("/", FirmTeam).Allow(AccessKind.AnyStaff).WithSummary("Firm-level role holders and their backups.");
        team.MapPost("/reassign", Reassign).Allow(AccessKind.ManagePractice).WithSummary("Move a role from one person to another for one household or all; open work moves.");
    }

    public sealed record ReassignRequest(string? Role, string? From, string? To, string? Household);

    private static async Task<IResult> ListStaff(EnsembleDb db, CancellationToken cancellationToken)
    {
        var people = await db.Staff.AsNoTracking().OrderBy(s => s.Name).ToListAsync(cancellationToken);
        return Results.Ok(people.Select(s => new StaffLine(s.Handle, s.Name, s.Email, s.Active, s.Roles, s.Absences)).ToList());
    }

    private static async Task<IResult> AddStaff(NewStaff? body, CurrentCaller callers, EnsembleDb db, IClock clock, CancellationToken cancellationToken)
    {
        var errors = new List<(string, string)>();
        if (string.IsNullOrWhiteSpace(body?.Handle) || body.Handle.Length > 40 || !body.Handle.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_'))
        {
            errors.Add(("handle", "A handle is 1 to 40 letters, digits, dots, dashes or underscores."));
        }

        if (string.IsNullOrWhiteSpace(body?.Name) || body.Name.Length > 200)
        {
            errors.Add(("name", "A name of 1 to 200 characters is needed."));
        }

        if (string.IsNullOrWhiteSpace(body?.Email) || !body.Email.Contains('@', StringComparison.Ordinal) || body.Email.Length > 200)
        {
            errors.Add(("email", "An email address is needed."));
        }

        if (errors.Count > 0)
        {
            return Problems.Invalid([.. errors]);
        }

        var caller = await callers.RequireAsync(cancellationToken);
        var added = await new StaffDirectory(db, clock).AddAsync(body!.Handle!, body.Name!, body.Email!, body.Roles ?? [], caller.Handle, cancellationToken);
        return Problems.Of(added, s => Results.Created($"/api/staff/{s.Handle}", new StaffLine(s.Handle, s.Name, s.Email, s.Active, s.Roles, s.Absences)));
    }

    private static async Task<IResult> MarkAway(string handle, AbsenceRequest? body, CurrentCaller callers, EnsembleDb db, IClock clock, CancellationToken cancellationToken)
    {
        var from = LocalDatePattern.Iso.Parse(body?.From ?? "");
        var to = LocalDatePattern.Iso.Parse(body?.To ?? "");
        var errors = new List<(string, string)>();
        if (!from.Success)
        {
            errors.Add(("from", "The first day away, as a date such as 2027-01-04."));
        }

        if (!to.Success)
        {
            errors.Add(("to", "The last day away, as a date such as 2027-01-08."));
        }

        if (errors.Count > 0)
        {
            return Problems.Invalid([.. errors]);
        }

        var caller = await callers.RequireAsync(cancellationToken);
        var moved = await new StaffDirectory(db, clock).MarkAwayAsync(handle, from.Value, to.Value, body?.Note, caller.Handle, cancellationToken);
        return Problems.Of(moved, tasks => Results.Ok(new { moved = tasks.Count }));
    }

    private static async Task<IResult> Grant(string handle, string role, CurrentCaller callers, EnsembleDb db, IClock clock, CancellationToken cancellationToken)
    {
        var caller = await callers.RequireAsync(cancellationToken);
        var granted = await new StaffDirectory(db, clock).GrantRoleAsync(handle, role, caller.Handle, cancellationToken);
        return Problems.Of(granted, s => Results.Ok(new { s.Handle, s.Roles }));
    }

    private static async Task<IResult> ListRoles(EnsembleDb db, CancellationToken cancellationToken)
    {
        var roles = await db.Roles.AsNoTracking().OrderBy(r => r.Key).ToListAsync(cancellationToken);
        var staff = await db.Staff.AsNoTracking().Where(s => s.Active).Select(s => s.Roles).ToListAsync(cancellationToken);
        return Results.Ok(roles.Select(r => new RoleLine(r.Key, r.Name, r.Description, r.Scope, r.SeesWholeFirm, staff.Count(s => s.Contains(r.Key)))).ToList());
    }

    private static async Task<IResult> FirmTeam(EnsembleDb db, IClock clock, CancellationToken cancellationToken) =>
        Results.Ok(await new Teams(db, clock).ShowAsync(null, cancellationToken));

    private static async Task<IResult> Reassign(ReassignRequest? body, CurrentCaller callers, EnsembleDb db, IClock clock, CancellationToken cancellationToken)
    {
        var errors = new List<(string, string)>();
        if (string.IsNullOrWhiteSpace(body?.Role))
        {
            errors.Add(("role", "Name the role to reassign."));
        }

        if (string.IsNullOrWhiteSpace(body?.From))
        {
            errors.Add(("from", "Name who holds the role now."));
        }

        if (string.IsNullOrWhiteSpace(body?.To))
        {
            errors.Add(("to", "Name who takes the role over."));
        }

        if (errors.Count > 0)
        {
            return Problems.Invalid([.. errors]);
        }

        var caller = await callers.RequireAsync(cancellationToken);
        var changed = await new Teams(db, clock).ReassignAsync(body!.Role!, body.From!, body.To!, string.IsNullOrWhiteSpace(body.Household) ? null : body.Household, caller.Handle, cancellationToken);
        return Problems.Of(changed, Results.Ok);
    }
}
