using System.Globalization;
using DisasterSim.Cli.Output;
using DisasterSim.Engine.Comparison;
using DisasterSim.Engine.Statistics;

namespace DisasterSim.Cli.Charts;

/// <summary>The charts of compare, sweep and batch: exceedance curves, incident histograms and the cost-risk scatter.</summary>
public static class RiskCharts
{
    /// <summary>Exceedance curves of every variant overlaid: the year's total solid, its worst single incident dashed.</summary>
    /// <param name="title">The chart title.</param>
    /// <param name="quantity">What the levels measure, with its unit ("downtime (hours)").</param>
    /// <param name="sets">The curves of one metric and entity, aggregate and occurrence for each variant.</param>
    public static string Exceedance(string title, string quantity, IReadOnlyList<ExceedanceSet> sets)
    {
        ArgumentNullException.ThrowIfNull(sets);
        var xs = sets.SelectMany(s => s.Points).Where(p => p.Probability > 0).Select(p => p.X).ToList();
        var ys = sets.SelectMany(s => s.Points).Where(p => p.Probability > 0).Select(p => p.Probability).ToList();

        // The smallest probability a run can show is 1/N; the axis ends below it, so a single year above a level stays visible.
        long trials = sets.Count == 0 ? 1 : sets.Max(s => s.Trials);
        var x = Axis.Fit(quantity, xs.Count == 0 ? [1] : xs);
        var y = new Axis("probability per year of exceeding the level", Math.Pow(10, Math.Floor(Math.Log10(0.5 / trials))), 1, true);
        var chart = new SvgChart(title, x, y) { LegendLowerLeft = true };
        chart.Note(string.Create(CultureInfo.InvariantCulture, $"Solid: the year's total; dashed: the year's worst single incident. {trials:N0} simulated years; a curve ends where no year exceeds the level (below about 3/{trials:N0} at 95%). Identical variants draw one curve."));
        var variants = sets.Select(s => s.Variant).Distinct().ToList();
        foreach (var set in sets)
        {
            string color = SvgChart.Palette[variants.IndexOf(set.Variant) % SvgChart.Palette.Count];
            bool occurrence = set.Basis == "occurrence";
            string name = set.Variant + (occurrence ? " (worst incident)" : " (year total)");
            chart.Line(new Series(name, set.Points.Select(p => (p.X, p.Probability)).ToList()), color, step: true, dashed: occurrence);
        }

        return chart.Render();
    }

    /// <summary>Histogram of per-incident values of every variant, as outlines over log-spaced bins.</summary>
    /// <param name="title">The chart title.</param>
    /// <param name="quantity">What the values measure, with its unit.</param>
    /// <param name="samples">Each variant's per-incident values.</param>
    public static string Histogram(string title, string quantity, IReadOnlyList<(string Variant, Sample Values)> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        const int perDecade = 5;
        var smallest = samples.Select(s => s.Values.SmallestPositive).OfType<double>().ToList();
        double lo = smallest.Count == 0 ? 0.1 : Math.Pow(10, Math.Floor(Math.Log10(smallest.Min())));
        double hi = smallest.Count == 0 ? 1 : Math.Pow(10, Math.Ceiling(Math.Log10(samples.Where(s => s.Values.SmallestPositive is not null).Max(s => s.Values.Summary.Max))));
        if (hi <= lo)
        {
            hi = lo * 10;
        }

        int bins = (int)Math.Round(Math.Log10(hi / lo) * perDecade);
        var edges = Enumerable.Range(0, bins + 1).Select(k => lo * Math.Pow(10, k / (double)perDecade)).ToArray();
        var series = new List<(string Variant, List<(double X, double Y)> Points, long Zeros, long Count)>();
        double top = 0;
        foreach (var (variant, values) in samples)
        {
            var counts = new long[bins];
            long zeros = 0;
            values.ForEachValue((v, count) =>
            {
                if (v <= 0)
                {
                    zeros += count;
                    return;
                }

                int bin = Math.Clamp((int)Math.Floor(Math.Log10(v / lo) * perDecade), 0, bins - 1);
                counts[bin] += count;
            });

            double n = Math.Max(1, values.Count);
            var points = new List<(double X, double Y)>();
            for (int b = 0; b < bins; b++)
            {
                points.Add((edges[b], counts[b] / n));
                points.Add((edges[b + 1], counts[b] / n));
                top = Math.Max(top, counts[b] / n);
            }

            series.Add((variant, points, zeros, values.Count));
        }

        var x = new Axis(quantity, lo, hi, true);
        var y = Axis.Fit("share of incidents in the bin (5 bins per decade)", [0, top], allowLog: false);
        var chart = new SvgChart(title, x, y);
        chart.Note(string.Join("; ", series.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Variant}: {s.Count:N0} incidents ({s.Zeros:N0} at zero, not shown)"))));
        for (int i = 0; i < series.Count; i++)
        {
            chart.Line(new Series(series[i].Variant, series[i].Points), SvgChart.Palette[i % SvgChart.Palette.Count]);
        }

        return chart.Render();
    }

    /// <summary>The sweep's scatter: protection cost (or the first risk when nothing costs anything) against risk, the Pareto front filled and joined.</summary>
    public static string Sweep(IReadOnlyList<SweepPoint> points, IReadOnlyList<RiskMeasure> risks)
    {
        ArgumentNullException.ThrowIfNull(points);
        ArgumentNullException.ThrowIfNull(risks);
        bool costs = points.Any(p => p.AnnualProtectionCost != 0);
        Func<SweepPoint, double> fx = costs ? p => p.AnnualProtectionCost : p => p.Risks[0];
        int yi = costs ? 0 : Math.Min(1, risks.Count - 1);
        Func<SweepPoint, double> fy = p => p.Risks[yi];
        string xLabel = costs ? "annual protection cost" : risks[0].Describe();
        string yLabel = risks[yi].Describe();
        var x = Axis.Fit(xLabel, points.Select(fx), allowLog: points.All(p => fx(p) > 0));
        var y = Axis.Fit(yLabel, points.Select(fy), allowLog: points.All(p => fy(p) > 0));
        string title = costs ? "Protection cost against risk" : "Risk of each variant (no costs in the scenario yet)";
        var chart = new SvgChart(title, x, y);
        chart.Note($"Pareto front over protection cost and {string.Join(", ", risks)}: no other variant is better in all.");
        chart.Scatter(points.Select(p => new ScatterPoint(fx(p), fy(p), p.Variant.Name, p.OnParetoFront)).ToList(), SvgChart.Palette[0], "on the Pareto front", "dominated");
        return chart.Render();
    }
}
