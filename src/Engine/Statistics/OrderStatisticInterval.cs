using DisasterSim.Engine.Sampling;
using MathNet.Numerics;

namespace DisasterSim.Engine.Statistics;

/// <summary>
/// The distribution-free confidence interval of a population percentile: two order statistics of the sample, whose ranks
/// come from the exact binomial distribution (Hahn, Meeker and Escobar, <i>Statistical Intervals</i>, 2nd ed., 2017, §5.2).
/// </summary>
/// <remarks>
/// <para>
/// For n independent values of one distribution F and its p-quantile Q, the number B of values at most Q is
/// Binomial(n, F(Q)). The j-th smallest value x₍ⱼ₎ (1-based) is at most Q exactly when B ≥ j, and x₍ₖ₎ is at least Q
/// when fewer than k values lie below Q. With B ~ Binomial(n, p) and a tail of t = (1 − confidence)/2 on each side, the
/// lower rank j is the largest with P(B ≤ j − 1) ≤ t and the upper rank k the smallest with P(B ≤ k − 1) ≥ 1 − t, so
/// [x₍ⱼ₎, x₍ₖ₎] covers Q with probability P(j ≤ B ≤ k − 1) ≥ confidence, for any continuous F and any n. For a
/// distribution with atoms (the many zeros of a downtime per year), each side still misses with probability at most t,
/// so the coverage is at least the confidence there too. The binomial probabilities are the regularised incomplete beta
/// function, P(B ≤ c) = I₁₋ₚ(n − c, c + 1) (MathNet.Numerics), accurate to about 10⁻⁹ relative up to 10⁹ values.
/// </para>
/// <para>
/// When no rank satisfies a side (P(B ≤ 0) = (1 − p)ⁿ &gt; t for the lower end; pⁿ &gt; t for the upper end) the
/// sample cannot bound the percentile on that side at that confidence, and that end is absent: at 95%, P99 needs 368
/// values to be bounded above, P99.9 3,688. Clamping to the sample's extremes instead would claim a confidence that
/// the data do not give.
/// </para>
/// <para>
/// From a <see cref="QuantileSketch"/> of relative accuracy α, the order statistics are known only within relative α:
/// an estimate v of x with |v − x| ≤ α|x| gives v/(1 + α) ≤ x ≤ v/(1 − α) for x &gt; 0 (mirrored for x &lt; 0). The
/// lower end is then the smallest and the upper end the largest value its order statistic can have: the interval holds
/// the exact one, so it covers at least as often, and each end lies at most a relative 2α/(1 − α) beyond the exact end
/// (the estimate's own error plus the widening: 0.2% for the default α = 0.1%). The sketch's exact extremes bound it further.
/// </para>
/// </remarks>
public static class OrderStatisticInterval
{
    /// <summary>The confidence of the percentile intervals of a <see cref="Summary"/>: 95%, that of the mean's interval.</summary>
    public const double SummaryConfidence = 0.95;

    /// <summary>Returns the 0-based ranks of the order statistics that bound the p-quantile with the given confidence.</summary>
    /// <param name="n">The number of values. Range: n ≥ 0.</param>
    /// <param name="p">The probability of the quantile. Range: 0 &lt; p &lt; 1.</param>
    /// <param name="confidence">The confidence level. Range: 0 &lt; confidence &lt; 1.</param>
    /// <returns>The ranks of the lower and upper ends; each null when the sample is too small to bound that side.</returns>
    public static (long? Low, long? High) Ranks(long n, double p, double confidence)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        Summaries.RequireProbability(p, nameof(p), inclusive: false);
        Summaries.RequireProbability(confidence, nameof(confidence), inclusive: false);
        double tail = (1 - confidence) / 2;
        if (n == 0)
        {
            return (null, null);
        }

        // P(B ≤ c) rises with c: the lower rank is the last c with P(B ≤ c) ≤ t, the upper the first with P(B ≤ c) ≥ 1 − t.
        // Both are searched outward from the normal approximation np ± z·√(np(1 − p)), then bisected: a few evaluations
        // instead of log₂ n, and the same ranks, since each is the one place where its condition changes.
        double z = StandardNormal.Quantile(1 - tail);
        double center = n * p;
        double spread = z * Math.Sqrt(center * (1 - p));
        long? low = Cdf(n, p, 0) <= tail
            ? LastWhere(n, (long)Math.Floor(center - spread) - 1, c => Cdf(n, p, c) <= tail)
            : null;
        long? high = Cdf(n, p, n - 1) < 1 - tail ? null
            : Cdf(n, p, 0) >= 1 - tail ? 0
            : LastWhere(n, (long)Math.Floor(center + spread), c => Cdf(n, p, c) < 1 - tail) + 1;
        return (low, high);
    }

    /// <summary>Returns the probability that the interval of <see cref="Ranks"/> covers the p-quantile of a continuous distribution: P(j ≤ B ≤ k − 1), an open end counting as always covering.</summary>
    /// <param name="n">The number of values. Range: n ≥ 0.</param>
    /// <param name="p">The probability of the quantile. Range: 0 &lt; p &lt; 1.</param>
    /// <param name="confidence">The confidence level. Range: 0 &lt; confidence &lt; 1.</param>
    /// <remarks>At least <paramref name="confidence"/> when both ends exist; above it by the discreteness of the ranks, little once n·min(p, 1 − p) is in the tens.</remarks>
    public static double Coverage(long n, double p, double confidence)
    {
        var (low, high) = Ranks(n, p, confidence);
        double missBelow = low is long j ? Cdf(n, p, j) : 0;
        double coverAbove = high is long k ? Cdf(n, p, k) : 1;
        return coverAbove - missBelow;
    }

    /// <summary>Returns the interval of the p-quantile from ascending <paramref name="sorted"/> values.</summary>
    /// <param name="sorted">Values in ascending order; an empty span gives an interval open at both ends.</param>
    /// <param name="p">The probability of the quantile. Range: 0 &lt; p &lt; 1.</param>
    /// <param name="confidence">The confidence level. Range: 0 &lt; confidence &lt; 1.</param>
    public static PercentileInterval FromSorted(ReadOnlySpan<double> sorted, double p, double confidence)
    {
        var (low, high) = Ranks(sorted.Length, p, confidence);
        return new PercentileInterval(low is long j ? sorted[(int)j] : null, high is long k ? sorted[(int)k] : null);
    }

    /// <summary>Returns the interval of the p-quantile of the values counted in <paramref name="sketch"/>, widened by its relative error.</summary>
    /// <param name="sketch">The sketch of all the values; an empty one gives an interval open at both ends.</param>
    /// <param name="p">The probability of the quantile. Range: 0 &lt; p &lt; 1.</param>
    /// <param name="confidence">The confidence level. Range: 0 &lt; confidence &lt; 1.</param>
    /// <remarks>Contains the exact interval of the same values (up to 10⁻¹² absolute for values the sketch counts as zero), so it covers at least as often.</remarks>
    public static PercentileInterval FromSketch(QuantileSketch sketch, double p, double confidence)
    {
        ArgumentNullException.ThrowIfNull(sketch);
        var (low, high) = Ranks(sketch.Count, p, confidence);
        double alpha = sketch.RelativeAccuracy;
        double? lowValue = null;
        double? highValue = null;
        if (low is long j)
        {
            double v = sketch.ValueAtRank(j);
            lowValue = Math.Max(sketch.Min, v >= 0 ? v / (1 + alpha) : v / (1 - alpha));
        }

        if (high is long k)
        {
            double v = sketch.ValueAtRank(k);
            highValue = Math.Min(sketch.Max, v >= 0 ? v / (1 - alpha) : v / (1 + alpha));
        }

        return new PercentileInterval(lowValue, highValue);
    }

    /// <summary>The ranks of the intervals of every percentile a <see cref="Summary"/> reports, in its order.</summary>
    internal static (long? Low, long? High)[] SummaryRanks(long n) =>
        [.. Summaries.SummaryProbabilities.Select(p => Ranks(n, p, SummaryConfidence))];

    // The last c in [0, n − 1] for which holds(c), given holds(0) and that holds is true up to some c and false after:
    // galloping from the guess (steps 1, 2, 4, …) until the change is bracketed, then bisecting the bracket.
    private static long LastWhere(long n, long guess, Func<long, bool> holds)
    {
        long below;
        long above;
        long at = Math.Clamp(guess, 0, n - 1);
        if (holds(at))
        {
            below = at;
            for (long step = 1; ; step *= 2)
            {
                above = below + step;
                if (above > n - 1)
                {
                    above = n;
                    break;
                }

                if (!holds(above))
                {
                    break;
                }

                below = above;
            }
        }
        else
        {
            above = at;
            for (long step = 1; ; step *= 2)
            {
                below = above - step;
                if (below <= 0)
                {
                    below = 0;
                    break;
                }

                if (holds(below))
                {
                    break;
                }

                above = below;
            }
        }

        // holds(below), and above is n or !holds(above).
        while (above - below > 1)
        {
            long middle = below + ((above - below) / 2);
            if (holds(middle))
            {
                below = middle;
            }
            else
            {
                above = middle;
            }
        }

        return below;
    }

    // P(B ≤ c) for B ~ Binomial(n, p) and 0 ≤ c < n.
    private static double Cdf(long n, double p, long c) => SpecialFunctions.BetaRegularized(n - c, c + 1, 1 - p);
}
