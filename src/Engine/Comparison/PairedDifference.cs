using MathNet.Numerics.Distributions;

namespace DisasterSim.Engine.Comparison;

/// <summary>The paired difference of a metric between a variant and the baseline over the same trials.</summary>
/// <param name="Count">Number of pairs (trials).</param>
/// <param name="Mean">Mean of variant − baseline.</param>
/// <param name="StdDev">Standard deviation of the differences (n − 1).</param>
/// <param name="CiLow">Lower end of the 95% confidence interval of <paramref name="Mean"/>.</param>
/// <param name="CiHigh">Upper end of the 95% confidence interval of <paramref name="Mean"/>.</param>
/// <param name="PValue">Two-sided p-value of "the mean difference is zero" (paired t test).</param>
/// <param name="ShareBetter">Share of trials in which the variant is lower (better) than the baseline.</param>
/// <param name="ShareWorse">Share of trials in which the variant is higher (worse) than the baseline.</param>
public sealed record PairedDifference(long Count, double Mean, double StdDev, double CiLow, double CiHigh, double PValue, double ShareBetter, double ShareWorse)
{
    /// <summary>Compares <paramref name="variant"/> with <paramref name="baseline"/>, trial by trial.</summary>
    /// <param name="baseline">Per-trial values of the baseline, in trial order.</param>
    /// <param name="variant">Per-trial values of the variant over the same trials. Range: same length, at least 2.</param>
    /// <remarks>The statistics of <see cref="PairedDifferenceAccumulator"/> fed the pairs in order.</remarks>
    public static PairedDifference Compute(ReadOnlySpan<double> baseline, ReadOnlySpan<double> variant)
    {
        if (baseline.Length != variant.Length)
        {
            throw new ArgumentException($"Paired samples must have the same length: {baseline.Length} and {variant.Length} trials; run every variant with the same trial count.", nameof(variant));
        }

        var accumulator = new PairedDifferenceAccumulator();
        accumulator.Add(baseline, variant);
        return accumulator.Result();
    }
}

/// <summary>The paired difference of a metric between a variant and the baseline, accumulated pair by pair in trial order: a comparison of any length in constant memory.</summary>
/// <remarks>
/// Common random numbers make the pairs positively correlated, so the variance of the differences is
/// far smaller than that of either run (Law, ch. 10-11). The mean of dᵢ = variant − baseline is a
/// Neumaier-compensated sum divided by n; the standard deviation comes from Welford's one-pass update, exact (0)
/// when the differences are all equal. The interval is d̄ ± t(0.975, n − 1)·s_d/√n; the p-value is
/// 2·(1 − T(|d̄|/(s_d/√n); n − 1)). Differences that are all equal give an interval of zero width and a p-value
/// of 1 if they are zero, 0 otherwise. The result depends only on the pairs and their order, not on how they
/// were handed over. Not thread-safe.
/// </remarks>
public sealed class PairedDifferenceAccumulator
{
    private long _count;
    private long _better;
    private long _worse;
    private double _sum;
    private double _compensation;
    private double _welfordMean;
    private double _welfordM2;

    /// <summary>Gets the number of pairs added.</summary>
    public long Count => _count;

    /// <summary>Adds the pairs of one trial range, in trial order.</summary>
    /// <param name="baseline">The baseline's values.</param>
    /// <param name="variant">The variant's values of the same trials. Range: same length.</param>
    public void Add(ReadOnlySpan<double> baseline, ReadOnlySpan<double> variant)
    {
        if (baseline.Length != variant.Length)
        {
            throw new ArgumentException($"Paired samples must have the same length: {baseline.Length} and {variant.Length} trials; run every variant with the same trial count.", nameof(variant));
        }

        for (int i = 0; i < baseline.Length; i++)
        {
            double d = variant[i] - baseline[i];
            _count++;
            _better += d < 0 ? 1 : 0;
            _worse += d > 0 ? 1 : 0;
            Statistics.Summaries.Neumaier(ref _sum, ref _compensation, d);
            double delta = d - _welfordMean;
            _welfordMean += delta / _count;
            _welfordM2 += delta * (d - _welfordMean);
        }
    }

    /// <summary>Returns the statistics of the pairs so far.</summary>
    /// <exception cref="InvalidOperationException">Fewer than 2 pairs.</exception>
    public PairedDifference Result()
    {
        long n = _count;
        if (n < 2)
        {
            throw new InvalidOperationException("A paired comparison needs at least 2 trials.");
        }

        double mean = (_sum + _compensation) / n;
        double sd = Math.Sqrt(Math.Max(0, _welfordM2) / (n - 1));
        double se = sd / Math.Sqrt(n);
        double t = StudentT.InvCDF(0, 1, n - 1, 0.975);
        double p;
        if (se == 0)
        {
            p = mean == 0 ? 1 : 0;
        }
        else
        {
            p = 2 * (1 - StudentT.CDF(0, 1, n - 1, Math.Abs(mean) / se));
        }

        return new PairedDifference(n, mean, sd, mean - (t * se), mean + (t * se), Math.Clamp(p, 0, 1), _better / (double)n, _worse / (double)n);
    }

    /// <summary>Returns the one-sided upper confidence bound of the mean difference at <paramref name="confidence"/>, with Student's t (+∞ before 2 pairs).</summary>
    /// <param name="confidence">Range: 0.5 ≤ confidence &lt; 1.</param>
    public double UpperBound(double confidence)
    {
        if (_count < 2)
        {
            return double.PositiveInfinity;
        }

        double mean = (_sum + _compensation) / _count;
        return mean + (mean - LowerBound(confidence));
    }

    /// <summary>Returns the one-sided lower confidence bound of the mean difference at <paramref name="confidence"/>, with Student's t (−∞ before 2 pairs).</summary>
    /// <param name="confidence">Range: 0.5 ≤ confidence &lt; 1.</param>
    public double LowerBound(double confidence)
    {
        if (_count < 2)
        {
            return double.NegativeInfinity;
        }

        double mean = (_sum + _compensation) / _count;
        double se = Math.Sqrt(Math.Max(0, _welfordM2) / (_count - 1)) / Math.Sqrt(_count);
        return se == 0 ? mean : mean - (StudentT.InvCDF(0, 1, _count - 1, confidence) * se);
    }
}

/// <summary>Multiple-comparison correction: Holm's step-down version of Bonferroni.</summary>
/// <remarks>
/// Comparing k variants with a baseline at 5% each would find a "significant" difference by chance
/// far more often than 5% of the time. Holm (1979) keeps the family-wise error rate at α without
/// assuming independence and rejects at least as often as plain Bonferroni: sort the m p-values,
/// p₍ᵢ₎ is adjusted to maxⱼ≤ᵢ min(1, (m − j + 1)·p₍ⱼ₎), and a comparison is significant when its
/// adjusted p-value is at most α.
/// </remarks>
public static class Holm
{
    /// <summary>Returns the Holm-adjusted p-values, in the order given.</summary>
    public static double[] Adjust(IReadOnlyList<double> pValues)
    {
        ArgumentNullException.ThrowIfNull(pValues);
        int m = pValues.Count;
        var order = Enumerable.Range(0, m).OrderBy(i => pValues[i]).ThenBy(i => i).ToArray();
        var adjusted = new double[m];
        double running = 0;
        for (int rank = 0; rank < m; rank++)
        {
            int i = order[rank];
            running = Math.Max(running, Math.Min(1, (m - rank) * pValues[i]));
            adjusted[i] = running;
        }

        return adjusted;
    }
}
