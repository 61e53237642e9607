using System.Runtime.CompilerServices;

namespace DisasterSim.Engine.Statistics;

/// <summary>
/// Collects one statistic's values (a downtime per trial, a loss per incident) in the order they come, and summarises
/// them as <see cref="Summaries.Summarize(ReadOnlySpan{double})"/> would: exactly, bit for bit, while it holds at most
/// <see cref="ExactLimit"/> stored values; beyond that in a <see cref="QuantileSketch"/>, whose percentiles carry a
/// bounded relative error.
/// </summary>
/// <remarks>
/// <para>
/// Values are kept compactly: zeros, the commonest value of most statistics (most trials lose no data), are not stored one by
/// one but as the length of each run of them, so a sparse statistic costs little whatever the trial count. A stored value is a
/// nonzero value or a run of zeros, 8 bytes each, in blocks of 65,536 (no copying as they grow).
/// </para>
/// <para>
/// Exact mode gives the very bits of <see cref="Summaries.Summarize(ReadOnlySpan{double})"/> over the same values in the same
/// order: adding a zero to a Neumaier sum leaves the sum and its compensation unchanged, and the second pass adds the square
/// of each zero's deviation in place. Past the limit the values are handed to the sketch, and from then on the mean is still
/// the Neumaier sum in input order (the same bits as exact mode), the standard deviation comes from Welford's one-pass update
/// (agreeing with the two-pass value to about 1e-12 relative), the maximum and the share of values above zero stay exact, and
/// the percentiles are the sketch's (relative error at most <see cref="QuantileSketch.RelativeAccuracy"/>; see
/// <see cref="Summaries.Summarize(QuantileSketch, double, double)"/>).
/// </para>
/// <para>Not thread-safe: one writer, in the values' order.</para>
/// </remarks>
public sealed class ValueCollector
{
    private const int BlockBits = 16;
    private const int BlockSize = 1 << BlockBits;

    // A run of zeros is stored as a quiet NaN whose payload is the run's length; values themselves are never NaN.
    private const long RunTag = 0x7FF8_0000_0000_0000;
    private const long RunMask = 0x0007_FFFF_FFFF_FFFF;

    private readonly List<double[]> _blocks = [];
    private readonly double _relativeAccuracy;
    private long _stored;
    private long _pendingZeros;
    private long _count;

    // Sketch mode only: the running statistics of every value so far.
    private QuantileSketch? _sketch;
    private double _sum;
    private double _compensation;
    private double _welfordMean;
    private double _welfordM2;
    private double _max = double.NegativeInfinity;

    /// <summary>Creates an empty collector.</summary>
    /// <param name="exactLimit">Stored values (nonzero values and runs of zeros) kept before switching to the sketch. Range: ≥ 0.</param>
    /// <param name="relativeAccuracy">The sketch's relative accuracy. Range: 0 &lt; accuracy &lt; 1.</param>
    public ValueCollector(long exactLimit, double relativeAccuracy = QuantileSketch.DefaultRelativeAccuracy)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(exactLimit);

        // The nonzero values are put in order in one array.
        ExactLimit = Math.Min(exactLimit, Array.MaxLength);
        _relativeAccuracy = relativeAccuracy;
    }

    /// <summary>Gets the number of stored values kept exactly before the collector switches to its sketch.</summary>
    public long ExactLimit { get; }

    /// <summary>Gets the number of values added.</summary>
    public long Count => _count;

    /// <summary>Gets whether the values outgrew <see cref="ExactLimit"/>: the percentiles then come from the sketch.</summary>
    public bool IsSketched => _sketch is not null;

    /// <summary>Gets the bytes held for the values now.</summary>
    public long Bytes => (_blocks.Count * (long)BlockSize * sizeof(double)) + ((_sketch?.AllocatedBuckets ?? 0) * sizeof(long));

    /// <summary>Adds the next value.</summary>
    /// <exception cref="ArgumentException"><paramref name="value"/> is NaN.</exception>
    public void Add(double value)
    {
        if (value == 0 && _sketch is null)
        {
            // The commonest case by far: one more zero in the current run.
            _count++;
            _pendingZeros++;
            return;
        }

        if (double.IsNaN(value))
        {
            throw new ArgumentException($"Value {_count} is NaN; statistics need numbers. The simulation produced an undefined value upstream.", nameof(value));
        }

        _count++;
        if (_sketch is not null)
        {
            AddToSketch(value);
            return;
        }

        if (value == 0)
        {
            _pendingZeros++;
            return;
        }

        FlushZeros();
        if (_sketch is not null)
        {
            // Storing the zeros outgrew the limit.
            AddToSketch(value);
            return;
        }

        Store(value);
    }

    /// <summary>Summarises the values added so far, in their order.</summary>
    /// <remarks>Exact mode sorts a copy of the nonzero values; the collector itself is left as it was.</remarks>
    public Summary Summarize()
    {
        if (_count == 0)
        {
            return Summaries.Summarize(ReadOnlySpan<double>.Empty);
        }

        if (_sketch is not null)
        {
            double mean = (_sum + _compensation) / _count;
            double stdDev = _count >= 2 ? Math.Sqrt(_welfordM2 / (_count - 1)) : 0;
            // The sketch's maximum is of the values it was given, clamped to finite ones.
            return Summaries.Summarize(_sketch, mean, stdDev) with { Max = _max };
        }

        return SummarizeExact().Summary;
    }

    /// <summary>Summarises the values and keeps them for the questions a summary does not answer (any percentile, counts below a level, the tail's mean); the values move into the sample, and the collector is spent.</summary>
    /// <remarks>The sample's summary is <see cref="Summarize"/>'s, bit for bit. In exact mode its order statistics are the values' own; past the limit they are the sketch's.</remarks>
    public Sample Finish()
    {
        Sample sample;
        if (_count == 0)
        {
            sample = Sample.Exact(Summarize(), [], 0, 0);
        }
        else if (_sketch is not null)
        {
            sample = Sample.Sketched(Summarize(), _sketch);
        }
        else
        {
            var (summary, nonZero, negative) = SummarizeExact();
            sample = Sample.Exact(summary, nonZero, _count - nonZero.LongLength, negative);
        }

        _blocks.Clear();
        _stored = 0;
        _pendingZeros = 0;
        _count = 0;
        _sketch = null;
        return sample;
    }

    private (Summary Summary, double[] NonZero, long Negative) SummarizeExact()
    {
        long n = _count;
        var moments = new Moments();
        Visit(ref moments);
        double mean = (moments.Sum + moments.Compensation) / n;
        double stdDev = 0;
        if (n >= 2)
        {
            var squares = new Squares(mean);
            Visit(ref squares);
            stdDev = Math.Sqrt((squares.Sum + squares.Compensation) / (n - 1));
        }

        double halfWidth = Summaries.Z975 * stdDev / Math.Sqrt(n);
        var gather = new Gather(new double[moments.NonZero]);
        Visit(ref gather);
        var values = gather.Values;
        long nonZero = moments.NonZero;
        long negative = moments.Negative;
        long positive = moments.Positive;
        var sorted = new ZeroFilled(values, n - nonZero, negative);
        var intervalRanks = OrderStatisticInterval.SummaryRanks(n);
        sorted.SelectSummaryRanks(intervalRanks);
        var p = Summaries.SummaryProbabilities;
        Span<PercentileInterval> intervals = stackalloc PercentileInterval[intervalRanks.Length];
        for (int i = 0; i < intervals.Length; i++)
        {
            var (low, high) = intervalRanks[i];
            intervals[i] = new PercentileInterval(low is long j ? sorted[j] : null, high is long k ? sorted[k] : null);
        }

        var summary = new Summary(
            n,
            mean,
            mean - halfWidth,
            mean + halfWidth,
            stdDev,
            sorted.Percentile(p[0]),
            sorted.Percentile(p[1]),
            sorted.Percentile(p[2]),
            sorted.Percentile(p[3]),
            sorted.Percentile(p[4]),
            sorted[n - 1],
            (double)positive / n).WithIntervals(intervals);
        return (summary, values, negative);
    }

    private void Store(double value)
    {
        if (_stored == ExactLimit)
        {
            SwitchToSketch();
            AddToSketch(value);
            return;
        }

        int offset = (int)(_stored & (BlockSize - 1));
        if (offset == 0)
        {
            _blocks.Add(new double[BlockSize]);
        }

        _blocks[^1][offset] = value;
        _stored++;
    }

    private void FlushZeros()
    {
        if (_pendingZeros == 0)
        {
            return;
        }

        long run = _pendingZeros;
        _pendingZeros = 0;
        if (_stored == ExactLimit)
        {
            SwitchToSketch();
            for (long i = 0; i < run; i++)
            {
                AddToSketch(0);
            }

            return;
        }

        Store(BitConverter.Int64BitsToDouble(RunTag | run));
    }

    /// <summary>Replays the values kept so far into the running statistics and the sketch, and drops them.</summary>
    private void SwitchToSketch()
    {
        _sketch = new QuantileSketch(_relativeAccuracy);
        var replay = new Replay(this);
        Visit(ref replay);
        _pendingZeros = 0;
        _blocks.Clear();
        _stored = 0;
    }

    private void AddToSketch(double value)
    {
        // An infinite value (an overflowing cost) ranks above every finite one; the sketch holds finite values only.
        _sketch!.Add(Math.Clamp(value, double.MinValue, double.MaxValue));
        Summaries.Neumaier(ref _sum, ref _compensation, value);
        _max = Math.Max(_max, value);

        // Welford's update over the values so far, counted here rather than by _count (which already includes a value being added).
        long k = _sketch.Count;
        double delta = value - _welfordMean;
        _welfordMean += delta / k;
        _welfordM2 += delta * (value - _welfordMean);
    }

    /// <summary>Hands the stored values to <paramref name="visitor"/> in order: each nonzero value, and each run of zeros (the zeros not yet stored last).</summary>
    // Runs once over up to hundreds of millions of values: compiled optimised at once rather than through the tiers, and
    // specialised for each visitor, whose calls are then inlined.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Visit<TVisitor>(ref TVisitor visitor)
        where TVisitor : struct, IVisitor
    {
        for (int b = 0; b < _blocks.Count; b++)
        {
            var block = _blocks[b].AsSpan(0, (int)Math.Min(BlockSize, _stored - ((long)b * BlockSize)));
            foreach (double x in block)
            {
                if (double.IsNaN(x))
                {
                    visitor.Zeros(BitConverter.DoubleToInt64Bits(x) & RunMask);
                }
                else
                {
                    visitor.Value(x);
                }
            }
        }

        if (_pendingZeros > 0)
        {
            visitor.Zeros(_pendingZeros);
        }
    }

    /// <summary>
    /// The ascending order of every value, read at the ranks a summary needs: the negative values, then the zeros, then the
    /// positive ones, the nonzero values held apart and put in order only at those ranks.
    /// </summary>
    private readonly struct ZeroFilled(double[] nonZero, long zeros, long negative)
    {
        private long Count => nonZero.LongLength + zeros;

        public double this[long rank] => rank < negative ? nonZero[rank]
            : rank < negative + zeros ? 0
            : nonZero[rank - zeros];

        /// <summary>Moves the nonzero values that <see cref="Percentile"/>, the percentiles' intervals and the maximum read to their ranks, by selection (linear time) instead of a sort.</summary>
        public void SelectSummaryRanks((long? Low, long? High)[] intervalRanks)
        {
            // The intervals' ends and the maximum first; the percentiles then within the narrow windows between them.
            Span<int> outer = stackalloc int[(2 * Summaries.SummaryProbabilities.Length) + 1];
            Span<int> inner = stackalloc int[2 * Summaries.SummaryProbabilities.Length];
            int outerCount = 0;
            int innerCount = 0;
            long n = Count;
            foreach (double p in Summaries.SummaryProbabilities)
            {
                long lo = (long)Math.Floor((n - 1) * p);
                Add(ref innerCount, inner, Math.Min(lo, n - 1));
                Add(ref innerCount, inner, Math.Min(lo + 1, n - 1));
            }

            foreach (var (low, high) in intervalRanks)
            {
                if (low is long j)
                {
                    Add(ref outerCount, outer, j);
                }

                if (high is long k)
                {
                    Add(ref outerCount, outer, k);
                }
            }

            Add(ref outerCount, outer, n - 1);
            Summaries.SelectRanks(nonZero, outer[..outerCount], inner[..innerCount]);
        }

        private void Add(ref int count, Span<int> ranks, long rank)
        {
            // Ranks among the zeros read no stored value.
            if (rank < negative)
            {
                ranks[count++] = (int)rank;
            }
            else if (rank >= negative + zeros)
            {
                ranks[count++] = (int)(rank - zeros);
            }
        }

        /// <summary>The type-7 percentile, with the arithmetic of <see cref="Summaries.Percentile"/>.</summary>
        public double Percentile(double p)
        {
            long n = Count;
            double h = (n - 1) * p;
            long lo = (long)Math.Floor(h);
            if (lo >= n - 1)
            {
                return this[n - 1];
            }

            double low = this[lo];
            return low + ((h - lo) * (this[lo + 1] - low));
        }
    }

    private interface IVisitor
    {
        void Value(double x);

        void Zeros(long count);
    }

    /// <summary>The first pass: the Neumaier sum and the counts by sign. Zeros leave a Neumaier sum and its compensation as they are.</summary>
    private struct Moments : IVisitor
    {
        public double Sum;
        public double Compensation;
        public long Positive;
        public long Negative;
        public long NonZero;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Value(double x)
        {
            Summaries.Neumaier(ref Sum, ref Compensation, x);
            Positive += x > 0 ? 1 : 0;
            Negative += x < 0 ? 1 : 0;
            NonZero++;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public readonly void Zeros(long count)
        {
        }
    }

    /// <summary>The second pass: the Neumaier sum of squared deviations, each zero's in its place.</summary>
    private struct Squares(double mean) : IVisitor
    {
        private readonly double _zeroSquare = (0 - mean) * (0 - mean);
        public double Sum;
        public double Compensation;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Value(double x)
        {
            double dx = x - mean;
            Summaries.Neumaier(ref Sum, ref Compensation, dx * dx);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Zeros(long count)
        {
            for (long i = 0; i < count; i++)
            {
                Summaries.Neumaier(ref Sum, ref Compensation, _zeroSquare);
            }
        }
    }

    /// <summary>Copies the nonzero values into one array, for the selection of the percentiles.</summary>
    private struct Gather(double[] values) : IVisitor
    {
        private int _next;

        public readonly double[] Values => values;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Value(double x) => values[_next++] = x;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public readonly void Zeros(long count)
        {
        }
    }

    /// <summary>Replays the stored values into the sketch and the running statistics.</summary>
    private readonly struct Replay(ValueCollector owner) : IVisitor
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Value(double x) => owner.AddToSketch(x);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Zeros(long count)
        {
            for (long i = 0; i < count; i++)
            {
                owner.AddToSketch(0);
            }
        }
    }
}
