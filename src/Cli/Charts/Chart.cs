namespace DisasterSim.Cli.Charts;

/// <summary>A chart as data: what it shows, independent of how it is drawn (tests compare this, not pixels).</summary>
public abstract record Chart(string Title)
{
    /// <summary>Gets a sentence under the chart that says how to read it.</summary>
    public string Note { get; init; } = "";
}

/// <summary>One curve of a line chart.</summary>
/// <param name="Label">Its legend entry.</param>
/// <param name="Points">Its points, in order.</param>
/// <param name="Dashed">Drawn dashed (a second view of the same variant).</param>
/// <param name="Variant">Its variant's position, which picks the colour: a variant keeps its colour across charts.</param>
public sealed record ChartSeries(string Label, IReadOnlyList<(double X, double Y)> Points, bool Dashed = false, int Variant = 0);

/// <summary>A vertical marker at a level: a target (RTO, RPO).</summary>
/// <param name="X">Where.</param>
/// <param name="Label">Its legend entry ("RTO 8 h").</param>
public sealed record ChartMarker(double X, string Label);

/// <summary>Curves against a shared x axis; log axes where values span decades. Steps for exceedance curves.</summary>
public sealed record LineChart(string Title, string XLabel, string YLabel, bool LogX, bool LogY, IReadOnlyList<ChartSeries> Series, IReadOnlyList<ChartMarker> Markers, bool Steps = false)
    : Chart(Title);

/// <summary>One bar: a label, a value and, optionally, its 95% interval.</summary>
/// <param name="Label">What the bar is.</param>
/// <param name="Value">Its length.</param>
/// <param name="Low">The low end of its interval, or null.</param>
/// <param name="High">The high end of its interval, or null.</param>
public sealed record ChartBar(string Label, double Value, double? Low = null, double? High = null);

/// <summary>Horizontal bars, largest first: shares of a total by cause, or paired differences with their intervals.</summary>
public sealed record BarChart(string Title, string ValueLabel, IReadOnlyList<ChartBar> Bars) : Chart(Title);

/// <summary>One point of a scatter chart.</summary>
/// <param name="X">Its x.</param>
/// <param name="Y">Its y.</param>
/// <param name="Label">Its name, written next to it.</param>
/// <param name="Highlighted">Drawn filled and joined (the Pareto front).</param>
public sealed record ChartPoint(double X, double Y, string Label, bool Highlighted);

/// <summary>Labelled points; the highlighted ones joined in x order (a Pareto front).</summary>
public sealed record ScatterChart(string Title, string XLabel, string YLabel, IReadOnlyList<ChartPoint> Points, string HighlightLabel, string OtherLabel) : Chart(Title);

/// <summary>One setting of a tornado chart: the metric at its low and high values.</summary>
/// <param name="Label">The setting.</param>
/// <param name="Low">The metric with the setting at its low value.</param>
/// <param name="High">The metric with the setting at its high value.</param>
/// <param name="LowText">The low value as given.</param>
/// <param name="HighText">The high value as given.</param>
public sealed record TornadoBar(string Label, double Low, double High, string LowText, string HighText);

/// <summary>A tornado: for each setting, how far the metric moves from the baseline when the setting alone goes low or high; widest swing on top.</summary>
public sealed record TornadoChart(string Title, string ValueLabel, double Baseline, IReadOnlyList<TornadoBar> Bars) : Chart(Title);
