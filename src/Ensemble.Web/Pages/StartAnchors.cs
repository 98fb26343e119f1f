using Ensemble.Storage;
using Ensemble.Storage.Library;
using NodaTime;
using NodaTime.Text;

namespace Ensemble.Web.Pages;

/// <summary>
/// The dates a start form passes to a process: the one date the form asks for goes to each anchor the
/// template declares (its meeting, event or webinar), so due rules such as "7 days before meeting" work.
/// </summary>
internal static class StartAnchors
{
    public static async Task<(Dictionary<string, LocalDate>? Anchors, string? Problem)> ForAsync(
        EnsembleDb db, IClock clock, string template, string? date, CancellationToken cancellationToken)
    {
        var anchors = new Dictionary<string, LocalDate>(StringComparer.Ordinal);
        var found = await new TemplateLibrary(db, clock).ShowAsync(template, null, cancellationToken);
        if (!found.IsSuccess)
        {
            return (null, found.Error!.Message);
        }

        var declared = found.Value.Template.Anchors;
        if (declared.Count == 0)
        {
            return (anchors, null);
        }

        if (string.IsNullOrWhiteSpace(date))
        {
            return (null, $"{found.Value.Template.Name} is planned around a date ({string.Join(", ", declared)}): give the date.");
        }

        var parsed = LocalDatePattern.Iso.Parse(date);
        if (!parsed.Success)
        {
            return (null, $"\"{date}\" is not a date.");
        }

        foreach (var anchor in declared)
        {
            anchors[anchor] = parsed.Value;
        }

        return (anchors, null);
    }
}
