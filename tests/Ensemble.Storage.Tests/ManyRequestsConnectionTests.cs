using Ensemble.Storage.Advisory;
using Ensemble.Storage.Audit;
using Ensemble.Storage.Tests.Advisory;
using Ensemble.Storage.Tests.Testing;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Ensemble.Storage.Tests;

/// <summary>
/// The web app's PostgreSQL connections multiplex, and Npgsql then refuses a synchronous query or an explicit
/// preparation. These run the writers that prepare their statements, and the audit check, over such connections.
/// </summary>
public sealed class ManyRequestsConnectionTests
{
    [Fact]
    public async Task AnAdvisoryRun_RaisesItsAlerts_ASecondWritesNothing_AChangedHouseholdIsEvaluatedAgain_AndTheAuditTrailVerifies()
    {
        await using var firm = await AdvisoryBook.CreateAsync(await TestDatabases.CreateForManyRequestsAsync(), 3);
        await firm.HoldingsAsync(1, cashShare: 40, will: false);
        await firm.HoldingsAsync(2, cashShare: 15, will: true);
        await firm.HoldingsAsync(3, cashShare: 5, will: true);

        var first = await firm.RunAsync();
        var before = await firm.FootprintAsync();
        firm.Clock.Advance(Duration.FromDays(1));
        var again = await firm.RunAsync();

        Assert.Equal((3, 3), (first.Households, first.Raised));
        Assert.Equal((3, 0, 0, 0), (again.Households, again.Raised, again.VariantChanged, again.Resolved));
        Assert.Equal(before, await firm.FootprintAsync());

        // One household's facts change (as after an import): it alone is read and evaluated again.
        await firm.HoldingsAsync(1, cashShare: 5, will: true);
        await using (var db = firm.OpenAnother())
        {
            var evaluated = await new AdvisoryRun(db, firm.Clock).EvaluateHouseholdsAsync([firm.Households[0]]);
            Assert.Equal((1, 0, 2), (evaluated.Households, evaluated.Raised, evaluated.Resolved));
        }

        Assert.True((await new AuditTrail(firm.Db).VerifyAsync()).IsIntact);
    }

}
