using DisasterSim.Cli.Output;
using ScottPlot;

namespace DisasterSim.Cli.Charts;

/// <summary>Draws a <see cref="Chart"/> with ScottPlot, as PNG (for the report and slides) and SVG (for editing).</summary>
/// <remarks>
/// Log axes are drawn on log10 of the values with ticks at 1, 2 and 5 of each decade labelled in the values' own
/// units (never 1e+5); legends list only what is drawn, outside the data (below the plot); variants keep one colour
/// (a colour-blind-safe palette) across every chart.
/// </remarks>
public static partial class ChartRenderer
{
    /// <summary>The drawing size, pixels.</summary>
    public const int Width = 960;

    /// <summary>The drawing height, pixels.</summary>
    public const int Height = 540;

    // Okabe and Ito's colour-blind-safe palette.
    private static readonly string[] Palette = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442"];

    /// <summary>Draws the chart as PNG bytes.</summary>
    public static byte[] Png(Chart chart) => Build(chart).GetImageBytes(Width, Height, ImageFormat.Png);

    /// <summary>Draws the chart as SVG text.</summary>
    /// <remarks>ScottPlot numbers its clip paths with a counter of the process; they are numbered per file here, so the same chart gives the same bytes.</remarks>
    public static string Svg(Chart chart)
    {
        string svg = Build(chart).GetSvgXml(Width, Height);
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        return ClipId().Replace(svg, m =>
        {
            if (!ids.TryGetValue(m.Value, out string? id))
            {
                id = "cl_" + (ids.Count + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
                ids.Add(m.Value, id);
            }

            return id;
        });
    }

    /// <summary>The colour of variant <paramref name="index"/>, as #RRGGBB.</summary>
    public static string ColorOf(int index) => Palette[index % Palette.Length];

    private static Plot Build(Chart chart)
    {
        ArgumentNullException.ThrowIfNull(chart);
        var plot = new Plot();
        plot.Title(chart.Title, size: 16);
        switch (chart)
        {
            case LineChart line:
                DrawLines(plot, line);
                break;
            case BarChart bars:
                DrawBars(plot, bars);
                break;
            case ScatterChart scatter:
                DrawScatter(plot, scatter);
                break;
            case TornadoChart tornado:
                DrawTornado(plot, tornado);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(chart), chart.GetType().Name, "not a chart kind");
        }

        return plot;
    }

    private static void DrawLines(Plot plot, LineChart chart)
    {
        double Tx(double x) => chart.LogX ? Math.Log10(x) : x;
        double Ty(double y) => chart.LogY ? Math.Log10(y) : y;
        var xs = new List<double>();
        var ys = new List<double>();
        foreach (var series in chart.Series)
        {
            var points = series.Points.Where(p => (!chart.LogX || p.X > 0) && (!chart.LogY || p.Y > 0)).ToList();
            if (points.Count == 0)
            {
                continue;
            }

            var drawn = plot.Add.Scatter(points.Select(p => Tx(p.X)).ToArray(), points.Select(p => Ty(p.Y)).ToArray());
            drawn.LegendText = series.Label;
            drawn.Color = Color.FromHex(ColorOf(series.Variant));
            drawn.LineWidth = 2;
            drawn.MarkerSize = chart.Steps ? 0 : 4;
            drawn.LinePattern = series.Dashed ? LinePattern.Dashed : LinePattern.Solid;
            if (chart.Steps)
            {
                drawn.ConnectStyle = ConnectStyle.StepHorizontal;
            }

            xs.AddRange(points.Select(p => p.X));
            ys.AddRange(points.Select(p => p.Y));
        }

        foreach (var marker in chart.Markers.Where(m => !chart.LogX || m.X > 0))
        {
            var line = plot.Add.VerticalLine(Tx(marker.X));
            line.LegendText = marker.Label;
            line.Color = Color.FromHex("#555555");
            line.LinePattern = LinePattern.Dotted;
            line.LineWidth = 2;
            xs.Add(marker.X);
        }

        plot.XLabel(chart.XLabel);
        plot.YLabel(chart.YLabel);
        if (xs.Count > 0)
        {
            SetAxis(plot.Axes.Bottom, xs, chart.LogX);
            SetAxis(plot.Axes.Left, ys.Count > 0 ? ys : [1], chart.LogY);
        }

        Legend(plot);
    }

    private static void DrawBars(Plot plot, BarChart chart)
    {
        var ordered = chart.Bars.ToList();
        var bars = new List<ScottPlot.Bar>();
        for (int i = 0; i < ordered.Count; i++)
        {
            var b = ordered[i];
            double position = ordered.Count - 1 - i;
            bars.Add(new ScottPlot.Bar
            {
                Position = position,
                Value = b.Value,
                FillColor = Color.FromHex(ColorOf(0)),
                Error = b.Low is double low && b.High is double high ? (high - low) / 2 : 0,
                ValueBase = 0,
            });
        }

        var drawn = plot.Add.Bars(bars);
        drawn.Horizontal = true;
        plot.Axes.Left.SetTicks([.. Enumerable.Range(0, ordered.Count).Select(i => (double)(ordered.Count - 1 - i))], [.. ordered.Select(b => b.Label)]);
        plot.XLabel(chart.ValueLabel);
        var values = ordered.SelectMany(b => new[] { b.Value, b.Low ?? b.Value, b.High ?? b.Value, 0 }).ToList();
        SetAxis(plot.Axes.Bottom, values, log: false);
        plot.Axes.Margins(left: 0.02, right: 0.08, bottom: 0.05, top: 0.05);
    }

    private static void DrawTornado(Plot plot, TornadoChart chart)
    {
        var ordered = chart.Bars.OrderByDescending(b => Math.Abs(b.High - b.Low)).ToList();
        var bars = new List<ScottPlot.Bar>();
        for (int i = 0; i < ordered.Count; i++)
        {
            double position = ordered.Count - 1 - i;
            bars.Add(new ScottPlot.Bar { Position = position, ValueBase = chart.Baseline, Value = ordered[i].Low, FillColor = Color.FromHex(ColorOf(0)) });
            bars.Add(new ScottPlot.Bar { Position = position, ValueBase = chart.Baseline, Value = ordered[i].High, FillColor = Color.FromHex(ColorOf(1)) });
        }

        var drawn = plot.Add.Bars(bars);
        drawn.Horizontal = true;
        var line = plot.Add.VerticalLine(chart.Baseline);
        line.LegendText = "baseline " + NumberText.Display(chart.Baseline);
        line.Color = Color.FromHex("#555555");
        line.LinePattern = LinePattern.Dotted;
        var low = plot.Add.Scatter(Array.Empty<double>(), Array.Empty<double>());
        low.LegendText = "setting at its low value";
        low.Color = Color.FromHex(ColorOf(0));
        var high = plot.Add.Scatter(Array.Empty<double>(), Array.Empty<double>());
        high.LegendText = "setting at its high value";
        high.Color = Color.FromHex(ColorOf(1));
        plot.Axes.Left.SetTicks([.. Enumerable.Range(0, ordered.Count).Select(i => (double)(ordered.Count - 1 - i))], [.. ordered.Select(b => $"{b.Label}\n{b.LowText} / {b.HighText}")]);
        plot.XLabel(chart.ValueLabel);
        SetAxis(plot.Axes.Bottom, [.. ordered.SelectMany(b => new[] { b.Low, b.High }), chart.Baseline], log: false);
        plot.Axes.Margins(left: 0.05, right: 0.05, bottom: 0.05, top: 0.05);
        Legend(plot);
    }

    private static void DrawScatter(Plot plot, ScatterChart chart)
    {
        var front = chart.Points.Where(p => p.Highlighted).OrderBy(p => p.X).ThenBy(p => p.Y).ToList();
        if (front.Count > 0)
        {
            var line = plot.Add.Scatter(front.Select(p => p.X).ToArray(), front.Select(p => p.Y).ToArray());
            line.LegendText = chart.HighlightLabel;
            line.Color = Color.FromHex(ColorOf(0));
            line.MarkerSize = 9;
            line.LineWidth = 2;
        }

        var others = chart.Points.Where(p => !p.Highlighted).ToList();
        if (others.Count > 0)
        {
            var dots = plot.Add.ScatterPoints(others.Select(p => p.X).ToArray(), others.Select(p => p.Y).ToArray());
            dots.LegendText = chart.OtherLabel;
            dots.Color = Color.FromHex("#999999");
            dots.MarkerSize = 7;
        }

        foreach (var p in chart.Points)
        {
            var text = plot.Add.Text(p.Label, p.X, p.Y);
            text.LabelFontSize = 11;
            text.LabelOffsetX = 6;
            text.LabelOffsetY = -6;
        }

        plot.XLabel(chart.XLabel);
        plot.YLabel(chart.YLabel);
        SetAxis(plot.Axes.Bottom, [.. chart.Points.Select(p => p.X)], log: false);
        SetAxis(plot.Axes.Left, [.. chart.Points.Select(p => p.Y)], log: false);
        plot.Axes.Margins(0.15, 0.15);
        Legend(plot);
    }

    private static void Legend(Plot plot)
    {
        plot.ShowLegend(Edge.Bottom);
    }

    // Ticks in the values' own units: decades (1, 2, 5) on a log axis, five round steps on a linear one.
    private static void SetAxis(ScottPlot.IAxis axis, IReadOnlyList<double> values, bool log)
    {
        var finite = values.Where(double.IsFinite).Where(v => !log || v > 0).ToList();
        if (finite.Count == 0)
        {
            return;
        }

        double low = finite.Min();
        double high = finite.Max();
        if (log)
        {
            int first = (int)Math.Floor(Math.Log10(low));
            int last = (int)Math.Ceiling(Math.Log10(high));
            if (last == first)
            {
                last++;
            }

            var ticks = new List<(double Position, string Label)>();
            for (int e = first; e <= last; e++)
            {
                foreach (int m in new[] { 1, 2, 5 })
                {
                    double v = m * Math.Pow(10, e);
                    if (v >= Math.Pow(10, first) && v <= Math.Pow(10, last))
                    {
                        ticks.Add((Math.Log10(v), last - first > 4 && m != 1 ? "" : NumberText.Display(v)));
                    }
                }
            }

            axis.SetTicks([.. ticks.Select(t => t.Position)], [.. ticks.Select(t => t.Label)]);
            // A little room on each side, so the end labels are not cut.
            axis.Min = first - 0.03;
            axis.Max = last + 0.08;
            return;
        }

        if (high == low)
        {
            high = low + Math.Max(1, Math.Abs(low));
        }

        double step = NiceStep((high - low) / 5);
        double start = Math.Floor(low / step) * step;
        var positions = new List<double>();
        for (double v = start; v <= high + (step / 2); v += step)
        {
            positions.Add(Math.Round(v / step) * step);
        }

        axis.SetTicks([.. positions], [.. positions.Select(NumberText.Display)]);
    }

    private static double NiceStep(double raw)
    {
        double magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        double fraction = raw / magnitude;
        return (fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10) * magnitude;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"\bcl_[0-9A-Za-z]+\b")]
    private static partial System.Text.RegularExpressions.Regex ClipId();
}
