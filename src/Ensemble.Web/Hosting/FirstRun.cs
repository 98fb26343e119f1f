using Ensemble.Storage;
using Ensemble.Storage.Access;
using Ensemble.Storage.Demo;
using Ensemble.Storage.Library;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Ensemble.Web.Hosting;

/// <summary>
/// Brings the database up to date before the app serves anything; on an empty database builds the demo
/// firm, and gives every active staff member without a sign-in an account, printing the new sign-ins once.
/// </summary>
internal static class FirstRun
{
    public const string DemoPasswordVariable = "ENSEMBLE_DEMO_PASSWORD";

    /// <param name="migrating">The schema being brought up to date (started as early as the settings were known).</param>
    public static async Task PrepareAsync(WebApplication app, Task migrating, CancellationToken cancellationToken)
    {
        var settings = app.Services.GetRequiredService<EnsembleSettings>();
        var log = app.Logger;
        await migrating;

        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<EnsembleDb>();
        if (!await EnsembleDatabase.HasFirmAsync(db, cancellationToken))
        {
            if (!app.Configuration.GetValue("demo", true))
            {
                throw new InvalidOperationException($"{settings.Database} holds no firm. Run `ensemble init` first, or start without demo=false to get the demo firm.");
            }

            var households = app.Configuration.GetValue("demo-households", 300);
            var built = await new DemoFirm(db, settings.Clock).BuildAsync(households, seed: 42, BuiltInLibrary.Texts(), cancellationToken);
            if (!built.IsSuccess)
            {
                throw new InvalidOperationException(built.Error!.Message);
            }

            log.LogInformation("Built the demo firm {Firm} in {Database}: {Households} households, {OpenTasks} open tasks.", built.Value.FirmName, settings.Database, built.Value.Households, built.Value.OpenTasks);
        }

        await GiveSignInsAsync(scope.ServiceProvider, db, cancellationToken);
    }

    private static async Task GiveSignInsAsync(IServiceProvider services, EnsembleDb db, CancellationToken cancellationToken)
    {
        var users = services.GetRequiredService<UserManager<UserAccount>>();
        var withAccount = await db.UserAccounts.AsNoTracking().Select(u => u.StaffId).ToListAsync(cancellationToken);
        var staff = await db.Staff.AsNoTracking().Where(s => s.Active).OrderBy(s => s.Handle).ToListAsync(cancellationToken);
        var fresh = staff.Where(s => !withAccount.Contains(s.Id)).ToList();
        if (fresh.Count == 0)
        {
            return;
        }

        var shared = Environment.GetEnvironmentVariable(DemoPasswordVariable);
        var lines = new List<string>();
        db.Actor = "ensemble";
        foreach (var person in fresh)
        {
            var password = string.IsNullOrEmpty(shared) ? SignInPassword.New() : shared;
            var account = new UserAccount { StaffId = person.Id, UserName = person.Handle, NormalizedUserName = "", SecurityStamp = "" };
            var created = await users.CreateAsync(account, password);
            if (!created.Succeeded)
            {
                throw new InvalidOperationException($"Could not create a sign-in for {person.Handle}: {string.Join(" ", created.Errors.Select(e => e.Description))}");
            }

            lines.Add($"  {person.Handle,-10} {password,-22} {person.Name} ({string.Join(", ", person.Roles)})");
        }

        // Printed once, when created: only the hashes are kept.
        Console.WriteLine();
        Console.WriteLine("Sign-ins created (shown only now; keep them):");
        foreach (var line in lines)
        {
            Console.WriteLine(line);
        }

        Console.WriteLine();
    }

}
