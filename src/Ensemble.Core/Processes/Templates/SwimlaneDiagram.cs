using System.Globalization;
using System.Text;
using System.Xml;

namespace Ensemble.Processes.Templates;

/// <summary>
/// Draws a template as a standalone SVG swimlane diagram: a lane per role in the order roles first appear,
/// steps as boxes placed one column right of the deepest step they wait for, and an arrow per dependency.
/// </summary>
public static class SwimlaneDiagram
{
    private const string Ns = "http://www.w3.org/2000/svg";
    private const int Margin = 20;
    private const int Header = 40;
    private const int LabelWidth = 200;
    private const int ColumnWidth = 280;
    private const int BoxWidth = 240;
    private const int BoxHeight = 84;
    private const int RowHeight = 104;
    private const int TitleChars = 28;
    private const int DetailChars = 40;
    private const int LabelChars = 25;

    private const string Style = """
        text { font-family: 'Segoe UI', Helvetica, Arial, sans-serif; fill: #222; }
        .diagram-title { font-size: 18px; font-weight: bold; }
        .lane-band { fill: #f4f6f9; stroke: #c8ced8; }
        .lane-band.alt { fill: #e9edf2; }
        .lane-label { font-size: 13px; font-weight: bold; fill: #3a4656; }
        .box { fill: #fff; stroke: #4a6fa5; stroke-width: 1.5; }
        .optional .box { stroke-dasharray: 5 3; }
        .conditional .box { fill: #fffbea; }
        .step-title { font-size: 13px; }
        .step-detail { font-size: 11px; fill: #5a6472; }
        .arrow { fill: none; stroke: #8a94a6; stroke-width: 1.5; }
        .arrowhead { fill: #8a94a6; }
        """;

    /// <summary>Renders <paramref name="template"/> as an SVG 1.1 document.</summary>
    /// <param name="template">The template to draw.</param>
    /// <param name="roleNames">Display names by role key; a role missing here is labelled with its key.</param>
    public static string ToSvg(ProcessTemplate template, IReadOnlyDictionary<string, string>? roleNames = null)
    {
        ArgumentNullException.ThrowIfNull(template);
        var steps = template.Steps;
        var order = StepOrder.Of(template);

        var lanes = new List<string>();
        var laneOf = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var step in steps)
        {
            if (laneOf.TryAdd(step.Role, lanes.Count))
            {
                lanes.Add(step.Role);
            }
        }

        // Steps sharing a lane and a column stack in rows; a lane is as tall as its fullest column.
        var row = new int[steps.Count];
        var filled = new Dictionary<(int Lane, int Column), int>();
        var laneRows = new int[lanes.Count];
        foreach (var i in order.Order)
        {
            var lane = laneOf[steps[i].Role];
            var cell = (lane, order.Depth[i]);
            row[i] = filled.GetValueOrDefault(cell);
            filled[cell] = row[i] + 1;
            laneRows[lane] = Math.Max(laneRows[lane], row[i] + 1);
        }

        var laneTop = new int[lanes.Count + 1];
        laneTop[0] = Margin + Header;
        for (var l = 0; l < lanes.Count; l++)
        {
            laneTop[l + 1] = laneTop[l] + (laneRows[l] * RowHeight);
        }

        var columns = steps.Count == 0 ? 0 : order.Depth.Max() + 1;
        var width = (Margin * 2) + LabelWidth + (columns * ColumnWidth);
        var height = laneTop[lanes.Count] + Margin;
        var x = new int[steps.Count];
        var y = new int[steps.Count];
        for (var i = 0; i < steps.Count; i++)
        {
            x[i] = Margin + LabelWidth + (order.Depth[i] * ColumnWidth) + ((ColumnWidth - BoxWidth) / 2);
            y[i] = laneTop[laneOf[steps[i].Role]] + (row[i] * RowHeight) + ((RowHeight - BoxHeight) / 2);
        }

        var settings = new XmlWriterSettings { Indent = true, IndentChars = "  ", NewLineChars = "\n", Encoding = new UTF8Encoding(false) };
        using var stream = new MemoryStream();
        using (var xml = XmlWriter.Create(stream, settings))
        {
            xml.WriteStartDocument();
            xml.WriteStartElement("svg", Ns);
            xml.WriteAttributeString("version", "1.1");
            Attr(xml, "width", width);
            Attr(xml, "height", height);
            xml.WriteAttributeString("viewBox", string.Create(CultureInfo.InvariantCulture, $"0 0 {width} {height}"));
            Element(xml, "title", template.Name);
            Element(xml, "desc", template.Description);
            xml.WriteStartElement("style", Ns);
            xml.WriteAttributeString("type", "text/css");
            xml.WriteCData(Style);
            xml.WriteEndElement();
            Defs(xml);
            Text(xml, "diagram-title", Margin, Margin + 20, template.Name);

            for (var l = 0; l < lanes.Count; l++)
            {
                var name = roleNames?.GetValueOrDefault(lanes[l]) ?? lanes[l];
                Lane(xml, l, name, laneTop[l], laneTop[l + 1] - laneTop[l], width - (Margin * 2));
            }

            foreach (var i in order.Order)
            {
                foreach (var p in order.Prerequisites[i])
                {
                    Arrow(xml, steps[p], steps[i], x[p] + BoxWidth, y[p] + (BoxHeight / 2), x[i], y[i] + (BoxHeight / 2));
                }
            }

            foreach (var i in order.Order)
            {
                Step(xml, steps[i], x[i], y[i]);
            }

            xml.WriteEndElement();
            xml.WriteEndDocument();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void Defs(XmlWriter xml)
    {
        xml.WriteStartElement("defs", Ns);
        xml.WriteStartElement("marker", Ns);
        xml.WriteAttributeString("id", "arrow");
        xml.WriteAttributeString("viewBox", "0 0 10 10");
        xml.WriteAttributeString("refX", "10");
        xml.WriteAttributeString("refY", "5");
        xml.WriteAttributeString("markerWidth", "6");
        xml.WriteAttributeString("markerHeight", "6");
        xml.WriteAttributeString("orient", "auto");
        xml.WriteStartElement("path", Ns);
        xml.WriteAttributeString("class", "arrowhead");
        xml.WriteAttributeString("d", "M 0 0 L 10 5 L 0 10 z");
        xml.WriteEndElement();
        xml.WriteEndElement();
        xml.WriteEndElement();
    }

    private static void Lane(XmlWriter xml, int number, string name, int top, int height, int width)
    {
        xml.WriteStartElement("g", Ns);
        xml.WriteAttributeString("class", "lane");
        Element(xml, "title", name);
        Rect(xml, number % 2 == 0 ? "lane-band" : "lane-band alt", Margin, top, width, height);
        var lines = Wrap(name, LabelChars, 2);
        for (var n = 0; n < lines.Count; n++)
        {
            Text(xml, "lane-label", Margin + 10, top + 24 + (n * 16), lines[n]);
        }

        xml.WriteEndElement();
    }

    private static void Arrow(XmlWriter xml, StepDefinition from, StepDefinition to, int x1, int y1, int x2, int y2)
    {
        var bend = Math.Max(40, Math.Abs(x2 - x1) / 2);
        xml.WriteStartElement("path", Ns);
        xml.WriteAttributeString("class", "arrow");
        xml.WriteAttributeString("d", string.Create(CultureInfo.InvariantCulture, $"M {x1} {y1} C {x1 + bend} {y1} {x2 - bend} {y2} {x2} {y2}"));
        xml.WriteAttributeString("marker-end", "url(#arrow)");
        Element(xml, "title", $"{from.Title} → {to.Title}");
        xml.WriteEndElement();
    }

    private static void Step(XmlWriter xml, StepDefinition step, int x, int y)
    {
        xml.WriteStartElement("g", Ns);
        xml.WriteAttributeString("id", XmlSafe("step-" + step.Key));
        xml.WriteAttributeString("class", "step" + (step.Skippable ? " optional" : "") + (step.Condition is null ? "" : " conditional"));
        Element(xml, "title", step.Instructions.Length > 0 ? step.Instructions : step.Title);
        Rect(xml, "box", x, y, BoxWidth, BoxHeight, corner: 6);

        var title = Wrap(step.Title, TitleChars, 2);
        var lineY = y + 22;
        foreach (var line in title)
        {
            Text(xml, "step-title", x + 10, lineY, line);
            lineY += 16;
        }

        var markers = new List<string>(2);
        if (step.Skippable)
        {
            markers.Add("optional");
        }

        if (step.Condition is not null)
        {
            markers.Add("if " + step.Condition.Text);
        }

        // The box has room for two detail lines: the due rule may take both when there is nothing to mark.
        var details = Wrap(step.Due is null ? "no due date" : DueRuleText.Describe(step.Due), DetailChars, markers.Count == 0 ? 2 : 1);
        details.AddRange(Wrap(string.Join(" · ", markers), DetailChars, 1));
        lineY += 2;
        foreach (var line in details)
        {
            Text(xml, "step-detail", x + 10, lineY, line);
            lineY += 14;
        }

        xml.WriteEndElement();
    }

    private static void Rect(XmlWriter xml, string cssClass, int x, int y, int width, int height, int corner = 0)
    {
        xml.WriteStartElement("rect", Ns);
        xml.WriteAttributeString("class", cssClass);
        Attr(xml, "x", x);
        Attr(xml, "y", y);
        Attr(xml, "width", width);
        Attr(xml, "height", height);
        if (corner > 0)
        {
            Attr(xml, "rx", corner);
        }

        xml.WriteEndElement();
    }

    private static void Text(XmlWriter xml, string cssClass, int x, int y, string text)
    {
        xml.WriteStartElement("text", Ns);
        xml.WriteAttributeString("class", cssClass);
        Attr(xml, "x", x);
        Attr(xml, "y", y);
        xml.WriteString(XmlSafe(text));
        xml.WriteEndElement();
    }

    private static void Element(XmlWriter xml, string name, string text) =>
        xml.WriteElementString(name, Ns, XmlSafe(text));

    private static void Attr(XmlWriter xml, string name, int value) =>
        xml.WriteAttributeString(name, value.ToString(CultureInfo.InvariantCulture));

    /// <summary>Word-wraps to at most <paramref name="maxLines"/> lines, ending with an ellipsis when text is left over.</summary>
    private static List<string> Wrap(string text, int width, int maxLines)
    {
        var lines = new List<string>();
        var current = new StringBuilder();
        foreach (var word in text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            if (current.Length > 0 && current.Length + 1 + word.Length <= width)
            {
                current.Append(' ').Append(word);
                continue;
            }

            if (current.Length > 0)
            {
                lines.Add(current.ToString());
                current.Clear();
            }

            var rest = word;
            while (rest.Length > width && lines.Count <= maxLines)
            {
                var cut = CutAt(rest, width);
                lines.Add(rest[..cut]);
                rest = rest[cut..];
            }

            current.Append(rest);
            if (lines.Count > maxLines)
            {
                break;
            }
        }

        if (current.Length > 0)
        {
            lines.Add(current.ToString());
        }

        if (lines.Count > maxLines)
        {
            lines.RemoveRange(maxLines, lines.Count - maxLines);
            var last = lines[^1];
            lines[^1] = (last.Length < width ? last : last[..CutAt(last, width - 1)]).TrimEnd() + "…";
        }

        return lines;
    }

    /// <summary>A cut at <paramref name="length"/>, moved back one if it would split a surrogate pair.</summary>
    private static int CutAt(string text, int length) => char.IsHighSurrogate(text[length - 1]) ? length - 1 : length;

    /// <summary>XmlWriter refuses control characters and lone surrogates; they become U+FFFD so any title renders.</summary>
    private static string XmlSafe(string text)
    {
        StringBuilder? safe = null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (XmlConvert.IsXmlChar(c))
            {
                safe?.Append(c);
            }
            else if (i + 1 < text.Length && XmlConvert.IsXmlSurrogatePair(text[i + 1], c))
            {
                safe?.Append(c).Append(text[i + 1]);
                i++;
            }
            else
            {
                safe ??= new StringBuilder(text.Length).Append(text, 0, i);
                safe.Append('\uFFFD');
            }
        }

        return safe?.ToString() ?? text;
    }
}
