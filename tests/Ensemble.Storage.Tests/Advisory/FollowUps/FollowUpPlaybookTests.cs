using Ensemble.Advisory.FollowUp;
using Ensemble.Practice;
using Ensemble.Storage.Advisory.FollowUps;
using Ensemble.Storage.Practice;
using Ensemble.Storage.Tests.Testing;
using Microsoft.EntityFrameworkCore;

namespace Ensemble.Storage.Tests.Advisory.FollowUps;

/// <summary>The quadrant playbooks as the firm edits them: stored in words, checked against the firm's roles, and used by the next run.</summary>
public sealed class FollowUpPlaybookTests
{
    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task AChangedPlaybook_IsUsedForTheNextDecision(StorageProvider provider)
    {
        // Urgent service by default asks the client to help themselves (a message, or the associate's call); the firm
        // changes it to the advisor phoning to book a meeting, and the next alert in that quadrant is followed up so.
        await using var firm = await AdvisoryBook.CreateAsync(provider, 2);
        await firm.ContactAsync(1, false, "phone", "email");
        await firm.ContactAsync(2, false, "phone", "email");
        await firm.HoldingsAsync(1, cashShare: 40, will: true);
        await firm.RunBothAsync();
        var before = await firm.FollowUpOfAsync(1, "test.cash");

        await using (var db = firm.OpenAnother())
        {
            var current = await FollowUpSettingsStore.GetAsync(db);
            var (wanted, problems) = await FollowUpSettingsStore.WithPlaybooksAsync(db, current, new Dictionary<string, PlaybookWords?>
            {
                ["urgent-service"] = new(["phone-call", "email"], "advisor-meeting", RoleKeys.WealthPartner),
            });
            Assert.Empty(problems);
            var saved = await FollowUpSettingsStore.SaveAsync(db, wanted, "maria");
            Assert.True(saved.IsSuccess, saved.Error?.Message);
        }

        await firm.HoldingsAsync(2, cashShare: 40, will: true);
        await firm.RunBothAsync();

        var after = await firm.FollowUpOfAsync(2, "test.cash");
        Assert.Equal((Quadrant.UrgentService, FollowUpAction.SelfService), (before.Quadrant, before.Action));
        Assert.Equal((Quadrant.UrgentService, FollowUpChannel.PhoneCall, FollowUpAction.AdvisorMeeting, FollowUpStatus.TaskStarted),
            (after.Quadrant, after.Channel, after.Action, after.Status));
        Assert.Equal((FollowUpRoute.AdviceMeetingTemplate, RoleKeys.WealthPartner, firm.Staff["dan"]), await firm.FirstTaskAsync(after));
        Assert.Contains("books an advice meeting", after.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task ThePlaybooksCaller_GetsTheCall_AndForAnAdviceMeetingOnlyTheBookingCall(StorageProvider provider)
    {
        await using var firm = await AdvisoryBook.CreateAsync(provider, 2);
        await using (var db = firm.OpenAnother())
        {
            var current = await FollowUpSettingsStore.GetAsync(db);
            var (wanted, problems) = await FollowUpSettingsStore.WithPlaybooksAsync(db, current, new Dictionary<string, PlaybookWords?>
            {
                ["urgent-service"] = new(["phone-call"], "self-service", RoleKeys.Paraplanner),
                ["urgent-advice"] = new(["phone-call"], "advisor-meeting", RoleKeys.ClientServiceAssociate),
            });
            Assert.Empty(problems);
            Assert.True((await FollowUpSettingsStore.SaveAsync(db, wanted, "maria")).IsSuccess);
        }

        await firm.HoldingsAsync(1, cashShare: 40, will: true);
        await firm.HoldingsAsync(2, cashShare: 5, will: false);
        await firm.RunBothAsync();

        var call = await firm.FollowUpOfAsync(1, "test.cash");
        Assert.Equal((FollowUpRoute.CallTemplate, RoleKeys.Paraplanner, firm.Staff["alice"]), await firm.FirstTaskAsync(call));
        Assert.Equal(RoleKeys.Paraplanner, call.OwnerRole);
        var booking = await firm.FollowUpOfAsync(2, "test.will");
        Assert.Equal((FollowUpRoute.AdviceMeetingTemplate, RoleKeys.ClientServiceAssociate, firm.Staff["carol"]), await firm.FirstTaskAsync(booking));

        await using var check = firm.OpenAnother();
        var callRun = await check.Instances.AsNoTracking().SingleAsync(i => i.Id == call.InstanceId);
        var meetingRun = await check.Instances.AsNoTracking().SingleAsync(i => i.Id == booking.InstanceId);
        Assert.Equal(("client-service-associate=paraplanner", RoleKeys.Paraplanner), (callRun.StandIns, callRun.ActingRole("record-outcome", RoleKeys.ClientServiceAssociate)));
        Assert.Equal("contact-client=client-service-associate", meetingRun.StandIns);
        Assert.Equal(RoleKeys.WealthPartner, meetingRun.ActingRole("hold-meeting", RoleKeys.WealthPartner));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task BadPlaybooks_AreRefusedNamingTheFieldAndTheChoices_AndNothingIsSaved(StorageProvider provider)
    {
        await using var firm = await FirmBuilder.CreateAsync(provider, 0);
        await using var db = firm.OpenAnother();
        var audited = await db.AuditEvents.CountAsync();
        var current = await FollowUpSettingsStore.GetAsync(db);

        var (wanted, problems) = await FollowUpSettingsStore.WithPlaybooksAsync(db, current, new Dictionary<string, PlaybookWords?>
        {
            ["urgent"] = new(["email"]),
            ["urgent-service"] = new(["email", "fax"], "call-me", "adviser"),
            ["planned-advice"] = new(["letter", "email", "letter"]),
            ["self-service"] = new([]),
        });

        var fields = problems.Select(p => p.Field).ToList();
        Assert.Contains(problems, p => p.Field == "playbooks.urgent" && p.Message.Contains("urgent-advice, urgent-service, planned-advice or self-service", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Field == "playbooks.urgent-service.channels" && p.Message.Contains("'fax'", StringComparison.Ordinal)
            && p.Message.Contains(FollowUpWords.PlaybookChannelChoices, StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Field == "playbooks.urgent-service.action" && p.Message.Contains(FollowUpWords.ActionChoices, StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Field == "playbooks.urgent-service.callerRole" && p.Message.Contains("'adviser' is not a role of the firm", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Field == "playbooks.planned-advice.channels" && p.Message.Contains("'letter' is listed more than once", StringComparison.Ordinal));
        Assert.Contains("playbooks.self-service.channels", fields);

        var refused = await FollowUpSettingsStore.SaveAsync(db, wanted, "maria");
        Assert.False(refused.IsSuccess);
        Assert.Contains("playbooks.urgent-service.callerRole: ", refused.Error!.Message, StringComparison.Ordinal);
        Assert.Contains("playbooks.planned-advice.channels: ", refused.Error.Message, StringComparison.Ordinal);
        Assert.Equal(PlaybookWords.Describe(Playbook.Defaults), PlaybookWords.Describe((await FollowUpSettingsStore.GetAsync(db)).Playbooks), new WordsComparer());
        Assert.Equal(audited, await db.AuditEvents.CountAsync());
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task TheCallerRole_IsCheckedAgainstTheFirmsRolesAtSaveTime_AndTheSaveIsAudited(StorageProvider provider)
    {
        await using var firm = await FirmBuilder.CreateAsync(provider, 0);
        await using var db = firm.OpenAnother();
        var current = await FollowUpSettingsStore.GetAsync(db);
        var changes = new Dictionary<string, PlaybookWords?> { ["Urgent service"] = new(CallerRole: "Tax Specialist") };

        var (_, before) = await FollowUpSettingsStore.WithPlaybooksAsync(db, current, changes);
        Assert.Equal(new[] { "playbooks.urgent-service.callerRole" }, before.Select(p => p.Field).ToArray());

        Assert.True((await new FirmSetup(db).AddRoleAsync("tax-specialist", "Tax specialist", "Tax work.", RoleScope.Household, "maria")).IsSuccess);
        var (wanted, after) = await FollowUpSettingsStore.WithPlaybooksAsync(db, current, changes);
        Assert.Empty(after);
        Assert.True((await FollowUpSettingsStore.SaveAsync(db, wanted, "maria")).IsSuccess);

        var stored = await FollowUpSettingsStore.GetAsync(db);
        var playbook = stored.Playbooks.Single(p => p.Quadrant == Quadrant.UrgentService);
        Assert.Equal("tax-specialist", playbook.CallerRole);
        Assert.Equal(Playbook.Defaults[1].Channels, playbook.Channels.ToArray());
        var audit = await db.AuditEvents.AsNoTracking().Where(e => e.Operation == "set-follow-up-settings").OrderBy(e => e.Sequence).LastAsync();
        Assert.Equal("maria", audit.Actor);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task PlaybooksAreStoredInWords_AndADocumentWithoutThemReadsAsTheDefaults(StorageProvider provider)
    {
        await using var firm = await FirmBuilder.CreateAsync(provider, 0);
        await using (var db = firm.OpenAnother())
        {
            db.Actor = "maria";
            db.FollowUpSettingsRows().Add(new FollowUpSettingsRow { Document = """{"tasksPerPersonPerDay":3,"responseDays":14,"reopenDays":90}""", Version = 1 });
            await db.SaveChangesAsync();
        }

        await using (var db = firm.OpenAnother())
        {
            var old = await FollowUpSettingsStore.GetAsync(db);
            Assert.Equal(3, old.TasksPerPersonPerDay);
            Assert.Same(Playbook.Defaults, old.Playbooks);

            var (wanted, problems) = await FollowUpSettingsStore.WithPlaybooksAsync(db, old, new Dictionary<string, PlaybookWords?>
            {
                ["self-service"] = new(["Newsletter", "portal nudge"], "advisor-meeting"),
            });
            Assert.Empty(problems);
            Assert.True((await FollowUpSettingsStore.SaveAsync(db, wanted, "maria")).IsSuccess);
            var document = await db.FollowUpSettingsRows().AsNoTracking().Select(r => r.Document).SingleAsync();
            Assert.Contains("\"self-service\":{\"channels\":[\"newsletter\",\"portal-nudge\"],\"action\":\"advisor-meeting\",\"callerRole\":\"client-service-associate\"}", document, StringComparison.Ordinal);
            Assert.Contains("\"urgent-service\":{\"channels\":[\"email\",\"sms\",\"letter\",\"phone-call\"]", document, StringComparison.Ordinal);
        }

        await using (var db = firm.OpenAnother())
        {
            var read = await FollowUpSettingsStore.GetAsync(db);
            Assert.Equal(3, read.TasksPerPersonPerDay);
            var selfService = read.Playbooks.Single(p => p.Quadrant == Quadrant.SelfService);
            Assert.Equal(new[] { FollowUpChannel.Newsletter, FollowUpChannel.PortalNudge }, selfService.Channels.ToArray());
            Assert.Equal(FollowUpAction.AdvisorMeeting, selfService.Action);
            Assert.Empty(read.Check(RoleKeys.Defaults.Select(r => r.Key)));
        }
    }

    private sealed class WordsComparer : IEqualityComparer<IReadOnlyDictionary<string, PlaybookWords>>
    {
        public bool Equals(IReadOnlyDictionary<string, PlaybookWords>? x, IReadOnlyDictionary<string, PlaybookWords>? y) =>
            x is not null && y is not null && x.Count == y.Count && x.All(kv => y.TryGetValue(kv.Key, out var other)
                && kv.Value.Channels!.SequenceEqual(other.Channels!) && kv.Value.Action == other.Action && kv.Value.CallerRole == other.CallerRole);

        public int GetHashCode(IReadOnlyDictionary<string, PlaybookWords> obj) => obj.Count;
    }
}
