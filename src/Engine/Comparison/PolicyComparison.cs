using DisasterSim.Engine.MonteCarlo;
using DisasterSim.Engine.Statistics;

namespace DisasterSim.Engine.Comparison;

/// <summary>One variant's run, under its label.</summary>
/// <param name="Name">The label.</param>
/// <param name="Result">Its run, on the same seed and trials as the others.</param>
public sealed record VariantResult(string Name, RunResult Result)
{
    private readonly Dictionary<Metric, Sample> _made = [];

    /// <summary>Gets the values of the metrics collected while the variant ran (<see cref="VariantCollectors"/>); empty for a run that kept its records instead.</summary>
    public IReadOnlyDictionary<Metric, Sample> Samples { get; init; } = new Dictionary<Metric, Sample>();

    /// <summary>Gets the paired differences with the first variant collected while the variants ran, per metric; null when none were collected (they are then computed from the kept records).</summary>
    public IReadOnlyDictionary<Metric, PairedDifference>? Differences { get; init; }

    /// <summary>Gets the values of <paramref name="metric"/>: those collected, or those of the kept records.</summary>
    /// <exception cref="InvalidOperationException">The metric was not collected and the run kept no records.</exception>
    public Sample SampleOf(Metric metric, ICostModel costs)
    {
        ArgumentNullException.ThrowIfNull(metric);
        if (Samples.TryGetValue(metric, out var sample) || _made.TryGetValue(metric, out sample))
        {
            return sample;
        }

        if (Result.Records is null)
        {
            throw new InvalidOperationException($"Variant {Name}: the metric {metric} was not collected during the run and the run kept no records.");
        }

        return _made[metric] = Sample.Of(metric.Values(Result, costs));
    }
}

/// <summary>One metric of one variant, with its comparison with the baseline (the first variant).</summary>
/// <param name="Metric">The metric.</param>
/// <param name="Variant">The variant's label.</param>
/// <param name="Summary">Mean, percentiles and the rest of the variant's values.</param>
/// <param name="P95Ci">Distribution-free 95% interval of the 95th percentile (order statistics).</param>
/// <param name="P99Ci">Distribution-free 95% interval of the 99th percentile.</param>
/// <param name="TailValueAtRisk95">Mean of the worst 5% of values.</param>
/// <param name="TailValueAtRisk99">Mean of the worst 1% of values.</param>
/// <param name="Difference">The paired difference with the baseline; null for the baseline itself and for per-incident metrics, which cannot be paired.</param>
/// <param name="HolmPValue">The Holm-adjusted p-value over this metric's comparisons; null when <paramref name="Difference"/> is.</param>
public sealed record MetricComparison(
    Metric Metric,
    string Variant,
    Summary Summary,
    (double Low, double High) P95Ci,
    (double Low, double High) P99Ci,
    double TailValueAtRisk95,
    double TailValueAtRisk99,
    PairedDifference? Difference,
    double? HolmPValue)
{
    /// <summary>The family-wise significance level used for <see cref="Significant"/>.</summary>
    public const double Alpha = 0.05;

    /// <summary>Gets whether the difference with the baseline is significant at 5% after Holm's correction.</summary>
    public bool? Significant => HolmPValue is double p ? p <= Alpha : null;
}

/// <summary>Compares variants run on common random numbers, metric by metric.</summary>
public static class PolicyComparison
{
    /// <summary>The metrics compared by default: per service and per data set, per trial and per incident, then cost if asked.</summary>
    /// <param name="result">A run of the scenario (for its services and data sets).</param>
    /// <param name="withCost">Whether to add the cost per trial (pointless while every cost is zero).</param>
    public static IReadOnlyList<Metric> DefaultMetrics(RunResult result, bool withCost = false)
    {
        ArgumentNullException.ThrowIfNull(result);
        return DefaultMetrics(result.Scenario, withCost);
    }

    /// <summary>The metrics compared by default for <paramref name="scenario"/>: per service and per data set, per trial and per incident, then cost if asked.</summary>
    public static IReadOnlyList<Metric> DefaultMetrics(Models.Scenario scenario, bool withCost = false)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        var metrics = new List<Metric>();
        foreach (var s in scenario.Services)
        {
            metrics.Add(new Metric(MetricKind.Downtime, s.Name));
            metrics.Add(new Metric(MetricKind.WorstDowntime, s.Name));
            metrics.Add(new Metric(MetricKind.Rto, s.Name));
        }

        foreach (var d in scenario.DataSets)
        {
            metrics.Add(new Metric(MetricKind.Loss, d.Name));
            metrics.Add(new Metric(MetricKind.LossGb, d.Name));
            metrics.Add(new Metric(MetricKind.WorstLoss, d.Name));
            metrics.Add(new Metric(MetricKind.Rpo, d.Name));
        }

        if (withCost)
        {
            metrics.Add(new Metric(MetricKind.Cost));
        }

        return metrics;
    }

    /// <summary>Compares every variant with the first, for each metric; rows by metric, then variant.</summary>
    /// <param name="variants">The variants; the first is the baseline. All must have the same trial count and seed.</param>
    /// <param name="metrics">The metrics to compare.</param>
    /// <param name="costs">The cost model.</param>
    public static IReadOnlyList<MetricComparison> Compare(IReadOnlyList<VariantResult> variants, IReadOnlyList<Metric> metrics, ICostModel costs)
    {
        ArgumentNullException.ThrowIfNull(variants);
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(costs);
        if (variants.Count == 0)
        {
            throw new ArgumentException("Nothing to compare: give at least one variant.", nameof(variants));
        }

        var first = variants[0].Result.Options;
        foreach (var v in variants)
        {
            if (v.Result.Options.Trials != first.Trials || v.Result.Options.Seed != first.Seed)
            {
                throw new ArgumentException($"Variant '{v.Name}' ran {v.Result.Options.Trials} trials with seed {v.Result.Options.Seed}, the baseline {first.Trials} with seed {first.Seed}; common random numbers need the same.", nameof(variants));
            }
        }

        var rows = new List<MetricComparison>();
        foreach (var metric in metrics)
        {
            var samples = variants.Select(v => v.SampleOf(metric, costs)).ToList();
            var differences = new PairedDifference?[variants.Count];
            if (metric.PerTrial && samples[0].Count >= 2)
            {
                double[]? baseline = null;
                for (int v = 1; v < variants.Count; v++)
                {
                    if (variants[v].Differences is { } streamed)
                    {
                        differences[v] = streamed.GetValueOrDefault(metric);
                    }
                    else
                    {
                        baseline ??= metric.Values(variants[0].Result, costs);
                        differences[v] = PairedDifference.Compute(baseline, metric.Values(variants[v].Result, costs));
                    }
                }
            }

            var tested = Enumerable.Range(0, variants.Count).Where(v => differences[v] is not null).ToList();
            var adjusted = Holm.Adjust(tested.Select(v => differences[v]!.PValue).ToList());
            for (int v = 0; v < variants.Count; v++)
            {
                int at = tested.IndexOf(v);
                var sample = samples[v];
                rows.Add(new MetricComparison(
                    metric,
                    variants[v].Name,
                    sample.Summary,
                    sample.PercentileConfidenceInterval(0.95, 0.95),
                    sample.PercentileConfidenceInterval(0.99, 0.95),
                    sample.TailValueAtRisk(0.95),
                    sample.TailValueAtRisk(0.99),
                    differences[v],
                    at < 0 ? null : adjusted[at]));
            }
        }

        return rows;
    }
}
