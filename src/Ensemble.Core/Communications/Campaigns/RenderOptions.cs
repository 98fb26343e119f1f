using System.Globalization;
using System.Text.Encodings.Web;
using Fluid;
using Fluid.Values;

namespace Ensemble.Communications.Campaigns;

/// <summary>
/// How messages render: invariant culture, strict about undefined variables and filters (a last guard behind the
/// check), a bounded number of steps, and a <c>default</c> filter that also stands in for a recipient's missing value.
/// </summary>
internal static class RenderOptions
{
    public static TemplateOptions Options { get; } = Create();

    private static TemplateOptions Create()
    {
        var options = new TemplateOptions
        {
            StrictVariables = true,
            StrictFilters = true,
            MaxSteps = 100_000,
            CultureInfo = CultureInfo.InvariantCulture,
        };
        options.Filters.AddFilter("default", Default);
        return options;
    }

    // Liquid's default: the argument when the input is nil, false or empty. A missing merge value counts as nil, so
    // {{ person.first_name | default: "client" }} is a deliberate fallback and not a missing field.
    private static ValueTask<FluidValue> Default(FluidValue input, FilterArguments arguments, TemplateContext context)
    {
        var allowFalse = arguments["allow_false"].ToBooleanValue();
        var useFallback = input is MissingValue
            || input.IsNil()
            || (!allowFalse && input is BooleanValue && !input.ToBooleanValue())
            || (input is StringValue && input.ToStringValue().Length == 0)
            || input.Equals(EmptyValue.Instance);
        return new ValueTask<FluidValue>(useFallback ? arguments.At(0) : input);
    }
}

/// <summary>
/// A merge value the recipient does not have. It behaves as nil in conditions and comparisons, and records its field
/// when the template turns it into text, so the message is held back instead of going out with a gap.
/// </summary>
internal sealed class MissingValue(string path, ISet<string> written) : FluidValue
{
    public override FluidValues Type => FluidValues.Nil;

    public override bool Equals(FluidValue other) =>
        other is MissingValue || other.IsNil() || other == EmptyValue.Instance || other == BlankValue.Instance
        || (other is StringValue && other.ToStringValue().Length == 0);

    public override bool ToBooleanValue() => false;

    public override decimal ToNumberValue() => 0;

    public override string ToStringValue()
    {
        written.Add(path);
        return "";
    }

    public override object ToObjectValue() => null!;

    public override ValueTask WriteToAsync(TextWriter writer, TextEncoder encoder, CultureInfo cultureInfo)
    {
        written.Add(path);
        return default;
    }

    public override bool Equals(object? obj) => obj is FluidValue other && Equals(other);

    public override int GetHashCode() => 0;
}
