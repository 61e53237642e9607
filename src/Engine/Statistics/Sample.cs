using DisasterSim.Engine.Sampling;

namespace DisasterSim.Engine.Statistics;

/// <summary>
/// The values of one statistic once collected (<see cref="ValueCollector.Finish"/>): their summary, and their order
/// statistics for every other question: any percentile, its distribution-free confidence interval, how many values lie at
/// or below a level, the mean of the worst values.
/// </summary>
/// <remarks>
/// Exact while the collector kept its values: the nonzero values in one array (put in order on the first question that
/// needs it) and the zeros as a count, so every answer is the one a sorted array of all the values gives, bit for bit.
/// Past the collector's limit the answers come from its quantile sketch: each order statistic within the sketch's relative
/// error of the exact one, counts below a level exact except for the values sharing the level's bucket. Not thread-safe.
/// </remarks>
public sealed class Sample
{
    private readonly double[] _nonZero;
    private readonly long _zeros;
    private readonly long _negative;
    private readonly QuantileSketch? _sketch;
    private IReadOnlyList<(double Value, long Count)>? _buckets;
    private bool _sorted;

    private Sample(Summary summary, double[] nonZero, long zeros, long negative, QuantileSketch? sketch)
    {
        Summary = summary;
        _nonZero = nonZero;
        _zeros = zeros;
        _negative = negative;
        _sketch = sketch;
    }

    /// <summary>Gets the summary: count, mean with its interval, standard deviation, percentiles, maximum, share above zero.</summary>
    public Summary Summary { get; }

    /// <summary>Gets the number of values.</summary>
    public long Count => Summary.Count;

    /// <summary>Gets whether the order statistics come from a quantile sketch (the values outgrew their collector's limit).</summary>
    public bool IsSketched => _sketch is not null;

    /// <summary>Gets the smallest value above zero, or null when there is none.</summary>
    public double? SmallestPositive
    {
        get
        {
            if (_sketch is not null)
            {
                // Positive values below the sketch's smallest magnitude count as zeros: then there is no positive bucket.
                return Buckets().Where(b => b.Value > 0).Select(b => (double?)b.Value).FirstOrDefault();
            }

            return Count - _zeros - _negative <= 0 ? null : ValueAtRank(_negative + _zeros);
        }
    }

    /// <summary>Collects <paramref name="values"/> exactly, in their order.</summary>
    public static Sample Of(ReadOnlySpan<double> values)
    {
        var collector = new ValueCollector(long.MaxValue);
        foreach (double x in values)
        {
            collector.Add(x);
        }

        return collector.Finish();
    }

    internal static Sample Exact(Summary summary, double[] nonZero, long zeros, long negative) => new(summary, nonZero, zeros, negative, null);

    internal static Sample Sketched(Summary summary, QuantileSketch sketch) => new(summary, [], sketch.ZeroCount, sketch.NegativeCount, sketch);

    /// <summary>Returns the value of 0-based <paramref name="rank"/> in ascending order.</summary>
    /// <param name="rank">Range: 0 ≤ rank &lt; <see cref="Count"/>.</param>
    public double ValueAtRank(long rank)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rank);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(rank, Count);
        if (_sketch is not null)
        {
            return _sketch.ValueAtRank(rank);
        }

        Sort();
        return rank < _negative ? _nonZero[rank]
            : rank < _negative + _zeros ? 0
            : _nonZero[rank - _zeros];
    }

    /// <summary>Returns the type-7 percentile (Excel's PERCENTILE.INC), with the arithmetic of <see cref="Summaries.Percentile"/>; 0 for no values.</summary>
    /// <param name="p">Range: 0 ≤ p ≤ 1.</param>
    public double Percentile(double p)
    {
        Summaries.RequireProbability(p, nameof(p), inclusive: true);
        long n = Count;
        if (n == 0)
        {
            return 0;
        }

        double h = (n - 1) * p;
        long lo = (long)Math.Floor(h);
        if (lo >= n - 1)
        {
            return ValueAtRank(n - 1);
        }

        double low = ValueAtRank(lo);
        return low + ((h - lo) * (ValueAtRank(lo + 1) - low));
    }

    /// <summary>Returns the distribution-free confidence interval of the p-quantile from order statistics, the ranks of <see cref="Summaries.PercentileConfidenceInterval"/>; (0, 0) for no values.</summary>
    public (double Low, double High) PercentileConfidenceInterval(double p, double confidence)
    {
        Summaries.RequireProbability(p, nameof(p), inclusive: true);
        Summaries.RequireProbability(confidence, nameof(confidence), inclusive: false);
        long n = Count;
        if (n == 0)
        {
            return (0, 0);
        }

        double z = StandardNormal.Quantile(0.5 + (confidence / 2));
        double center = n * p;
        double spread = z * Math.Sqrt(center * (1 - p));
        long j = Math.Clamp((long)Math.Floor(center - spread), 1, n);
        long k = Math.Clamp((long)Math.Ceiling(center + spread) + 1, 1, n);
        return (ValueAtRank(j - 1), ValueAtRank(k - 1));
    }

    /// <summary>Returns how many values are at most <paramref name="level"/>.</summary>
    public long CountAtMost(double level)
    {
        if (_sketch is not null)
        {
            long count = 0;
            foreach (var (value, n) in Buckets())
            {
                if (value > level)
                {
                    break;
                }

                count += n;
            }

            return count;
        }

        Sort();
        int lo = 0;
        int hi = _nonZero.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (_nonZero[mid] <= level)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo + (level >= 0 ? _zeros : 0);
    }

    /// <summary>Tail value at risk: the mean of the worst ⌈n(1 − p)⌉ values (at least one), summed in ascending order as <c>Exceedance.TailValueAtRisk</c> does; 0 for no values.</summary>
    /// <param name="p">Range: 0 ≤ p &lt; 1.</param>
    public double TailValueAtRisk(double p)
    {
        if (!(p >= 0 && p < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(p), p, "p must be in [0, 1): 0.95, not 95.");
        }

        long n = Count;
        if (n == 0)
        {
            return 0;
        }

        long tail = Math.Max(1, (long)Math.Ceiling((n * (1 - p)) - 1e-9));
        double sum = 0;
        if (_sketch is null)
        {
            for (long rank = n - tail; rank < n; rank++)
            {
                sum += ValueAtRank(rank);
            }

            return sum / tail;
        }

        // The worst value is exact; the others are their buckets' representatives.
        sum = Summary.Max;
        long left = tail - 1;
        var buckets = Buckets();
        long skip = 1;
        for (int i = buckets.Count - 1; i >= 0 && left > 0; i--)
        {
            long take = buckets[i].Count - skip;
            skip = 0;
            take = Math.Min(take, left);
            sum += take * buckets[i].Value;
            left -= take;
        }

        return sum / tail;
    }

    /// <summary>Hands every value to <paramref name="visit"/> in ascending order, equal ones together: its value and how many there are (a sketch's buckets past the limit).</summary>
    public void ForEachValue(Action<double, long> visit)
    {
        ArgumentNullException.ThrowIfNull(visit);
        if (_sketch is not null)
        {
            foreach (var (value, count) in Buckets())
            {
                visit(value, count);
            }

            return;
        }

        Sort();
        for (long i = 0; i < _negative; i++)
        {
            visit(_nonZero[i], 1);
        }

        if (_zeros > 0)
        {
            visit(0, _zeros);
        }

        for (long i = _negative; i < _nonZero.LongLength; i++)
        {
            visit(_nonZero[i], 1);
        }
    }

    private IReadOnlyList<(double Value, long Count)> Buckets() => _buckets ??= _sketch!.Buckets();

    private void Sort()
    {
        if (!_sorted)
        {
            Array.Sort(_nonZero);
            _sorted = true;
        }
    }
}
