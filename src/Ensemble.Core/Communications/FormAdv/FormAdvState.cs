namespace Ensemble.Communications.FormAdv;

/// <summary>Where one client household's annual Form ADV delivery stands for a fiscal year.</summary>
public enum FormAdvState
{
    /// <summary>Sent within the deadline.</summary>
    Delivered,

    /// <summary>Sent, but after the deadline: the firm was late, and the record shows it.</summary>
    DeliveredLate,

    /// <summary>Not sent yet; the deadline has not passed.</summary>
    Owed,

    /// <summary>Not sent and the deadline has passed.</summary>
    Overdue,
}

public static class FormAdvStates
{
    public static string Name(this FormAdvState state) => state switch
    {
        FormAdvState.Delivered => "delivered",
        FormAdvState.DeliveredLate => "delivered-late",
        FormAdvState.Owed => "owed",
        FormAdvState.Overdue => "overdue",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, null),
    };

    /// <summary>Whether the household still has to be sent this year's delivery.</summary>
    public static bool IsOutstanding(this FormAdvState state) => state is FormAdvState.Owed or FormAdvState.Overdue;
}
