using System.Diagnostics;
using Ensemble.Communications.Campaigns;
using Ensemble.Storage;
using Ensemble.Storage.Communications.Campaigns;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using NodaTime;

namespace Ensemble.Bench.Scenarios;

/// <summary>
/// A campaign to the whole book: 100,000 households (full scale), each with a primary member and an email address, a
/// tier and a wealth partner; one in fifty prefers letters (with an address), one in a hundred is do-not-contact. A
/// Form ADV letter to every A, B and C household is written, submitted and approved, then
/// <see cref="CampaignSender.SendAsync"/> is timed: read the audience, plan and render every message (subject, text and
/// HTML), queue them in the outbox with their audit events, all in one transaction. A second send must queue nothing.
/// </summary>
internal static class CampaignQueueScenario
{
    public const string Name = "Campaign queue";

    public static async Task<List<Figure>> RunAsync(BenchOptions options, StorageProvider provider)
    {
        var households = options.Scale.Name == "full" ? 100_000 : 10_000;
        var clock = SystemClock.Instance;
        await using var database = await BenchDatabase.CreateAsync(options, provider, "campaign-queue");
        Console.WriteLine($"  {await database.DurabilityAsync()}");
        await Seeder.SeedAsync(database, clock, households);
        await AddRecipientsAsync(database);
        await database.AnalyzeAsync();

        CampaignId id;
        await using (var db = database.Open(clock))
        {
            var book = new CampaignBook(db, clock);
            var created = await book.CreateAsync(new CampaignInput(
                "Form ADV 2027", "form-adv", "Your Form ADV brochure, {{ person.first_name }}",
                "Dear {{ person.first_name }},\n\nAs every year, our Form ADV Part 2A brochure is enclosed for {{ household.name }} ({{ household.key }}, tier {{ household.tier }}).\n" +
                "Please read it by {{ deadline }}; {% if advisor.name %}{{ advisor.name }}{% else %}your team{% endif %} is glad to answer any question.\n\nWith best regards,\n{{ firm.name }}",
                Tiers: ["A", "B", "C"], Deadline: "2027-04-30"), "principal");
            id = created.Value.Id;
            Check((await book.SubmitAsync(id, "principal")).Error);
            Check((await book.ReviewAsync(id, approve: true, "Bench approval.", "compliance")).Error);
        }

        await using var sendDb = database.Open(clock);
        sendDb.Database.SetCommandTimeout(TimeSpan.FromMinutes(10));
        var sender = new CampaignSender(sendDb, clock);
        var watch = Stopwatch.StartNew();
        var sent = await sender.SendAsync(id, "principal");
        watch.Stop();
        Check(sent.Error);
        var report = sent.Value;
        var seconds = watch.Elapsed.TotalSeconds;
        Console.WriteLine($"  {Format.Count(report.Audience)} households in the audience: {Format.Count(report.Queued)} messages rendered and queued in {Format.Seconds(seconds)} " +
            $"({Format.Count(report.Queued / seconds)}/s); {Format.Count(report.ByEmail)} email, {Format.Count(report.ByLetter)} letter, {Format.Count(report.ByPortal)} portal; " +
            $"left out {Format.Count(report.DoNotContact)} do not contact, {Format.Count(report.InvalidAddress)} invalid, {Format.Count(report.MissingFields)} missing fields");

        var again = Stopwatch.StartNew();
        var second = await sender.SendAsync(id, "principal");
        again.Stop();
        Check(second.Error);
        Console.WriteLine($"  sent again: {Format.Count(second.Value.Queued)} queued, {Format.Count(second.Value.AlreadyQueued)} already queued, in {Format.Seconds(again.Elapsed.TotalSeconds)}");
        if (second.Value.Queued != 0)
        {
            throw new InvalidOperationException("A second send queued messages again.");
        }

        await using (var db = database.Open(clock))
        {
            var rows = await db.Outbox.AsNoTracking().CountAsync(m => m.CampaignId == id.Value);
            var audit = await db.AuditEvents.AsNoTracking().CountAsync(e => e.Operation == "send-campaign");
            Console.WriteLine($"  outbox rows for the campaign: {Format.Count(rows)}; audit events of the send: {Format.Count(audit)}");
        }

        var full = households == 100_000;
        return
        [
            new Figure($"{Name}: render and queue {Format.Count(report.Queued)} messages", provider,
                $"{Format.Seconds(seconds)} ({Format.Count(report.Queued / seconds)}/s)", "≤ 30 s for 100,000 households", full ? seconds <= 30 : null, "—"),
        ];
    }

    private static void Check(Ensemble.Common.Error? error)
    {
        if (error is not null)
        {
            throw new InvalidOperationException(error.Message);
        }
    }

    /// <summary>Primary members with email, tiers, letter preferences and do-not-contact, set-based (setup is not timed or audited).</summary>
    private static async Task AddRecipientsAsync(BenchDatabase database)
    {
        await using var db = database.Open(SystemClock.Instance);
        db.Database.SetCommandTimeout(TimeSpan.FromMinutes(10));
        await db.Database.OpenConnectionAsync();
        await using var transaction = await db.Database.BeginTransactionAsync();
        var connection = db.Database.GetDbConnection();
        var tx = transaction.GetDbTransaction();
        var postgres = database.Provider == StorageProvider.PostgreSql;
        await Seeder.ExecuteAsync(connection, tx,
            "INSERT INTO members (household_id, external_id, first_name, last_name, relationship, email) " +
            "SELECT id, 'P1', 'First' || id, 'Last' || id, 'Primary', 'person' || id || '@mail.example' FROM households");
        await Seeder.ExecuteAsync(connection, tx,
            "INSERT INTO household_tiers (household_id, computed, missing, decided_on) " +
            $"SELECT id, CASE id % 3 WHEN 0 THEN 'A' WHEN 1 THEN 'B' ELSE 'C' END, '', {(postgres ? "DATE '2026-11-01'" : "'2026-11-01'")} FROM households");
        await Seeder.ExecuteAsync(connection, tx,
            $"UPDATE households SET preferred_channels = 'letter', mailing_address = id || ' Harbor Road' || {(postgres ? "chr(10)" : "char(10)")} || 'Portland, ME 04101' WHERE id % 50 = 0");
        await Seeder.ExecuteAsync(connection, tx, $"UPDATE households SET do_not_contact = {(postgres ? "true" : "1")} WHERE id % 100 = 1");
        await transaction.CommitAsync();
    }
}
