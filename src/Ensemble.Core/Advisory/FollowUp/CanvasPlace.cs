namespace Ensemble.Advisory.FollowUp;

/// <summary>Where an alert type sits on the canvas: urgency and advice sensitivity, each 0–100.</summary>
public readonly record struct CanvasPlace(double Urgency, double Sensitivity)
{
    /// <summary>The line between the halves of each axis; at or above it counts as urgent or sensitive.</summary>
    public const double Midline = 50;

    public Quadrant Quadrant => (Urgency >= Midline, Sensitivity >= Midline) switch
    {
        (true, true) => Quadrant.UrgentAdvice,
        (true, false) => Quadrant.UrgentService,
        (false, true) => Quadrant.PlannedAdvice,
        _ => Quadrant.SelfService,
    };

    /// <summary>Orders alerts for a person's day and digest: urgency first, advice sensitivity breaking ties.</summary>
    public double Rank => (Urgency * 1000) + Sensitivity;

    public static bool IsValid(double urgency, double sensitivity) => urgency is >= 0 and <= 100 && sensitivity is >= 0 and <= 100;
}
