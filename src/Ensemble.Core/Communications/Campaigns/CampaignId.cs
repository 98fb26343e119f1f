using System.Globalization;

namespace Ensemble.Communications.Campaigns;

/// <summary>A campaign's number; the outbox keeps it as <see cref="OutboxMessage.CampaignId"/>.</summary>
public readonly record struct CampaignId(long Value)
{
    public override string ToString() => Value.ToString(CultureInfo.InvariantCulture);
}
