using System.Data.Common;
using Ensemble.Common;
using Ensemble.Practice;
using Ensemble.Storage;
using Ensemble.Storage.Library;
using Ensemble.Storage.Practice;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using NodaTime;

namespace Ensemble.Bench;

/// <summary>The firm every scenario runs against, and the staff ids of its people by role.</summary>
internal sealed record BenchFirm(IReadOnlyDictionary<string, StaffId[]> StaffByRole)
{
    public IEnumerable<StaffId> AllStaff => StaffByRole.Values.SelectMany(s => s).Distinct().OrderBy(s => s.Value);
}

/// <summary>
/// Builds the firm: 20 staff through the normal services, then households and their service teams
/// straight into the tables with set-based SQL (setup is not what is measured, and it is not audited).
/// </summary>
internal static class Seeder
{
    /// <summary>Team layout: role, how many people hold it, how many backups each household gets.</summary>
    private static readonly (string Role, int People, int Backups)[] Teams =
    [
        (RoleKeys.Paraplanner, 5, 2),
        (RoleKeys.ClientCareCoordinator, 5, 1),
        (RoleKeys.WealthPartner, 4, 1),
        (RoleKeys.ClientServiceAssociate, 4, 0),
    ];

    public static async Task<BenchFirm> SeedAsync(BenchDatabase database, IClock clock, int households, params (string Name, string Yaml)[] templates)
    {
        await using var db = database.Open(clock);
        var firm = await new FirmSetup(db).InitializeAsync("Bench Wealth Partners", "America/New_York", "bench");
        if (!firm.IsSuccess)
        {
            throw new InvalidOperationException(firm.Error!.Message);
        }

        db.Actor = "bench";
        db.Operation = "bench-setup";
        var byRole = new Dictionary<string, List<Staff>>(StringComparer.Ordinal);
        foreach (var (role, people, _) in Teams)
        {
            byRole[role] = Enumerable.Range(1, people)
                .Select(n => new Staff($"{role}-{n}", $"{role} {n}", $"{role}-{n}@bench.example", [role]))
                .ToList();
        }

        byRole[RoleKeys.Principal] = [new Staff("principal", "The Principal", "principal@bench.example", [RoleKeys.Principal])];
        byRole[RoleKeys.Compliance] = [new Staff("compliance", "Compliance Officer", "compliance@bench.example", [RoleKeys.Compliance])];
        db.Staff.AddRange(byRole.Values.SelectMany(s => s));
        await db.SaveChangesAsync();
        db.TeamAssignments.Add(new TeamAssignment(null, RoleKeys.Principal, byRole[RoleKeys.Principal][0].Id, []));
        db.TeamAssignments.Add(new TeamAssignment(null, RoleKeys.Compliance, byRole[RoleKeys.Compliance][0].Id, [byRole[RoleKeys.Principal][0].Id]));
        await db.SaveChangesAsync();
        var staff = byRole.ToDictionary(kv => kv.Key, kv => kv.Value.Select(s => s.Id).ToArray(), StringComparer.Ordinal);

        await AddHouseholdsAsync(db, households, staff);
        if (templates.Length > 0)
        {
            var imported = await new TemplateLibrary(db, clock).ImportTextsAsync(templates, "bench");
            if (!imported.IsSuccess)
            {
                throw new InvalidOperationException(imported.Error!.Message);
            }
        }

        return new BenchFirm(staff);
    }

    /// <summary>Households HH-1…HH-n, each with a team: holder and backups rotate through the people of each role.</summary>
    private static async Task AddHouseholdsAsync(EnsembleDb db, int count, Dictionary<string, StaffId[]> staff)
    {
        var postgres = db.Provider == StorageProvider.PostgreSql;
        db.Database.SetCommandTimeout(TimeSpan.FromMinutes(10));
        await db.Database.OpenConnectionAsync();
        await using var transaction = await db.Database.BeginTransactionAsync();
        var connection = db.Database.GetDbConnection();
        var tx = transaction.GetDbTransaction();

        await ExecuteAsync(connection, tx, postgres
            ? """
              INSERT INTO households (key, name, stage, preferred_channels, do_not_contact, tags, trusted_advisors)
              SELECT 'HH-' || i, 'Household ' || i, 'Client', 'email', false, '', '[]' FROM generate_series(1, @n) AS i
              """
            : """
              WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < @n)
              INSERT INTO households (id, key, name, stage, preferred_channels, do_not_contact, tags, trusted_advisors)
              SELECT i, 'HH-' || i, 'Household ' || i, 'Client', 'email', 0, '', '[]' FROM n
              """,
            ("@n", (object)count));

        foreach (var (role, _, backups) in Teams)
        {
            var people = staff[role].Select(s => s.Value).ToArray();

            // Staff of one role were added together, so their ids are consecutive: holder = first + (household % n).
            if (people.Where((id, i) => id != people[0] + i).Any())
            {
                throw new InvalidOperationException("Staff ids of one role are expected to be consecutive.");
            }

            var backupSql = backups == 0
                ? "''"
                : string.Join(" || ',' || ", Enumerable.Range(1, backups).Select(b => $"CAST(@first + ((id + {b}) % @people) AS TEXT)"));
            await ExecuteAsync(connection, tx,
                $"INSERT INTO team_assignments (household_id, role_key, staff_id, backups) SELECT id, @role, @first + (id % @people), {backupSql} FROM households",
                ("@role", (object)role), ("@first", people[0]), ("@people", (long)people.Length));
        }

        await transaction.CommitAsync();
    }

    public static async Task ExecuteAsync(DbConnection connection, DbTransaction? tx, string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        command.CommandTimeout = 600;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }

        await command.ExecuteNonQueryAsync();
    }
}
