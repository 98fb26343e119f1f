using System.Globalization;
using System.Xml.Linq;
using Ensemble.Practice;
using Ensemble.Processes.Templates;
using static Ensemble.Tests.Processes.Templates.TemplateYaml;

namespace Ensemble.Tests.Processes;

public sealed class SwimlaneDiagramTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    private static readonly Dictionary<string, string> RoleNames = RoleKeys.Defaults.ToDictionary(r => r.Key, r => r.Name);

    /// <summary>a, then b (paraplanner) and c (wealth partner) both waiting for a, then d waiting for both.</summary>
    private const string Diamond = """
          - key: a
            title: Gather documents
            role: client-service-associate
          - key: b
            title: Draft the plan
            role: paraplanner
            after: [a]
          - key: c
            title: Check the fees
            role: wealth-partner
            after: [a]
          - key: d
            title: Present the plan
            role: wealth-partner
            after: [b, c]

        """;

    private static XElement Draw(ProcessTemplate template, IReadOnlyDictionary<string, string>? roleNames = null) =>
        XDocument.Parse(SwimlaneDiagram.ToSvg(template, roleNames)).Root!;

    private static XElement StepGroup(XElement svg, string key) =>
        Assert.Single(svg.Descendants(Svg + "g"), g => (string?)g.Attribute("id") == "step-" + key);

    private static int BoxX(XElement svg, string key) =>
        int.Parse(StepGroup(svg, key).Element(Svg + "rect")!.Attribute("x")!.Value, CultureInfo.InvariantCulture);

    private static List<string> Texts(XElement group, string cssClass) =>
        group.Elements(Svg + "text").Where(t => (string?)t.Attribute("class") == cssClass).Select(t => t.Value).ToList();

    private static IEnumerable<XElement> WithClass(XElement svg, string cssClass) =>
        svg.Descendants().Where(e => (string?)e.Attribute("class") == cssClass);

    [Fact]
    public void ToSvg_IsAStandaloneSvgDocumentTitledWithTheTemplateName()
    {
        var text = SwimlaneDiagram.ToSvg(Loaded(Full));
        var svg = XDocument.Parse(text).Root!;

        Assert.StartsWith("<?xml version=\"1.0\" encoding=\"utf-8\"?>", text, StringComparison.Ordinal);
        Assert.Equal(Svg + "svg", svg.Name);
        Assert.Equal("1.1", (string?)svg.Attribute("version"));
        Assert.Equal($"0 0 {svg.Attribute("width")!.Value} {svg.Attribute("height")!.Value}", (string?)svg.Attribute("viewBox"));
        Assert.Equal("New Account Opening", svg.Element(Svg + "title")!.Value);
        Assert.Empty(svg.Descendants(Svg + "script"));
        Assert.Equal(text, SwimlaneDiagram.ToSvg(Loaded(Full)));
    }

    [Fact]
    public void ToSvg_DrawsOneLanePerRole_InTheOrderRolesFirstAppear_LabelledWithTheirNames()
    {
        var svg = Draw(Loaded(Header + Diamond), RoleNames);

        var labels = WithClass(svg, "lane").Select(lane => string.Join(" ", Texts(lane, "lane-label"))).ToList();

        Assert.Equal(["Client service associate", "Paraplanner", "Wealth partner"], labels);
    }

    [Fact]
    public void ToSvg_WithoutRoleNames_LabelsLanesWithRoleKeys()
    {
        var svg = Draw(Loaded(Header + Diamond));

        Assert.Equal(["client-service-associate", "paraplanner", "wealth-partner"], WithClass(svg, "lane").Select(lane => Texts(lane, "lane-label")[0]));
    }

    [Fact]
    public void ToSvg_DrawsOneGroupPerStep_IdentifiedByKey_WithInstructionsAsTooltip()
    {
        var template = Loaded(Full);
        var svg = Draw(template);

        Assert.Equal(template.Steps.Select(s => "step-" + s.Key).Order(), svg.Descendants(Svg + "g").Select(g => (string?)g.Attribute("id")).OfType<string>().Order());
        var tooltip = StepGroup(svg, "prepare-forms").Element(Svg + "title")!.Value;
        Assert.Equal(template.Steps[0].Instructions, tooltip);
    }

    [Fact]
    public void ToSvg_DrawsOneArrowPerDependency()
    {
        var svg = Draw(Loaded(Header + Diamond));

        var arrows = WithClass(svg, "arrow").ToList();

        Assert.Equal(4, arrows.Count);
        Assert.All(arrows, a => Assert.Equal("url(#arrow)", (string?)a.Attribute("marker-end")));
        Assert.Single(svg.Descendants(Svg + "marker"), m => (string?)m.Attribute("id") == "arrow");
    }

    [Fact]
    public void ToSvg_PlacesEachStepRightOfTheStepsItWaitsFor()
    {
        var svg = Draw(Loaded(Header + Diamond));

        Assert.True(BoxX(svg, "b") > BoxX(svg, "a"));
        Assert.True(BoxX(svg, "c") > BoxX(svg, "a"));
        Assert.Equal(BoxX(svg, "b"), BoxX(svg, "c"));
        Assert.True(BoxX(svg, "d") > BoxX(svg, "b"));
    }

    [Fact]
    public void ToSvg_EscapesXmlSpecialCharacters_AndTheDocumentStillParses()
    {
        var template = Loaded(Header + """
              - key: fees
                title: Fees & <terms>
                role: paraplanner
                instructions: Quote "the <b>fee</b>" & 'terms' ]]>

            """);

        var text = SwimlaneDiagram.ToSvg(template);
        var group = StepGroup(XDocument.Parse(text).Root!, "fees");

        Assert.Contains("Fees &amp; &lt;terms&gt;", text, StringComparison.Ordinal);
        Assert.Equal(["Fees & <terms>"], Texts(group, "step-title"));
        Assert.Equal("Quote \"the <b>fee</b>\" & 'terms' ]]>", group.Element(Svg + "title")!.Value);
    }

    [Fact]
    public void ToSvg_WhenTextHasCharactersXmlCannotHold_ReplacesThemAndStillParses()
    {
        var step = new StepDefinition("odd", "Bell\u0007 and lone \ud800 surrogate", "", "paraplanner", 15, null, [], null, [], false);
        var template = Loaded(Full) with { Steps = [step] };

        var group = StepGroup(Draw(template), "odd");

        Assert.Equal(["Bell\ufffd and lone \ufffd surrogate"], Texts(group, "step-title"));
    }

    [Fact]
    public void ToSvg_WrapsLongTitlesOnTwoLines_EndingInAnEllipsis()
    {
        var template = Loaded(Header + """
              - key: long
                title: Confirm the beneficiary designations on every retirement account with the custodian and the client
                role: paraplanner

            """);

        var lines = Texts(StepGroup(Draw(template), "long"), "step-title");

        Assert.Equal(2, lines.Count);
        Assert.All(lines, l => Assert.True(l.Length <= 28, l));
        Assert.Equal("Confirm the beneficiary", lines[0]);
        Assert.EndsWith("…", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public void ToSvg_ShowsDueRuleInWords_AndMarksOptionalAndConditionalSteps()
    {
        var svg = Draw(Loaded(Full));

        Assert.Equal(["2 business days after start"], Texts(StepGroup(svg, "prepare-forms"), "step-detail"));
        var collect = StepGroup(svg, "collect-forms");
        var details = Texts(collect, "step-detail");
        Assert.Equal("3 business days after 'prepare-forms'", details[0]);
        Assert.StartsWith("optional · if investable_assets", details[1], StringComparison.Ordinal);
        Assert.Equal("step optional conditional", (string?)collect.Attribute("class"));
        Assert.Equal(["2 days before meeting"], Texts(StepGroup(svg, "review-at-meeting"), "step-detail"));
    }

    [Theory]
    [InlineData(1_000)]
    [InlineData(10_000)]
    public void ToSvg_RendersADeepChain_OnAStackTooSmallForRecursion(int length)
    {
        var template = Loaded(Chain(length));
        string? text = null;

        // 128 KB overflows a one-frame-per-step recursion at about 4,000 steps; the layout must be iterative.
        var thread = new Thread(() => text = SwimlaneDiagram.ToSvg(template), maxStackSize: 128 * 1024);
        thread.Start();
        thread.Join();

        var svg = XDocument.Parse(text!).Root!;
        Assert.Equal(length - 1, WithClass(svg, "arrow").Count());
        Assert.Equal(BoxX(svg, "s0") + ((length - 1) * 280), BoxX(svg, $"s{length - 1}"));
    }
}
