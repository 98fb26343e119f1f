using System.Globalization;

namespace Ensemble.Storage.Demo;

/// <summary>Postal addresses for the demo households, so letters have somewhere to go. Derived from the household's number, not the demo's random sequence.</summary>
internal static class DemoAddresses
{
    private static readonly string[] Streets = ["Elm Street", "Maple Avenue", "Harbor Road", "Cedar Lane", "Orchard Way", "Mill Street", "Lakeview Drive", "Church Road"];

    private static readonly string[] Towns = ["Springfield, IL 62701", "Dover, DE 19901", "Madison, WI 53703", "Salem, OR 97301", "Concord, NH 03301", "Annapolis, MD 21401"];

    public static string For(int number) =>
        $"{(12 + (number * 37 % 880)).ToString(CultureInfo.InvariantCulture)} {Streets[number % Streets.Length]}\n{Towns[number / Streets.Length % Towns.Length]}";
}
