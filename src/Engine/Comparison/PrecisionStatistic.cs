using DisasterSim.Engine.MonteCarlo;
using DisasterSim.Engine.Statistics;

namespace DisasterSim.Engine.Comparison;

/// <summary>The statistic whose precision a run waits for: a metric's mean or one of the percentiles a summary reports, such as <c>downtime.p99</c>.</summary>
/// <param name="Metric">The metric.</param>
/// <param name="Statistic">The mean, or P50, P90, P95, P99 or P99.9.</param>
public sealed record PrecisionStatistic(Metric Metric, Statistic Statistic)
{
    /// <summary>Parses <c>METRIC</c> (its mean) or <c>METRIC.STATISTIC</c>: <c>downtime</c>, <c>loss[erp-db].mean</c>, <c>rto.p99</c>; throws <see cref="FormatException"/>.</summary>
    public static PrecisionStatistic Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string t = text.Trim();
        int bracket = t.IndexOf(']', StringComparison.Ordinal);
        int dot = t.IndexOf('.', Math.Max(0, bracket));
        var metric = Metric.Parse(dot < 0 ? t : t[..dot]);
        var statistic = dot < 0 ? new Statistic((double?)null) : Statistic.Parse(t[(dot + 1)..]);
        if (statistic.Percentile is double p && !Summaries.SummaryProbabilities.Contains(p))
        {
            throw new FormatException($"'{text}': {statistic} has no interval in the summary; use mean, p50, p90, p95, p99 or p99.9.");
        }

        return new PrecisionStatistic(metric, statistic);
    }

    /// <summary>Returns the statistic's estimate in <paramref name="summary"/> and the half-width of its 95% interval: for a percentile, half the distance between the ends; null when an end is open.</summary>
    public (double Estimate, double? HalfWidth) Evaluate(Summary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        if (Statistic.Percentile is not double p)
        {
            return (summary.Mean, (summary.MeanCiHigh - summary.MeanCiLow) / 2);
        }

        var percentile = summary.Percentiles.Single(x => x.Probability == p);
        return percentile.Interval is { Low: double low, High: double high }
            ? (percentile.Value, (high - low) / 2)
            : (percentile.Value, null);
    }

    /// <summary>Gets whether <paramref name="summary"/> (of two values at least) knows the statistic as precisely as <paramref name="target"/> asks: its half-width within the target, relative to the estimate or absolute.</summary>
    public bool IsPrecise(Summary summary, PrecisionTarget target)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var (estimate, halfWidth) = Evaluate(summary);
        return summary.Count >= 2 && halfWidth is double h && PrecisionRunner.IsPrecise(h, estimate, target);
    }

    /// <inheritdoc/>
    public override string ToString() => Metric + "." + Statistic;
}
