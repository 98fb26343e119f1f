namespace Ensemble.Advisory.Alerts;

/// <summary>An alert's id, assigned by the database (0 until saved).</summary>
public readonly record struct AlertId(long Value)
{
    public override string ToString() => Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
