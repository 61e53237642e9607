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
    /// <remarks>
    /// Common random numbers make the pairs positively correlated, so the variance of the differences is
    /// far smaller than that of either run (Law, ch. 10-11). The interval is d̄ ± t(0.975, n − 1)·s_d/√n;
    /// the p-value is 2·(1 − T(|d̄|/(s_d/√n); n − 1)). Differences that are all equal give an interval of
    /// zero width and a p-value of 1 if they are zero, 0 otherwise.
    /// </remarks>
    public static PairedDifference Compute(ReadOnlySpan<double> baseline, ReadOnlySpan<double> variant)
    {
        if (baseline.Length != variant.Length)
        {
            throw new ArgumentException($"Paired samples must have the same length: {baseline.Length} and {variant.Length} trials; run every variant with the same trial count.", nameof(variant));
        }

        int n = baseline.Length;
        if (n < 2)
        {
            throw new ArgumentException("A paired comparison needs at least 2 trials.", nameof(baseline));
        }

        double sum = 0;
        int better = 0;
        int worse = 0;
        for (int i = 0; i < n; i++)
        {
            double d = variant[i] - baseline[i];
            sum += d;
            better += d < 0 ? 1 : 0;
            worse += d > 0 ? 1 : 0;
        }

        double mean = sum / n;
        double squares = 0;
        for (int i = 0; i < n; i++)
        {
            double dx = variant[i] - baseline[i] - mean;
            squares += dx * dx;
        }

        double sd = Math.Sqrt(squares / (n - 1));
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

        return new PairedDifference(n, mean, sd, mean - (t * se), mean + (t * se), Math.Clamp(p, 0, 1), better / (double)n, worse / (double)n);
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
