using System.Runtime.CompilerServices;

namespace DisasterSim.Engine.Statistics;

/// <summary>A mergeable quantile sketch with a relative-error guarantee: DDSketch (Masson, Rim and Lee, VLDB 2019).</summary>
/// <remarks>
/// <para>
/// With γ = (1 + α)/(1 − α), a value x with |x| ≥ <see cref="MinMagnitude"/> is counted in bucket
/// i = ⌈log_γ |x|⌉ of the positive or the mirrored negative store; bucket i holds (γ^(i−1), γ^i] and is
/// represented by 2γ^i/(γ + 1) = (1 − α)·γ^i, which is within relative error α of everything in it.
/// Values with |x| &lt; <see cref="MinMagnitude"/>, exact zeros among them, are counted in one zero bucket
/// represented by 0. The bucket of the r-th smallest value is found by walking the counts in value order, so
/// <see cref="ValueAtRank"/> is within relative α of the exact order statistic whenever that value has
/// |x| ≥ <see cref="MinMagnitude"/> or is 0, up to the rounding of one logarithm and one exponential (a
/// relative 10⁻¹² at most over the range of doubles). Estimates are clamped into [<see cref="Min"/>,
/// <see cref="Max"/>], which are exact and returned for ranks 0 and Count − 1, so clamping only brings them closer.
/// </para>
/// <para>
/// The state is a function of the multiset of values added, not of their order or of how they were split
/// between sketches: bucket counts, the zero count and the exact extremes. So every result is bit-identical
/// for any insertion order and any tree of <see cref="Merge"/> calls.
/// </para>
/// <para>
/// Memory: values between a and b need about ln(b/a)/ln γ ≈ ln(b/a)/(2α) buckets of 8 bytes, in dense arrays
/// grown on demand (by half again each time, so up to half of them slack). For α = 0.001, durations from
/// 10⁻⁶ h to 10⁶ h take ln(10¹²)/0.002 ≈ 13,800 buckets, 108 KiB; each further factor of 10 adds 1,150.
/// Once the range is covered, <see cref="Add"/> allocates nothing. Not thread-safe: one sketch per thread,
/// merged at the end.
/// </para>
/// </remarks>
public sealed class QuantileSketch
{
    /// <summary>The relative accuracy of a sketch unless said otherwise: 0.1%.</summary>
    public const double DefaultRelativeAccuracy = 0.001;

    /// <summary>The smallest magnitude that gets its own bucket; smaller ones count as zero, so the error bound holds for |x| ≥ this.</summary>
    public const double MinMagnitude = 1e-12;

    /// <summary>The finest relative accuracy accepted: below about 1.7·10⁻⁷ the buckets from <see cref="MinMagnitude"/> to double.MaxValue would outnumber an array's 2³¹ slots.</summary>
    public const double MinRelativeAccuracy = 1e-6;

    private readonly double _inverseLnGamma;
    private readonly double _lnGamma;
    private readonly double _lnOneMinusAlpha;
    private readonly Store _positive = new();
    private readonly Store _negative = new();
    private long _zeroCount;
    private long _positiveBelowMin;
    private long _negativeBelowMin;
    private double _min = double.PositiveInfinity;
    private double _max = double.NegativeInfinity;

    /// <summary>Creates an empty sketch.</summary>
    /// <param name="relativeAccuracy">The relative error α of every quantile. Range: <see cref="MinRelativeAccuracy"/> ≤ α &lt; 1.</param>
    public QuantileSketch(double relativeAccuracy = DefaultRelativeAccuracy)
    {
        if (!(relativeAccuracy >= MinRelativeAccuracy && relativeAccuracy < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(relativeAccuracy), relativeAccuracy, $"The relative accuracy must be at least {MinRelativeAccuracy} and below 1 (a share, not a percentage: 0.001 for 0.1%).");
        }

        RelativeAccuracy = relativeAccuracy;
        _lnGamma = Math.Log((1 + relativeAccuracy) / (1 - relativeAccuracy));
        _inverseLnGamma = 1 / _lnGamma;
        _lnOneMinusAlpha = Math.Log(1 - relativeAccuracy);
    }

    /// <summary>Gets the relative error α that every quantile is within.</summary>
    public double RelativeAccuracy { get; }

    /// <summary>Gets the number of values added.</summary>
    public long Count { get; private set; }

    /// <summary>Gets the number of values counted as zero: exact zeros and those with |x| &lt; <see cref="MinMagnitude"/>.</summary>
    public long ZeroCount => _zeroCount;

    /// <summary>Gets the exact number of values greater than zero, those below <see cref="MinMagnitude"/> included.</summary>
    public long PositiveCount => _positive.Total + _positiveBelowMin;

    /// <summary>Gets the exact number of values less than zero, those above −<see cref="MinMagnitude"/> included.</summary>
    public long NegativeCount => _negative.Total + _negativeBelowMin;

    /// <summary>Gets the smallest value added, exactly.</summary>
    /// <exception cref="InvalidOperationException">The sketch is empty.</exception>
    public double Min => Count > 0 ? _min : throw Empty();

    /// <summary>Gets the largest value added, exactly.</summary>
    /// <exception cref="InvalidOperationException">The sketch is empty.</exception>
    public double Max => Count > 0 ? _max : throw Empty();

    /// <summary>Gets the number of buckets allocated in the two stores, slack included; for memory checks.</summary>
    internal long AllocatedBuckets => _positive.Length + _negative.Length;

    /// <summary>Counts one value.</summary>
    /// <param name="x">The value. Range: finite.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(double x)
    {
        if (!double.IsFinite(x))
        {
            ThrowNotFinite(x);
        }

        Count++;

        // Math.Min and Math.Max order −0 below +0, so the extremes do not depend on which zero came first.
        _min = Math.Min(_min, x);
        _max = Math.Max(_max, x);
        if (x >= MinMagnitude)
        {
            _positive.Add(Index(x), 1);
        }
        else if (x <= -MinMagnitude)
        {
            _negative.Add(Index(-x), 1);
        }
        else
        {
            AddBelowMin(x);
        }
    }

    /// <summary>Adds the counts of <paramref name="other"/> to this sketch, as if its values had been added here.</summary>
    /// <param name="other">A sketch with the same <see cref="RelativeAccuracy"/>; left unchanged, unless it is this sketch, which then counts every value twice.</param>
    public void Merge(QuantileSketch other)
    {
        ArgumentNullException.ThrowIfNull(other);

        // Bucket i means a different range for another γ, so the counts cannot be combined.
        if (other.RelativeAccuracy != RelativeAccuracy)
        {
            throw new ArgumentException($"Cannot merge a sketch of relative accuracy {other.RelativeAccuracy} into one of {RelativeAccuracy}: their buckets differ. Create both with the same accuracy.", nameof(other));
        }

        if (other.Count == 0)
        {
            return;
        }

        _positive.MergeFrom(other._positive);
        _negative.MergeFrom(other._negative);
        _zeroCount += other._zeroCount;
        _positiveBelowMin += other._positiveBelowMin;
        _negativeBelowMin += other._negativeBelowMin;
        _min = Math.Min(_min, other._min);
        _max = Math.Max(_max, other._max);
        Count += other.Count;
    }

    /// <summary>Returns the estimate of the value of 0-based <paramref name="rank"/> among the sorted values.</summary>
    /// <param name="rank">The rank. Range: 0 ≤ rank &lt; Count.</param>
    /// <remarks>Within relative α of the exact order statistic (see the type's remarks); exact for ranks 0 and Count − 1 and for zeros. O(buckets).</remarks>
    public double ValueAtRank(long rank)
    {
        Span<double> value = stackalloc double[1];
        ValuesAtRanks([rank], value);
        return value[0];
    }

    /// <summary>Writes the estimates of the values of several 0-based ranks, in one walk over the buckets.</summary>
    /// <param name="ranks">The ranks, in ascending order (repeats allowed). Range: each 0 ≤ rank &lt; Count.</param>
    /// <param name="destination">Receives <see cref="ValueAtRank"/> of each rank. Range: at least as long as <paramref name="ranks"/>.</param>
    public void ValuesAtRanks(ReadOnlySpan<long> ranks, Span<double> destination)
    {
        if (destination.Length < ranks.Length)
        {
            throw new ArgumentException($"The destination holds {destination.Length} values but {ranks.Length} ranks were asked for.", nameof(destination));
        }

        for (int i = 0; i < ranks.Length; i++)
        {
            if (ranks[i] < 0 || ranks[i] >= Count || (i > 0 && ranks[i] < ranks[i - 1]))
            {
                throw new ArgumentOutOfRangeException(nameof(ranks), ranks[i], $"Rank {i} must be between 0 and Count − 1 = {Count - 1} and not below the rank before it.");
            }
        }

        // Value order: the negative store from its largest magnitude down, the zero bucket, the positive store up.
        long passed = 0;
        int next = _negative.Walk(this, descending: true, ranks, destination, 0, ref passed);
        passed += _zeroCount;
        while (next < ranks.Length && ranks[next] < passed)
        {
            destination[next++] = 0;
        }

        _positive.Walk(this, descending: false, ranks, destination, next, ref passed);
        for (int i = 0; i < ranks.Length; i++)
        {
            long rank = ranks[i];
            destination[i] = rank == 0 ? _min : rank == Count - 1 ? _max : Math.Clamp(destination[i], _min, _max);
        }
    }

    /// <summary>Returns the type-7 percentile <paramref name="p"/>, interpolated between the estimates of the two order statistics.</summary>
    /// <param name="p">The probability. Range: 0 ≤ p ≤ 1.</param>
    /// <remarks>
    /// As <see cref="Summaries.Percentile(ReadOnlySpan{double}, double)"/>, with h = (Count − 1)·p and f = h − ⌊h⌋:
    /// Q = v⌊h⌋ + f·(v⌊h⌋+1 − v⌊h⌋) from <see cref="ValueAtRank"/>. When the two order statistics have the same
    /// sign (or one is 0), Q is within relative α of the exact percentile, since the interpolation is a
    /// weighted mean of errors each within α of its value. When they have opposite signs, the exact percentile
    /// may be near 0 and only the absolute error α·((1 − f)·|x⌊h⌋| + f·|x⌊h⌋+1|) ≤ α·max(|x⌊h⌋|, |x⌊h⌋+1|) holds.
    /// P0 and P100 are the exact extremes.
    /// </remarks>
    /// <exception cref="InvalidOperationException">The sketch is empty.</exception>
    public double Percentile(double p)
    {
        Summaries.RequireProbability(p, nameof(p), inclusive: true);
        if (Count == 0)
        {
            throw Empty();
        }

        double h = (Count - 1) * p;
        long lo = (long)Math.Floor(h);
        if (lo >= Count - 1)
        {
            return _max;
        }

        Span<double> values = stackalloc double[2];
        ValuesAtRanks([lo, lo + 1], values);
        double low = values[0];
        return low + ((h - lo) * (values[1] - low));
    }

    /// <summary>Returns every non-empty bucket in ascending order of value: its representative (clamped into [<see cref="Min"/>, <see cref="Max"/>]) and its count; the zero bucket is represented by 0.</summary>
    /// <remarks>For what walks the whole distribution at once: counts below levels, histograms, the mean of a tail.</remarks>
    public IReadOnlyList<(double Value, long Count)> Buckets()
    {
        var buckets = new List<(double Value, long Count)>();
        if (Count == 0)
        {
            return buckets;
        }

        _negative.Collect(this, descending: true, buckets);
        if (_zeroCount > 0)
        {
            buckets.Add((0, _zeroCount));
        }

        _positive.Collect(this, descending: false, buckets);
        for (int i = 0; i < buckets.Count; i++)
        {
            buckets[i] = (Math.Clamp(buckets[i].Value, _min, _max), buckets[i].Count);
        }

        return buckets;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Index(double magnitude) => (int)Math.Ceiling(Math.Log(magnitude) * _inverseLnGamma);

    // (1 − α)·γ^i in one exponential: γ^i alone overflows for the top buckets when γ is large.
    private double Representative(int index) => Math.Exp((index * _lnGamma) + _lnOneMinusAlpha);

    // Kept out of Add so that its hot path stays small; tiny values are rare and zeros take one branch more.
    private void AddBelowMin(double x)
    {
        _zeroCount++;
        if (x > 0)
        {
            _positiveBelowMin++;
        }
        else if (x < 0)
        {
            _negativeBelowMin++;
        }
    }

    private static InvalidOperationException Empty() =>
        new("The sketch is empty: add values before asking for its extremes or quantiles.");

    private static void ThrowNotFinite(double x) =>
        throw new ArgumentException($"Cannot add {x}: the sketch takes finite values only. The simulation produced an undefined or infinite value upstream.", nameof(x));

    // Counts of buckets offset .. offset + length − 1 in one dense array, grown on demand.
    private sealed class Store
    {
        private long[] _counts = [];
        private int _offset;

        public long Total { get; private set; }

        public int Length => _counts.Length;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Add(int index, long count)
        {
            int k = index - _offset;
            if ((uint)k >= (uint)_counts.Length)
            {
                k = Grow(index, index);
            }

            _counts[k] += count;
            Total += count;
        }

        public void MergeFrom(Store other)
        {
            int first = Array.FindIndex(other._counts, c => c != 0);
            if (first < 0)
            {
                return;
            }

            int last = Array.FindLastIndex(other._counts, c => c != 0);

            // One growth to cover the other's occupied range, so that the loop below never reallocates.
            int low = other._offset + first;
            int high = other._offset + last;
            if (low < _offset || high >= _offset + _counts.Length)
            {
                Grow(low, high);
            }

            long[] source = other._counts;
            long total = other.Total;
            for (int k = first; k <= last; k++)
            {
                _counts[other._offset + k - _offset] += source[k];
            }

            Total += total;
        }

        // Answers the ranks from next on that fall in this store, walking its buckets up or down in value order.
        public int Walk(QuantileSketch sketch, bool descending, ReadOnlySpan<long> ranks, Span<double> destination, int next, ref long passed)
        {
            double sign = descending ? -1 : 1;
            for (int j = 0; j < _counts.Length && next < ranks.Length; j++)
            {
                int k = descending ? _counts.Length - 1 - j : j;
                long count = _counts[k];
                if (count == 0)
                {
                    continue;
                }

                passed += count;
                if (ranks[next] < passed)
                {
                    double value = sign * sketch.Representative(_offset + k);
                    while (next < ranks.Length && ranks[next] < passed)
                    {
                        destination[next++] = value;
                    }
                }
            }

            return next;
        }

        // Appends the non-empty buckets in value order (descending: the mirrored negative store).
        public void Collect(QuantileSketch sketch, bool descending, List<(double Value, long Count)> buckets)
        {
            for (int j = 0; j < _counts.Length; j++)
            {
                int k = descending ? _counts.Length - 1 - j : j;
                if (_counts[k] != 0)
                {
                    buckets.Add(((descending ? -1 : 1) * sketch.Representative(_offset + k), _counts[k]));
                }
            }
        }

        // Reallocates to cover [low, high] and the current range, with half again as much slack on the side that
        // grew so that a slowly widening range costs amortised O(1) per bucket. Returns the slot of low.
        private int Grow(int low, int high)
        {
            long from = low;
            long to = high;
            if (_counts.Length > 0)
            {
                from = Math.Min(from, _offset);
                to = Math.Max(to, (long)_offset + _counts.Length - 1);
            }

            long needed = to - from + 1;
            long length = Math.Min(Math.Max(needed + 32, _counts.Length + (_counts.Length >> 1)), Array.MaxLength);
            long offset = _counts.Length > 0 && low < _offset ? to - length + 1 : from;
            long[] grown = new long[length];
            if (_counts.Length > 0)
            {
                Array.Copy(_counts, 0, grown, _offset - offset, _counts.Length);
            }

            _counts = grown;
            _offset = (int)offset;
            return low - _offset;
        }
    }
}
