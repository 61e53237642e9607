using System.Globalization;
using DisasterSim.Cli.Output;
using DisasterSim.Engine.Comparison;
using DisasterSim.Engine.Statistics;

namespace DisasterSim.Cli.Charts;

/// <summary>The charts of run, compare, sweep and batch, as data: exceedance curves, histograms, bars by cause, differences, the Pareto front.</summary>
public static class RiskCharts
{
    /// <summary>The y label of every exceedance chart.</summary>
    public const string ExceedanceAxis = "probability that a year exceeds the level";

    /// <summary>Exceedance curves of every variant: the year's total solid, its worst single incident dashed, targets as markers.</summary>
    /// <param name="title">The chart title.</param>
    /// <param name="quantity">What the levels measure, with its unit ("downtime of erp, hours").</param>
    /// <param name="sets">The curves (one metric), in variant order.</param>
    /// <param name="variants">The variants in order (their colours).</param>
    /// <param name="markers">Targets to draw (RTO, RPO), or none.</param>
    public static LineChart Exceedance(string title, string quantity, IReadOnlyList<ExceedanceSet> sets, IReadOnlyList<string> variants, IReadOnlyList<ChartMarker> markers)
    {
        ArgumentNullException.ThrowIfNull(sets);
        ArgumentNullException.ThrowIfNull(variants);
        long trials = sets.Count == 0 ? 1 : sets.Max(s => s.Trials);
        var series = sets.Select(s => new ChartSeries(
            variants.Count > 1 ? $"{s.Variant}: {Basis(s)}" : Basis(s),
            [.. s.Points.Where(p => p.X > 0 && p.Probability > 0).Select(p => (p.X, p.Probability))],
            Dashed: s.Metric.Kind is MetricKind.WorstDowntime or MetricKind.WorstLoss,
            Variant: Math.Max(0, variants.ToList().IndexOf(s.Variant)))).Where(s => s.Points.Count > 0).ToList();
        return new LineChart(title, quantity, ExceedanceAxis, LogX: true, LogY: true, series, markers, Steps: true)
        {
            Note = string.Create(CultureInfo.InvariantCulture, $"{trials:N0} simulated years. A curve gives, for each level, the share of years above it; it ends where no year goes higher (below about {NumberText.Display(3.0 / trials)}, 3 in {trials:N0}, at 95%)."),
        };
    }

    /// <summary>A histogram of per-incident values, five log-spaced bins per decade, one outline per variant.</summary>
    public static LineChart Histogram(string title, string quantity, IReadOnlyList<(string Variant, Sample Values)> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        const int perDecade = 5;
        var smallest = samples.Select(s => s.Values.SmallestPositive).Where(v => v is not null).Select(v => v!.Value).ToList();
        var largest = samples.Where(s => s.Values.Count > 0).Select(s => s.Values.Summary.Max).Where(v => v > 0).ToList();
        double lo = smallest.Count == 0 ? 0.1 : Math.Pow(10, Math.Floor(Math.Log10(smallest.Min())));
        double hi = largest.Count == 0 ? 1 : Math.Pow(10, Math.Ceiling(Math.Log10(largest.Max())));
        hi = hi <= lo ? lo * 10 : hi;
        int bins = (int)Math.Round(Math.Log10(hi / lo) * perDecade);
        var edges = Enumerable.Range(0, bins + 1).Select(k => lo * Math.Pow(10, k / (double)perDecade)).ToArray();
        var series = new List<ChartSeries>();
        var notes = new List<string>();
        for (int v = 0; v < samples.Count; v++)
        {
            var (variant, values) = samples[v];
            var counts = new long[bins];
            long zeros = 0;
            values.ForEachValue((x, count) =>
            {
                if (x <= 0)
                {
                    zeros += count;
                    return;
                }

                counts[Math.Clamp((int)Math.Floor(Math.Log10(x / lo) * perDecade), 0, bins - 1)] += count;
            });

            double n = Math.Max(1, values.Count);
            var points = new List<(double X, double Y)>();
            for (int b = 0; b < bins; b++)
            {
                points.Add((edges[b], counts[b] / n));
            }

            points.Add((edges[bins], counts[bins - 1] / n));
            series.Add(new ChartSeries(variant, points, Variant: v));
            notes.Add(string.Create(CultureInfo.InvariantCulture, $"{variant}: {values.Count:N0} incidents{(zeros > 0 ? $", {zeros:N0} at zero (not drawn)" : "")}"));
        }

        return new LineChart(title, quantity, "share of incidents in the bin", LogX: true, LogY: false, series, [], Steps: true)
        {
            Note = "Five bins per factor of ten. " + string.Join("; ", notes) + ".",
        };
    }

    /// <summary>Bars of a quantity by cause, largest first.</summary>
    public static BarChart Causes(string title, string valueLabel, IEnumerable<ChartBar> bars) =>
        new(title, valueLabel, [.. bars.OrderByDescending(b => b.Value)]);

    /// <summary>The paired difference of each variant with the baseline, with its 95% interval.</summary>
    public static BarChart Differences(string title, string valueLabel, IReadOnlyList<MetricComparison> rows) =>
        new(title, valueLabel, [.. rows.Where(r => r.Difference is not null).Select(r => new ChartBar(r.Variant, r.Difference!.Mean, r.Difference.CiLow, r.Difference.CiHigh))])
        {
            Note = "Mean difference per year with the baseline on the same simulated disasters, with its 95% interval: left of zero is better.",
        };

    /// <summary>The Pareto front of one pair of metrics: every variant, the non-dominated ones joined.</summary>
    public static ScatterChart Pareto(string xLabel, string yLabel, IReadOnlyList<(string Name, double X, double Y)> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        var coordinates = points.Select(p => (IReadOnlyList<double>)[p.X, p.Y]).ToList();
        var front = ParetoFront.Mark(coordinates);
        return new ScatterChart($"{yLabel} against {xLabel}", xLabel, yLabel, [.. points.Select((p, i) => new ChartPoint(p.X, p.Y, p.Name, front[i]))], "Pareto front of this pair", "dominated in this pair")
        {
            Note = "Lower is better on both axes. A variant on the front is beaten by no other on this pair of metrics.",
        };
    }

    private static string Basis(ExceedanceSet set) =>
        set.Metric.Kind is MetricKind.WorstDowntime or MetricKind.WorstLoss ? "worst incident of the year" : "total of the year";
}
