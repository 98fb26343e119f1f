using Ensemble.Processes.Templates;
using static Ensemble.Tests.Processes.Templates.TemplateYaml;

namespace Ensemble.Tests.Processes.Templates;

/// <summary>Bad input of any shape becomes diagnostics, never an exception.</summary>
public sealed class TemplateLoaderRobustnessTests
{
    [Theory]
    [InlineData(" : d")]
    [InlineData("key: a\nname: [unclosed\ncategory: sales\n")]
    public void Load_WhenYamlDotNetFailsWithoutAYamlException_StillReportsAPosition(string yaml)
    {
        // Inputs found by fuzzing: YamlDotNet throws ArgumentException / InvalidOperationException for them.
        var error = Assert.Single(Load(yaml).Diagnostics);

        Assert.StartsWith("the YAML cannot be read", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_WhenFileIsCutOffAnywhere_NeverThrows()
    {
        for (var length = 0; length < Full.Length; length++)
        {
            var result = Load(Full[..length]);

            Assert.True(result.Succeeded || result.Diagnostics.Count > 0);
        }
    }

    [Fact]
    public void Load_WhenFileIsRandomlyDamaged_NeverThrowsAndAlwaysExplains()
    {
        const string noise = ":-[]{}'\"#&*!|>%@`\t\n ,?~0aZ\\";
        var random = new Random(20240601);
        for (var round = 0; round < 3_000; round++)
        {
            var text = Full.ToCharArray().ToList();
            for (var edits = random.Next(1, 6); edits > 0; edits--)
            {
                var at = random.Next(text.Count);
                switch (random.Next(3))
                {
                    case 0:
                        text.RemoveAt(at);
                        break;
                    case 1:
                        text.Insert(at, noise[random.Next(noise.Length)]);
                        break;
                    default:
                        text[at] = noise[random.Next(noise.Length)];
                        break;
                }
            }

            var yaml = new string(text.ToArray());
            var result = Load(yaml);

            Assert.True(result.Succeeded || result.Diagnostics.Count > 0, yaml);
            Assert.All(result.Diagnostics, d => Assert.True(d.Line >= 1 && d.Column >= 1 && d.Message.Length > 0, d.ToString()));
        }
    }
}
