using System.Numerics;
using System.Runtime.CompilerServices;
using DisasterSim.Engine.Sampling;

namespace DisasterSim.Engine.Statistics;

/// <summary>Descriptive statistics and confidence intervals of Monte Carlo outputs.</summary>
/// <remarks>
/// Percentiles follow Hyndman and Fan's type 7 (linear interpolation between order statistics; the default
/// of Excel's PERCENTILE.INC, numpy and R): for sorted x₀ ≤ … ≤ xₙ₋₁ and h = (n − 1)·p,
/// Q(p) = x⌊h⌋ + (h − ⌊h⌋)·(x⌊h⌋+1 − x⌊h⌋). Pure functions; thread-safe.
/// </remarks>
public static class Summaries
{
    /// <summary>The standard normal quantile at 0.975, for 95% intervals.</summary>
    public const double Z975 = 1.959963984540054;

    // The percentiles a Summary reports, in the order of its fields.
    internal static readonly double[] SummaryProbabilities = [0.50, 0.90, 0.95, 0.99, 0.999];

    /// <summary>Summarises <paramref name="values"/>, given in trial order.</summary>
    /// <param name="values">The values; NaN is rejected. An empty array gives all zeros with Count 0.</param>
    public static Summary Summarize(double[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return Summarize(values.AsSpan());
    }

    /// <summary>Summarises <paramref name="values"/>, given in trial order.</summary>
    /// <param name="values">The values; NaN is rejected. An empty span gives all zeros with Count 0.</param>
    /// <remarks>
    /// Mean and standard deviation are summed in input order with Neumaier compensation, so the result
    /// is deterministic and accurate to a few ulps; the standard deviation uses n − 1 (0 for n &lt; 2);
    /// the 95% interval of the mean is mean ± 1.96·s/√n (the normal approximation, [mean, mean] for n &lt; 2).
    /// </remarks>
    public static Summary Summarize(ReadOnlySpan<double> values)
    {
        int n = values.Length;
        if (n == 0)
        {
            return new Summary(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        }

        (double mean, double stdDev, int nonZero) = Moments(values, nameof(values));
        double[] sorted = values.ToArray();
        Array.Sort(sorted);
        return FromOrdered(sorted, mean, stdDev, nonZero, OrderStatisticInterval.SummaryRanks(n));
    }

    /// <summary>Summarises <paramref name="values"/>, given in trial order, reordering them in place instead of sorting a copy.</summary>
    /// <param name="values">The values; NaN is rejected before anything is moved. An empty span gives all zeros with Count 0.</param>
    /// <remarks>
    /// Returns the same <see cref="Summary"/> as <see cref="Summarize(ReadOnlySpan{double})"/>, bit for bit: the
    /// moments are computed first, in input order, by the same code; then only the order statistics that the
    /// percentiles and the maximum read (at most 11 ranks) are put in place by successive selection on the
    /// ever shorter tail, O(n) expected and O(n log n) at worst, with no copy of the values. The one exception
    /// is the sign of a zero maximum when the values hold both −0 and +0: the sort leaves either last. Afterwards
    /// <paramref name="values"/> is a permutation of the input, partitioned around those ranks.
    /// </remarks>
    public static Summary SummarizeInPlace(Span<double> values)
    {
        int n = values.Length;
        if (n == 0)
        {
            return new Summary(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        }

        (double mean, double stdDev, int nonZero) = Moments(values, nameof(values));
        // The intervals' ends and the maximum first; the percentiles then within the narrow windows between them.
        var intervalRanks = OrderStatisticInterval.SummaryRanks(n);
        Span<int> outer = stackalloc int[(2 * SummaryProbabilities.Length) + 1];
        Span<int> inner = stackalloc int[2 * SummaryProbabilities.Length];
        int outerCount = 0;
        int innerCount = 0;
        foreach (var (low, high) in intervalRanks)
        {
            outerCount = AddIntervalRanks(outer, outerCount, low, high);
        }

        outer[outerCount++] = n - 1;
        foreach (double p in SummaryProbabilities)
        {
            innerCount = AddInterpolationRanks(inner, innerCount, n, p);
        }

        SelectRanks(values, outer[..outerCount], inner[..innerCount]);
        return FromOrdered(values, mean, stdDev, nonZero, intervalRanks);
    }

    /// <summary>Returns the type-7 percentile <paramref name="p"/> of <paramref name="values"/> in any order, reordering them in place.</summary>
    /// <param name="values">The values, in any order; NaN is rejected. Range: not empty.</param>
    /// <param name="p">The probability. Range: 0 ≤ p ≤ 1.</param>
    /// <remarks>
    /// The same value, bit for bit, as <see cref="Percentile(ReadOnlySpan{double}, double)"/> of the sorted
    /// values, found by selecting the two order statistics it interpolates between, O(n) expected. The one
    /// exception: at p = 1, or for one value, a zero may carry the other sign than the sort's when the values
    /// hold both −0 and +0.
    /// </remarks>
    public static double PercentileInPlace(Span<double> values, double p)
    {
        if (values.IsEmpty)
        {
            throw new ArgumentException("A percentile of no values is undefined; pass at least one value.", nameof(values));
        }

        RequireProbability(p, nameof(p), inclusive: true);
        for (int i = 0; i < values.Length; i++)
        {
            if (double.IsNaN(values[i]))
            {
                throw new ArgumentException($"Value {i} of {values.Length} is NaN; a percentile needs numbers.", nameof(values));
            }
        }

        Span<int> ranks = stackalloc int[2];
        int count = AddInterpolationRanks(ranks, 0, values.Length, p);
        SelectRanks(values, ranks[..count]);
        return Percentile(values, p);
    }

    /// <summary>Summarises the values counted in <paramref name="sketch"/>, given their mean and standard deviation computed while streaming.</summary>
    /// <param name="sketch">The sketch of all the values. An empty sketch gives all zeros with Count 0.</param>
    /// <param name="mean">The mean of the same values. Range: not NaN.</param>
    /// <param name="stdDev">Their sample standard deviation (n − 1). Range: stdDev ≥ 0.</param>
    /// <remarks>
    /// Exact: Count, Max and ShareNonZero (the sketch counts values &gt; 0 exactly, tiny ones included). Mean and
    /// StdDev are those given, and the 95% interval of the mean follows from them by the same formula as
    /// <see cref="Summarize(ReadOnlySpan{double})"/>. P50 to P99.9 carry the sketch's relative error α: each is
    /// within relative α of the exact type-7 percentile when the two order statistics it interpolates have the
    /// same sign (see <see cref="QuantileSketch.Percentile"/>), for values with |x| ≥ <see cref="QuantileSketch.MinMagnitude"/> or 0.
    /// Their intervals are the order-statistic intervals widened by α (<see cref="OrderStatisticInterval.FromSketch"/>).
    /// </remarks>
    public static Summary Summarize(QuantileSketch sketch, double mean, double stdDev)
    {
        ArgumentNullException.ThrowIfNull(sketch);
        if (double.IsNaN(mean))
        {
            throw new ArgumentOutOfRangeException(nameof(mean), mean, "The mean is NaN; the streamed values held an undefined value upstream.");
        }

        if (!(stdDev >= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(stdDev), stdDev, "The standard deviation must be 0 or more.");
        }

        long n = sketch.Count;
        if (n == 0)
        {
            return new Summary(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        }

        double halfWidth = Z975 * stdDev / Math.Sqrt(n);
        Span<PercentileInterval> intervals = stackalloc PercentileInterval[SummaryProbabilities.Length];
        for (int i = 0; i < intervals.Length; i++)
        {
            intervals[i] = OrderStatisticInterval.FromSketch(sketch, SummaryProbabilities[i], OrderStatisticInterval.SummaryConfidence);
        }

        return new Summary(
            n,
            mean,
            mean - halfWidth,
            mean + halfWidth,
            stdDev,
            sketch.Percentile(SummaryProbabilities[0]),
            sketch.Percentile(SummaryProbabilities[1]),
            sketch.Percentile(SummaryProbabilities[2]),
            sketch.Percentile(SummaryProbabilities[3]),
            sketch.Percentile(SummaryProbabilities[4]),
            sketch.Max,
            (double)sketch.PositiveCount / n).WithIntervals(intervals);
    }

    /// <summary>Returns the type-7 percentile <paramref name="p"/> of ascending <paramref name="sortedValues"/>.</summary>
    /// <param name="sortedValues">Values in ascending order. Range: not empty.</param>
    /// <param name="p">The probability. Range: 0 ≤ p ≤ 1.</param>
    public static double Percentile(ReadOnlySpan<double> sortedValues, double p)
    {
        if (sortedValues.IsEmpty)
        {
            throw new ArgumentException("A percentile of no values is undefined; pass at least one value.", nameof(sortedValues));
        }

        RequireProbability(p, nameof(p), inclusive: true);
        double h = (sortedValues.Length - 1) * p;
        int lo = (int)Math.Floor(h);
        if (lo >= sortedValues.Length - 1)
        {
            return sortedValues[^1];
        }

        double low = sortedValues[lo];
        return low + ((h - lo) * (sortedValues[lo + 1] - low));
    }

    /// <summary>Returns a distribution-free confidence interval for the p-quantile from order statistics, clamped to the sample's extremes.</summary>
    /// <param name="sorted">Values in ascending order. Range: not empty.</param>
    /// <param name="p">The probability of the quantile. Range: 0 ≤ p ≤ 1.</param>
    /// <param name="confidence">The confidence level. Range: 0 &lt; confidence &lt; 1.</param>
    /// <remarks>
    /// The ends of <see cref="OrderStatisticInterval.FromSorted"/> (exact binomial ranks), with an end the sample cannot
    /// bound replaced by the smallest or largest value: then the interval covers less than asked (with fewer than 6
    /// values for P50, 368 for P99). P0 and P100 give the extremes themselves. <see cref="Summary"/> leaves such ends open instead.
    /// </remarks>
    public static (double Low, double High) PercentileConfidenceInterval(ReadOnlySpan<double> sorted, double p, double confidence)
    {
        if (sorted.IsEmpty)
        {
            throw new ArgumentException("A percentile interval of no values is undefined; pass at least one value.", nameof(sorted));
        }

        RequireProbability(p, nameof(p), inclusive: true);
        RequireProbability(confidence, nameof(confidence), inclusive: false);
        if (p == 0 || p == 1)
        {
            double extreme = p == 0 ? sorted[0] : sorted[^1];
            return (extreme, extreme);
        }

        var interval = OrderStatisticInterval.FromSorted(sorted, p, confidence);
        return (interval.Low ?? sorted[0], interval.High ?? sorted[^1]);
    }

    /// <summary>Returns the Wilson score interval for a proportion.</summary>
    /// <param name="successes">Number of successes. Range: 0 ≤ successes ≤ n.</param>
    /// <param name="n">Number of trials. Range: n ≥ 0; n = 0 gives (0, 1), no information.</param>
    /// <param name="confidence">The confidence level. Range: 0 &lt; confidence &lt; 1.</param>
    /// <remarks>
    /// With p̂ = s/n: (p̂ + z²/2n ± z·√(p̂(1 − p̂)/n + z²/4n²)) / (1 + z²/n). Unlike the Wald interval it
    /// stays inside [0, 1] and is not empty at 0 or n successes: with none, the upper end is
    /// z²/(n + z²) ≈ 3.84/n at 95%, a little wider than the "rule of three" 3/n.
    /// </remarks>
    public static (double Low, double High) ProportionConfidenceInterval(long successes, long n, double confidence)
    {
        if (n < 0 || successes < 0 || successes > n)
        {
            throw new ArgumentOutOfRangeException(nameof(successes), successes, $"Successes must be between 0 and the number of trials n = {n}, and n must not be negative.");
        }

        RequireProbability(confidence, nameof(confidence), inclusive: false);
        if (n == 0)
        {
            return (0, 1);
        }

        double z = StandardNormal.Quantile(0.5 + (confidence / 2));
        double z2 = z * z;
        double nn = n;
        double phat = successes / nn;
        double denominator = 1 + (z2 / nn);
        double center = (phat + (z2 / (2 * nn))) / denominator;
        double half = z * Math.Sqrt((phat * (1 - phat) / nn) + (z2 / (4 * nn * nn))) / denominator;
        double low = successes == 0 ? 0 : Math.Max(0, center - half);
        double high = successes == n ? 1 : Math.Min(1, center + half);
        return (low, high);
    }

    // Mean, standard deviation and the count of values > 0, in input order; shared so that every summary gets the same bits.
    private static (double Mean, double StdDev, int NonZero) Moments(ReadOnlySpan<double> values, string paramName)
    {
        int n = values.Length;
        double sum = 0;
        double compensation = 0;
        int nonZero = 0;
        for (int i = 0; i < n; i++)
        {
            double x = values[i];
            if (double.IsNaN(x))
            {
                throw new ArgumentException($"Value {i} of {n} is NaN; statistics need numbers. The simulation produced an undefined value upstream.", paramName);
            }

            Neumaier(ref sum, ref compensation, x);
            if (x > 0)
            {
                nonZero++;
            }
        }

        double mean = (sum + compensation) / n;

        double stdDev = 0;
        if (n >= 2)
        {
            double squares = 0;
            double squaresCompensation = 0;
            for (int i = 0; i < n; i++)
            {
                double dx = values[i] - mean;
                Neumaier(ref squares, ref squaresCompensation, dx * dx);
            }

            stdDev = Math.Sqrt((squares + squaresCompensation) / (n - 1));
        }

        return (mean, stdDev, nonZero);
    }

    // Reads only the ranks that SummarizeInPlace selects, so a sorted array and a partitioned span give the same summary.
    private static Summary FromOrdered(ReadOnlySpan<double> s, double mean, double stdDev, int nonZero, (long? Low, long? High)[] intervalRanks)
    {
        int n = s.Length;
        double halfWidth = Z975 * stdDev / Math.Sqrt(n);
        Span<PercentileInterval> intervals = stackalloc PercentileInterval[intervalRanks.Length];
        for (int i = 0; i < intervals.Length; i++)
        {
            var (low, high) = intervalRanks[i];
            intervals[i] = new PercentileInterval(low is long j ? s[(int)j] : null, high is long k ? s[(int)k] : null);
        }

        return new Summary(
            n,
            mean,
            mean - halfWidth,
            mean + halfWidth,
            stdDev,
            Percentile(s, SummaryProbabilities[0]),
            Percentile(s, SummaryProbabilities[1]),
            Percentile(s, SummaryProbabilities[2]),
            Percentile(s, SummaryProbabilities[3]),
            Percentile(s, SummaryProbabilities[4]),
            s[n - 1],
            (double)nonZero / n).WithIntervals(intervals);
    }

    // The ranks Percentile reads for p, computed by the same expression as there so that they cannot disagree.
    private static int AddInterpolationRanks(Span<int> ranks, int count, int n, double p)
    {
        double h = (n - 1) * p;
        int lo = (int)Math.Floor(h);
        if (lo >= n - 1)
        {
            ranks[count++] = n - 1;
        }
        else
        {
            ranks[count++] = lo;
            ranks[count++] = lo + 1;
        }

        return count;
    }

    // The ranks of a percentile interval's ends, where the sample bounds them.
    private static int AddIntervalRanks(Span<int> ranks, int count, long? low, long? high)
    {
        if (low is long j)
        {
            ranks[count++] = (int)j;
        }

        if (high is long k)
        {
            ranks[count++] = (int)k;
        }

        return count;
    }

    // Puts the order statistics of the outer ranks in place as the overload below does, then each inner rank within the
    // window between the outer ranks on either side of it, which holds exactly the ranks between them: a percentile
    // between the ends of its interval is selected among a few thousand values (about 4√(np(1 − p))), not a tail of n/2.
    internal static void SelectRanks(Span<double> values, Span<int> outer, Span<int> inner)
    {
        SelectRanks(values, outer);
        inner.Sort();
        Span<int> local = stackalloc int[inner.Length];
        int o = 0;
        int i = 0;
        while (i < inner.Length)
        {
            while (o < outer.Length && outer[o] < inner[i])
            {
                o++;
            }

            if (o < outer.Length && outer[o] == inner[i])
            {
                i++;
                continue;
            }

            int from = o > 0 ? outer[o - 1] + 1 : 0;
            int to = o < outer.Length ? outer[o] : values.Length;
            int count = 0;
            for (; i < inner.Length && inner[i] < to; i++)
            {
                local[count++] = inner[i] - from;
            }

            SelectRanks(values[from..to], local[..count]);
        }
    }

    // Puts each rank's order statistic at its index. After rank k is placed, everything after it is ≥ values[k],
    // so the next (larger) rank is selected in the tail alone: for the summary ranks the tails shrink from n/2 to
    // n/1000, and the total work is about twice that of the first selection.
    internal static void SelectRanks(Span<double> values, Span<int> ranks)
    {
        ranks.Sort();
        int start = 0;
        for (int i = 0; i < ranks.Length; i++)
        {
            int k = ranks[i];
            if (k < start)
            {
                continue;
            }

            Select(values[start..], k - start);
            start = k + 1;
        }
    }

    private static void Select(Span<double> values, int k) =>
        Select(values, 0, values.Length - 1, k, (2 * BitOperations.Log2((uint)values.Length)) + 16);

    /// <summary>Selects rank <paramref name="k"/> with a given partition budget, so that tests reach the sorting fallback.</summary>
    /// <param name="values">The values, in any order.</param>
    /// <param name="k">The 0-based rank. Range: 0 ≤ k &lt; values.Length.</param>
    /// <param name="budget">Partitions allowed before the rest is sorted. Range: budget ≥ 0.</param>
    internal static void SelectWithBudget(Span<double> values, int k, int budget) => Select(values, 0, values.Length - 1, k, budget);

    // Floyd and Rivest's SELECT (CACM 1975, in the form of Kiwiel 2005): first select k within a window of about
    // n^(2/3) values around it, sized so that the k-th of the whole range falls in the window with high
    // probability, then partition the range around that value; about n + min(k, n − k) comparisons instead of
    // quickselect's 2–3n, and close to n for the extreme ranks of P99.9. Equal keys stop both scans, so ties
    // split evenly. After about 2·log₂(n) partitions the rest is sorted instead, which bounds inputs whose
    // order defeats the window (the values are not sampled at random) at O(n log n).
    private static void Select(Span<double> values, int left, int right, int k, int budget)
    {
        while (right > left)
        {
            if (k == left || k == right)
            {
                MoveExtreme(values[left..(right + 1)], smallest: k == left);
                return;
            }

            if (--budget < 0)
            {
                values[left..(right + 1)].Sort();
                return;
            }

            if (right - left > 600)
            {
                double n = right - left + 1;
                double m = k - left + 1;
                double z = Math.Log(n);
                double size = 0.5 * Math.Exp(2 * z / 3);
                double offset = 0.5 * Math.Sqrt(z * size * (n - size) / n) * (m < n / 2 ? -1 : 1);
                int windowLeft = Math.Min(k, Math.Max(left, (int)Math.Floor(k - (m * size / n) + offset)));
                int windowRight = Math.Max(k, Math.Min(right, (int)Math.Floor(k + ((n - m) * size / n) + offset)));
                Select(values, windowLeft, windowRight, k, (2 * BitOperations.Log2((uint)(windowRight - windowLeft + 1))) + 16);
            }

            // Partition around t = values[k], parked at left. After the first exchange below, values[left] ≤ t ≤
            // values[right], so neither scan can leave the range.
            double t = values[k];
            int i = left;
            int j = right;
            (values[left], values[k]) = (values[k], values[left]);
            if (values[right] > t)
            {
                (values[right], values[left]) = (values[left], values[right]);
            }

            while (i < j)
            {
                (values[i], values[j]) = (values[j], values[i]);
                i++;
                j--;
                while (values[i] < t)
                {
                    i++;
                }

                while (values[j] > t)
                {
                    j--;
                }
            }

            // Put t back between the parts: values[left..j) ≤ t = values[j] ≤ values(j..right].
            if (values[left] == t)
            {
                (values[left], values[j]) = (values[j], values[left]);
            }
            else
            {
                j++;
                (values[j], values[right]) = (values[right], values[j]);
            }

            if (j <= k)
            {
                left = j + 1;
            }

            if (k <= j)
            {
                right = j - 1;
            }
        }
    }

    // The next rank after a selected one is the minimum of the tail: one scan instead of a selection.
    private static void MoveExtreme(Span<double> values, bool smallest)
    {
        int best = 0;
        for (int i = 1; i < values.Length; i++)
        {
            if (smallest ? values[i] < values[best] : values[i] > values[best])
            {
                best = i;
            }
        }

        int target = smallest ? 0 : values.Length - 1;
        (values[best], values[target]) = (values[target], values[best]);
    }

    /// <summary>Adds <paramref name="x"/> to a Neumaier-compensated sum.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Neumaier(ref double sum, ref double compensation, double x)
    {
        double t = sum + x;
        compensation += Math.Abs(sum) >= Math.Abs(x) ? (sum - t) + x : (x - t) + sum;
        sum = t;
    }

    internal static void RequireProbability(double value, string name, bool inclusive)
    {
        bool ok = inclusive ? value >= 0 && value <= 1 : value > 0 && value < 1;
        if (!ok)
        {
            string range = inclusive ? "between 0 and 1 inclusive" : "strictly between 0 and 1";
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be {range} (a share, not a percentage: 0.95, not 95).");
        }
    }
}
