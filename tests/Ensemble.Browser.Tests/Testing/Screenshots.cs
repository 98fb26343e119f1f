using System.Runtime.CompilerServices;
using Microsoft.Playwright;

namespace Ensemble.Browser.Tests.Testing;

/// <summary>Full-page screenshots, one per journey, in TestResults/screenshots under the test output folder.</summary>
public static class Screenshots
{
    public static string Folder { get; } = Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots");

    /// <summary>Saves <paramref name="page"/> as <c>&lt;test name&gt;.png</c> (or <c>&lt;test name&gt;.&lt;variant&gt;.png</c>).</summary>
    public static async Task<string> SaveAsync(IPage page, string? variant = null, [CallerMemberName] string test = "")
    {
        Directory.CreateDirectory(Folder);
        var path = Path.Combine(Folder, variant is null ? $"{test}.png" : $"{test}.{variant}.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        return path;
    }
}
