using Ensemble.Common;
using Ensemble.Communications.Campaigns;
using Ensemble.Households;
using Ensemble.Practice;
using Ensemble.ServiceModel;
using Ensemble.Storage.Communications.Campaigns;
using Ensemble.Storage.Tests.Testing;
using Microsoft.EntityFrameworkCore;

namespace Ensemble.Storage.Tests.Communications.Campaigns;

/// <summary>
/// A firm for campaign tests: <see cref="FirmBuilder"/>'s households, each with a primary member (first name, email)
/// and a tier — odd households A, even ones B, every fifth C — plus two compliance reviewers, quinn and rhea. Dan is
/// every household's wealth partner, so {{ advisor.name }} is "Dan".
/// </summary>
internal sealed class CampaignFirm : IAsyncDisposable
{
    private CampaignFirm(FirmBuilder firm)
    {
        Firm = firm;
    }

    public FirmBuilder Firm { get; }

    public EnsembleDb Db => Firm.Db;

    public NodaTime.Testing.FakeClock Clock => Firm.Clock;

    public IReadOnlyList<HouseholdId> Households => Firm.Households;

    public static async Task<CampaignFirm> CreateAsync(StorageProvider provider, int households)
    {
        var firm = await FirmBuilder.CreateAsync(provider, households);
        var db = firm.Db;
        db.Actor = "admin";
        db.Operation = "test-setup";
        db.Staff.AddRange(
            new Staff("quinn", "Quinn Reviewer", "quinn@test.example", [RoleKeys.Compliance]),
            new Staff("rhea", "Rhea Reviewer", "rhea@test.example", [RoleKeys.Compliance, RoleKeys.Paraplanner]));
        var all = await db.Households.ToListAsync();
        var today = firm.Clock.GetCurrentInstant().InUtc().Date;
        foreach (var (household, n) in all.OrderBy(h => h.Key, StringComparer.Ordinal).Select((h, i) => (h, i + 1)))
        {
            household.UpsertMember("P1", $"First{n}", $"Last{n}", null, Relationship.Primary, $"person{n}@mail.example");
            household.SetCommunication(["email", "phone"], doNotContact: false);
            db.HouseholdTiers.Add(new HouseholdTier(household.Id, n % 5 == 0 ? ServiceTier.C : n % 2 == 1 ? ServiceTier.A : ServiceTier.B, [], today));
        }

        await db.SaveChangesAsync();
        db.ChangeTracker.Clear();
        return new CampaignFirm(firm);
    }

    /// <summary>Changes one household (1-based, in key order) before a test.</summary>
    public async Task ChangeAsync(int n, Action<Household> change)
    {
        Db.ChangeTracker.Clear();
        Db.Actor = "admin";
        Db.Operation = "test-setup";
        var household = await Db.Households.Include(h => h.Members).SingleAsync(h => h.Id == Households[n - 1]);
        change(household);
        await Db.SaveChangesAsync();
        Db.ChangeTracker.Clear();
    }

    public static CampaignInput Letter(string name = "Form ADV 2027", string? body = null, params string[] tiers) => new(
        name, "form-adv", "Your Form ADV brochure, {{ person.first_name }}",
        body ?? "Dear {{ person.first_name }},\n\nOur Form ADV brochure is enclosed. Please read it by {{ deadline }}.\n\n{{ advisor.name }}\n{{ firm.name }}",
        Tiers: tiers.Length == 0 ? ["A", "B"] : tiers, Deadline: "2027-04-30");

    /// <summary>A campaign written by <paramref name="author"/>, submitted, and approved by quinn.</summary>
    public async Task<CampaignId> ApprovedAsync(CampaignInput? input = null, string author = "alice")
    {
        var book = new CampaignBook(Db, Clock);
        var created = await book.CreateAsync(input ?? Letter(), author);
        Assert.True(created.IsSuccess, created.Error?.Message);
        var id = created.Value.Id;
        Assert.True((await book.SubmitAsync(id, author)).IsSuccess);
        var approved = await book.ReviewAsync(id, approve: true, "Checked against the 2027 brochure.", "quinn");
        Assert.True(approved.IsSuccess, approved.Error?.Message);
        return id;
    }

    public Task<int> MessagesAsync(CampaignId id) => Db.Outbox.AsNoTracking().CountAsync(m => m.CampaignId == id.Value);

    public ValueTask DisposeAsync() => Firm.DisposeAsync();
}
