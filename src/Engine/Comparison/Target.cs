using System.Globalization;
using DisasterSim.Engine.Statistics;
using DisasterSim.Models;
using MathNet.Numerics.Distributions;

namespace DisasterSim.Engine.Comparison;

/// <summary>A requirement on a statistic of a metric, such as <c>rto.p95&lt;=4h</c>.</summary>
/// <param name="Text">The target as written.</param>
/// <param name="Metric">The metric.</param>
/// <param name="Statistic">The mean or a percentile.</param>
/// <param name="Threshold">The largest acceptable value, in the metric's unit (hours for durations).</param>
public sealed record Target(string Text, Metric Metric, Statistic Statistic, double Threshold)
{
    /// <summary>Parses <c>METRIC.STATISTIC&lt;=VALUE</c> (<c>&lt;</c> is read as <c>&lt;=</c>); durations need a unit (4h, 30m). Throws <see cref="FormatException"/>.</summary>
    public static Target Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string t = text.Trim();
        int op = t.IndexOf('<', StringComparison.Ordinal);
        if (op < 0)
        {
            throw new FormatException($"target '{text}' has no '<='; write for example rto.p95<=4h or loss.mean<=30m.");
        }

        string left = t[..op].Trim();
        string right = t[(op + 1)..].TrimStart('=').Trim();
        int bracket = left.IndexOf(']', StringComparison.Ordinal);
        int dot = left.IndexOf('.', Math.Max(0, bracket));
        if (dot < 0)
        {
            throw new FormatException($"target '{text}': '{left}' has no statistic; write METRIC.STATISTIC, for example rto.p95 or downtime.mean.");
        }

        Metric metric;
        Statistic statistic;
        try
        {
            metric = Metric.Parse(left[..dot]);
            statistic = Statistic.Parse(left[(dot + 1)..]);
        }
        catch (FormatException e)
        {
            throw new FormatException($"target '{text}': {e.Message}", e);
        }

        double threshold;
        if (metric.Unit == "hours")
        {
            if (!DurationText.TryParseHours(right, out threshold))
            {
                throw new FormatException($"target '{text}': '{right}' is not a duration; write it with a unit, such as 4h, 30m or 1d.");
            }
        }
        else if (!double.TryParse(right, NumberStyles.Float, CultureInfo.InvariantCulture, out threshold) || !double.IsFinite(threshold))
        {
            throw new FormatException($"target '{text}': '{right}' is not a number.");
        }

        return new Target(t, metric, statistic, threshold);
    }

    /// <summary>Evaluates the target on a variant's values of its metric.</summary>
    public TargetOutcome Evaluate(Sample values)
    {
        ArgumentNullException.ThrowIfNull(values);
        double estimate = Statistic.Evaluate(values);
        return new TargetOutcome(this, estimate, estimate <= Threshold, Confidence(values));
    }

    /// <summary>The confidence that the true statistic is at most the threshold, given a sample.</summary>
    public double Confidence(double[] values) => Confidence(Sample.Of(values));

    /// <summary>The confidence that the true statistic is at most the threshold, given a sample.</summary>
    /// <remarks>
    /// For a percentile p, distribution-free: with k of the n values at most the threshold, k is
    /// Binomial(n, F(threshold)), and the confidence that F(threshold) ≥ p (the p-quantile is within the
    /// threshold) is 1 − P(Binomial(n, p) ≥ k) = P(Binomial(n, p) ≤ k − 1). For the mean, the normal
    /// approximation Φ((threshold − mean)/(s/√n)). An empty sample (no incident) meets any target: 1.
    /// Past the exact budget k comes from the sample's quantile sketch (values in the threshold's bucket are counted by the bucket's representative).
    /// </remarks>
    public double Confidence(Sample values)
    {
        ArgumentNullException.ThrowIfNull(values);
        long n = values.Count;
        return Confidence(n, values.CountAtMost(Threshold), values.Summary.Mean, values.Summary.StdDev);
    }

    /// <summary>The confidence that the true statistic is at most the threshold, from the counts and moments of a sample (see <see cref="Confidence(Sample)"/>).</summary>
    /// <param name="count">The number of values. Range: ≥ 0.</param>
    /// <param name="atMost">How many of them are at most the threshold.</param>
    /// <param name="mean">Their mean.</param>
    /// <param name="stdDev">Their standard deviation (n − 1).</param>
    public double Confidence(long count, long atMost, double mean, double stdDev)
    {
        if (count == 0)
        {
            return 1;
        }

        if (Statistic.Percentile is double p)
        {
            return atMost == 0 ? 0 : Binomial.CDF(p, (int)Math.Min(count, int.MaxValue), atMost - 1);
        }

        double se = stdDev / Math.Sqrt(count);
        if (se == 0)
        {
            return mean <= Threshold ? 1 : 0;
        }

        return Normal.CDF(0, 1, (Threshold - mean) / se);
    }
}

/// <summary>A target's running tally over a variant's values as they come: their count, how many are within the threshold, their mean and spread; for a race's looks between rounds.</summary>
/// <param name="target">The target tallied.</param>
public sealed class TargetTally(Target target)
{
    private long _count;
    private long _atMost;
    private double _sum;
    private double _compensation;
    private double _welfordMean;
    private double _welfordM2;

    /// <summary>Gets the target.</summary>
    public Target Target { get; } = target;

    /// <summary>Adds the next values, in order.</summary>
    public void Add(ReadOnlySpan<double> values)
    {
        foreach (double x in values)
        {
            _count++;
            _atMost += x <= Target.Threshold ? 1 : 0;
            Statistics.Summaries.Neumaier(ref _sum, ref _compensation, x);
            double delta = x - _welfordMean;
            _welfordMean += delta / _count;
            _welfordM2 += delta * (x - _welfordMean);
        }
    }

    /// <summary>Gets the confidence that the target holds, from the values so far (<see cref="Target.Confidence(long, long, double, double)"/>).</summary>
    public double Confidence => Target.Confidence(
        _count,
        _atMost,
        _count == 0 ? 0 : (_sum + _compensation) / _count,
        _count < 2 ? 0 : Math.Sqrt(Math.Max(0, _welfordM2) / (_count - 1)));
}

/// <summary>How a run fares against one target.</summary>
/// <param name="Target">The target.</param>
/// <param name="Estimate">The statistic's estimate.</param>
/// <param name="Met">Whether the estimate is within the threshold.</param>
/// <param name="Confidence">The confidence that the true value is within the threshold.</param>
public sealed record TargetOutcome(Target Target, double Estimate, bool Met, double Confidence)
{
    /// <summary>The joint confidence that every target holds: the Bonferroni bound 1 − Σ(1 − cᵢ), at least 0.</summary>
    public static double JointConfidence(IEnumerable<TargetOutcome> outcomes)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        return Math.Max(0, 1 - outcomes.Sum(o => 1 - o.Confidence));
    }
}
