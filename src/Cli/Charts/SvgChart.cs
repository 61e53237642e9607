using System.Globalization;
using System.Security;
using System.Text;

namespace DisasterSim.Cli.Charts;

/// <summary>A series of a chart: a name for the legend and its points.</summary>
/// <param name="Name">The legend text.</param>
/// <param name="Points">The points, in drawing order.</param>
public sealed record Series(string Name, IReadOnlyList<(double X, double Y)> Points);

/// <summary>A labelled point of a scatter chart.</summary>
/// <param name="X">Horizontal value.</param>
/// <param name="Y">Vertical value.</param>
/// <param name="Label">Text next to the point.</param>
/// <param name="Highlight">Drawn filled and joined to the other highlighted points (the Pareto front).</param>
public sealed record ScatterPoint(double X, double Y, string Label, bool Highlight);

/// <summary>A bar of a histogram: the bin's ends and its height.</summary>
/// <param name="Low">Lower end of the bin.</param>
/// <param name="High">Upper end of the bin.</param>
/// <param name="Height">The bar's height.</param>
public readonly record struct Bar(double Low, double High, double Height);

/// <summary>A small, dependency-free SVG writer for line, step, bar and scatter charts.</summary>
/// <remarks>
/// Output is deterministic text (invariant culture, coordinates to 0.1 px), so charts can be
/// golden-tested and compared byte for byte between runs.
/// </remarks>
public sealed class SvgChart
{
    /// <summary>Distinct colours that stay apart for readers with the common colour-vision deficiencies (Okabe and Ito).</summary>
    public static IReadOnlyList<string> Palette { get; } = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000"];

    private const double Width = 800;
    private const double Height = 500;
    private const double Left = 80;
    private const double Right = 30;
    private const double Top = 62;
    private const double Bottom = 70;
    private readonly StringBuilder _body = new();
    private readonly List<(string Name, string Color, bool? Solid)> _legend = [];

    /// <summary>Creates an empty chart.</summary>
    public SvgChart(string title, Axis x, Axis y)
    {
        Title = title;
        X = x;
        Y = y;
    }

    /// <summary>Gets or sets whether the legend goes in the lower left corner (where exceedance curves leave room) instead of the upper right.</summary>
    public bool LegendLowerLeft { get; set; }

    /// <summary>Gets the title shown above the plot.</summary>
    public string Title { get; }

    /// <summary>Gets the horizontal axis.</summary>
    public Axis X { get; }

    /// <summary>Gets the vertical axis.</summary>
    public Axis Y { get; }

    private static double PlotWidth => Width - Left - Right;

    private static double PlotHeight => Height - Top - Bottom;

    /// <summary>Draws a series as a line; points that the axes cannot show (zero on a log axis) are left out.</summary>
    /// <param name="series">The series.</param>
    /// <param name="color">Its colour.</param>
    /// <param name="step">Whether to draw a step function (the value holds until the next point), as an empirical exceedance curve is.</param>
    /// <param name="dashed">Whether to draw the line dashed.</param>
    public void Line(Series series, string color, bool step = false, bool dashed = false)
    {
        ArgumentNullException.ThrowIfNull(series);
        var coords = new List<(double X, double Y)>();
        foreach (var (x, y) in series.Points)
        {
            var p = Map(x, y);
            if (p is null)
            {
                continue;
            }

            if (step && coords.Count > 0)
            {
                coords.Add((p.Value.X, coords[^1].Y));
            }

            coords.Add(p.Value);
        }

        if (coords.Count > 0)
        {
            _body.Append(CultureInfo.InvariantCulture, $"<polyline fill=\"none\" stroke=\"{color}\" stroke-width=\"2\"{(dashed ? " stroke-dasharray=\"7 4\"" : "")} points=\"{string.Join(" ", coords.Select(c => F(c.X) + "," + F(c.Y)))}\"/>\n");
        }

        _legend.Add((series.Name, color, !dashed));
    }

    /// <summary>Draws bars, clipped to the axes.</summary>
    public void Bars(string name, IEnumerable<Bar> bars, string color)
    {
        ArgumentNullException.ThrowIfNull(bars);
        foreach (var bar in bars)
        {
            double fx0 = X.Fraction(bar.Low);
            double fx1 = X.Fraction(bar.High);
            double fy = Y.Fraction(bar.Height);
            double fy0 = Y.Log ? 0 : Y.Fraction(0);
            if (double.IsNaN(fx0) || double.IsNaN(fx1) || double.IsNaN(fy) || bar.Height <= 0)
            {
                continue;
            }

            double x0 = Left + (Math.Clamp(fx0, 0, 1) * PlotWidth);
            double x1 = Left + (Math.Clamp(fx1, 0, 1) * PlotWidth);
            double y1 = Top + ((1 - Math.Clamp(fy, 0, 1)) * PlotHeight);
            double y0 = Top + ((1 - Math.Clamp(fy0, 0, 1)) * PlotHeight);
            _body.Append(CultureInfo.InvariantCulture, $"<rect x=\"{F(x0)}\" y=\"{F(y1)}\" width=\"{F(Math.Max(0.5, x1 - x0 - 1))}\" height=\"{F(y0 - y1)}\" fill=\"{color}\" fill-opacity=\"0.55\" stroke=\"{color}\"/>\n");
        }

        _legend.Add((name, color, null));
    }

    /// <summary>Draws labelled points; highlighted ones filled and joined in order of x.</summary>
    public void Scatter(IReadOnlyList<ScatterPoint> points, string color, string highlightName, string otherName)
    {
        ArgumentNullException.ThrowIfNull(points);
        var front = points.Where(p => p.Highlight).OrderBy(p => p.X).ThenBy(p => p.Y).Select(p => Map(p.X, p.Y)).Where(p => p is not null).Select(p => p!.Value).ToList();
        if (front.Count > 1)
        {
            _body.Append(CultureInfo.InvariantCulture, $"<polyline fill=\"none\" stroke=\"{color}\" stroke-width=\"1.5\" stroke-dasharray=\"6 4\" points=\"{string.Join(" ", front.Select(c => F(c.X) + "," + F(c.Y)))}\"/>\n");
        }

        var placed = new List<(double X0, double Y0, double X1, double Y1)>();
        foreach (var point in points)
        {
            var p = Map(point.X, point.Y);
            if (p is null)
            {
                continue;
            }

            string fill = point.Highlight ? color : "white";
            _body.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{F(p.Value.X)}\" cy=\"{F(p.Value.Y)}\" r=\"5\" fill=\"{fill}\" stroke=\"{color}\" stroke-width=\"1.5\"/>\n");
            var (tx, ty, anchor) = PlaceLabel(p.Value, point.Label, placed);
            _body.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(tx)}\" y=\"{F(ty)}\" font-size=\"11\"{anchor}>{Escape(point.Label)}</text>\n");
        }

        _legend.Add((highlightName, color, null));
        _legend.Add((otherName, "white:" + color, null));
    }

    /// <summary>Adds a note under the title (for example, what a missing curve means); up to two lines of about 110 characters.</summary>
    public void Note(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lines = new List<string> { "" };
        foreach (string word in text.Split(' '))
        {
            if (lines[^1].Length + word.Length + 1 > 115 && lines[^1].Length > 0)
            {
                lines.Add("");
            }

            lines[^1] = lines[^1].Length == 0 ? word : lines[^1] + " " + word;
        }

        for (int i = 0; i < Math.Min(2, lines.Count); i++)
        {
            _body.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(Left)}\" y=\"{F(Top - 20 + (i * 13))}\" font-size=\"11\" fill=\"#555\">{Escape(lines[i])}</text>\n");
        }
    }

    /// <summary>Renders the chart as an SVG document.</summary>
    public string Render()
    {
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{F(Width)}\" height=\"{F(Height)}\" viewBox=\"0 0 {F(Width)} {F(Height)}\" font-family=\"sans-serif\">\n");
        svg.Append(CultureInfo.InvariantCulture, $"<rect width=\"{F(Width)}\" height=\"{F(Height)}\" fill=\"white\"/>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(Width / 2)}\" y=\"24\" font-size=\"16\" text-anchor=\"middle\" font-weight=\"bold\">{Escape(Title)}</text>\n");
        AppendGridAndAxes(svg);
        svg.Append(_body);
        AppendLegend(svg);
        svg.Append("</svg>\n");
        return svg.ToString();
    }

    /// <summary>Formats a coordinate to 0.1 px, invariant culture.</summary>
    public static string F(double v) => Math.Round(v, 1).ToString("0.#", CultureInfo.InvariantCulture);

    private static string Escape(string text) => SecurityElement.Escape(text) ?? "";

    private (double X, double Y)? Map(double x, double y)
    {
        double fx = X.Fraction(x);
        double fy = Y.Fraction(y);
        if (double.IsNaN(fx) || double.IsNaN(fy) || fx < -1e-9 || fx > 1 + 1e-9 || fy < -1e-9 || fy > 1 + 1e-9)
        {
            return null;
        }

        return (Left + (fx * PlotWidth), Top + ((1 - fy) * PlotHeight));
    }

    // Tries right-above, right-below, left-above, left-below (left first near the right edge) and takes the first that overlaps no earlier label.
    private static (double X, double Y, string Anchor) PlaceLabel((double X, double Y) at, string label, List<(double X0, double Y0, double X1, double Y1)> placed)
    {
        double width = label.Length * 6.3;
        bool nearRight = at.X + 8 + width > Left + PlotWidth;
        var candidates = new List<(double X, double Y, bool Left)>
        {
            (at.X + 8, at.Y - 7, false), (at.X + 8, at.Y + 16, false), (at.X - 8, at.Y - 7, true), (at.X - 8, at.Y + 16, true),
        };
        if (nearRight)
        {
            candidates = [.. candidates.Where(c => c.Left), .. candidates.Where(c => !c.Left)];
        }

        foreach (var (x, y, left) in candidates)
        {
            var box = left ? (x - width, y - 11, x, y + 2) : (x, y - 11, x + width, y + 2);
            if (!placed.Any(b => b.X0 < box.Item3 && box.Item1 < b.X1 && b.Y0 < box.Item4 && box.Item2 < b.Y1))
            {
                placed.Add(box);
                return (x, y, left ? " text-anchor=\"end\"" : "");
            }
        }

        var (fx, fy, fl) = candidates[0];
        return (fx, fy, fl ? " text-anchor=\"end\"" : "");
    }

    private void AppendGridAndAxes(StringBuilder svg)
    {
        foreach (double t in X.Ticks())
        {
            double px = Left + (X.Fraction(t) * PlotWidth);
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{F(px)}\" y1=\"{F(Top)}\" x2=\"{F(px)}\" y2=\"{F(Top + PlotHeight)}\" stroke=\"#ddd\"/>\n");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(px)}\" y=\"{F(Top + PlotHeight + 18)}\" font-size=\"12\" text-anchor=\"middle\">{Axis.FormatTick(t)}</text>\n");
        }

        foreach (double t in Y.Ticks())
        {
            double py = Top + ((1 - Y.Fraction(t)) * PlotHeight);
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{F(Left)}\" y1=\"{F(py)}\" x2=\"{F(Left + PlotWidth)}\" y2=\"{F(py)}\" stroke=\"#ddd\"/>\n");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(Left - 6)}\" y=\"{F(py + 4)}\" font-size=\"12\" text-anchor=\"end\">{Axis.FormatTick(t)}</text>\n");
        }

        svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{F(Left)}\" y=\"{F(Top)}\" width=\"{F(PlotWidth)}\" height=\"{F(PlotHeight)}\" fill=\"none\" stroke=\"#333\"/>\n");
        string xScale = X.Log ? " (log scale)" : "";
        string yScale = Y.Log ? " (log scale)" : "";
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(Left + (PlotWidth / 2))}\" y=\"{F(Height - 22)}\" font-size=\"13\" text-anchor=\"middle\">{Escape(X.Label + xScale)}</text>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"18\" y=\"{F(Top + (PlotHeight / 2))}\" font-size=\"13\" text-anchor=\"middle\" transform=\"rotate(-90 18 {F(Top + (PlotHeight / 2))})\">{Escape(Y.Label + yScale)}</text>\n");
    }

    private void AppendLegend(StringBuilder svg)
    {
        if (_legend.Count == 0)
        {
            return;
        }

        double longest = _legend.Max(l => l.Name.Length);
        double boxWidth = 40 + (longest * 6.6);
        double boxHeight = 8 + (_legend.Count * 18);
        double x = LegendLowerLeft ? Left + 8 : Left + PlotWidth - boxWidth - 8;
        double y = LegendLowerLeft ? Top + PlotHeight - boxHeight - 8 : Top + 8;
        svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{F(x)}\" y=\"{F(y)}\" width=\"{F(boxWidth)}\" height=\"{F(boxHeight)}\" fill=\"white\" fill-opacity=\"0.9\" stroke=\"#999\"/>\n");
        for (int i = 0; i < _legend.Count; i++)
        {
            var (name, color, solid) = _legend[i];
            double ly = y + 14 + (i * 18);
            if (solid is bool isSolid)
            {
                string dash = isSolid ? "" : " stroke-dasharray=\"7 4\"";
                svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{F(x + 4)}\" y1=\"{F(ly - 4)}\" x2=\"{F(x + 28)}\" y2=\"{F(ly - 4)}\" stroke=\"{color}\" stroke-width=\"2\"{dash}/>\n");
            }
            else
            {
                string[] parts = color.Split(':');
                string fill = parts[0];
                string stroke = parts.Length > 1 ? parts[1] : parts[0];
                svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{F(x + 10)}\" y=\"{F(ly - 9)}\" width=\"10\" height=\"10\" fill=\"{fill}\" stroke=\"{stroke}\"/>\n");
            }

            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(x + 32)}\" y=\"{F(ly)}\" font-size=\"12\">{Escape(name)}</text>\n");
        }
    }
}
