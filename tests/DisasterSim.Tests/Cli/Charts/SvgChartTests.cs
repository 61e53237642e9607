using DisasterSim.Engine.Statistics;
using System.Globalization;
using System.Xml.Linq;
using DisasterSim.Cli.Charts;
using DisasterSim.Cli.Output;
using DisasterSim.Engine.Comparison;
using DisasterSim.Tests.Cli;

namespace DisasterSim.Tests.Cli.Charts;

/// <summary>The SVG writer: well-formed, deterministic, axes labelled, log scales where values span decades.</summary>
public sealed class SvgChartTests
{
    private static XDocument Parse(string svg) => XDocument.Parse(svg);

    private static IEnumerable<string> Texts(XDocument doc) => doc.Descendants().Where(e => e.Name.LocalName == "text").Select(e => e.Value);

    [Fact]
    public void AxisFit_ValuesSpanningDecades_IsLogOverWholeDecades()
    {
        var axis = Axis.Fit("h", [0.02, 3, 700]);

        Assert.True(axis.Log);
        Assert.Equal(0.01, axis.Min, 12);
        Assert.Equal(1000, axis.Max, 9);
        Assert.Equal(6, axis.Ticks().Count);
    }

    [Fact]
    public void AxisFit_NarrowValues_IsLinearFromZeroWithRoundEnds()
    {
        var axis = Axis.Fit("h", [1.2, 2.7]);

        Assert.False(axis.Log);
        Assert.Equal(0, axis.Min);
        Assert.Equal(3, axis.Max, 12);
        Assert.Equal([0, 1, 2, 3], axis.Ticks().Select(t => Math.Round(t, 9)));
    }

    [Theory]
    [InlineData(0, "0")]
    [InlineData(0.001, "0.001")]
    [InlineData(1000, "1000")]
    [InlineData(1e-5, "1e-5")]
    [InlineData(1e6, "1e+6")]
    public void FormatTick_IsShortAndInvariant(double value, string expected)
    {
        using var culture = new CultureScope("de-DE");

        Assert.Equal(expected, Axis.FormatTick(value));
    }

    [Fact]
    public void Exceedance_IsWellFormedWithLabelledLogAxesAndOneLinePerCurve()
    {
        var sets = new[]
        {
            new ExceedanceSet("a & b", "downtime", "erp", "aggregate", "hours", 1000, Exceedance.Curve([0, 1, 10, 200], [0, 0.1, 1, 10, 100])),
            new ExceedanceSet("a & b", "downtime", "erp", "occurrence", "hours", 1000, Exceedance.Curve([0, 1, 5, 150], [0, 0.1, 1, 10, 100])),
        };

        string svg = RiskCharts.Exceedance("Title <1>", "downtime (hours)", sets);

        var doc = Parse(svg);
        var texts = Texts(doc).ToList();
        Assert.Contains("downtime (hours) (log scale)", texts);
        Assert.Contains("probability per year of exceeding the level (log scale)", texts);
        Assert.Contains("Title <1>", texts);
        Assert.Contains("a & b (worst incident)", texts);
        Assert.Equal(2, doc.Descendants().Count(e => e.Name.LocalName == "polyline"));
        Assert.Equal(svg, RiskCharts.Exceedance("Title <1>", "downtime (hours)", sets));
    }

    [Fact]
    public void Histogram_InCommaCulture_WritesDotDecimals()
    {
        using var culture = new CultureScope("fr-FR");

        string svg = RiskCharts.Histogram("h", "downtime of one incident (hours)", [("x", Sample.Of([0.15, 0.2, 3, 40, 0]))]);

        Parse(svg);
        Assert.DoesNotMatch(@"(x|y|x1|y1|x2|y2|width|height)=""-?\d+,\d", svg);
        Assert.Matches(@"points=""\d+(\.\d)?,\d+(\.\d)? ", svg);
        Assert.Contains("1 at zero", svg, StringComparison.Ordinal);
    }

    [Fact]
    public void Scatter_MarksFrontPointsFilled()
    {
        var chart = new SvgChart("t", new Axis("x (h)", 0, 10, false), new Axis("y (h)", 0, 10, false));

        chart.Scatter([new ScatterPoint(1, 9, "a", true), new ScatterPoint(5, 5, "b", true), new ScatterPoint(6, 6, "c", false)], "#123456", "front", "dominated");

        var circles = Parse(chart.Render()).Descendants().Where(e => e.Name.LocalName == "circle").ToList();
        Assert.Equal(["#123456", "#123456", "white"], circles.Select(c => (string?)c.Attribute("fill")));
    }
}
