using NodaTime;

namespace Ensemble.Communications.Campaigns;

/// <summary>
/// A named audience the firm reuses ("A and B clients", "Business owners"). A campaign copies its criteria when it is
/// written, so changing the saved audience later never changes to whom an approved campaign goes.
/// </summary>
public sealed class SavedAudience
{
    public const int NameLength = 100;

    private SavedAudience()
    {
        Name = "";
        Filter = AudienceFilter.Empty;
        UpdatedBy = "";
    }

    public SavedAudience(string name, AudienceFilter filter, string by, Instant at)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(filter);
        Name = name.Trim();
        Filter = filter;
        UpdatedBy = by;
        UpdatedAt = at;
    }

    public long Id { get; private set; }

    public string Name { get; private set; }

    public AudienceFilter Filter { get; private set; }

    public string UpdatedBy { get; private set; }

    public Instant UpdatedAt { get; private set; }

    public void Change(AudienceFilter filter, string by, Instant at)
    {
        ArgumentNullException.ThrowIfNull(filter);
        Filter = filter;
        UpdatedBy = by;
        UpdatedAt = at;
    }
}
