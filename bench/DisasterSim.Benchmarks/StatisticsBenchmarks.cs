using BenchmarkDotNet.Attributes;
using DisasterSim.Engine.Randomness;
using DisasterSim.Engine.Sampling;
using DisasterSim.Engine.Statistics;

namespace DisasterSim.Benchmarks;

/// <summary>
/// Summarising N exponential values by sorting a copy against selecting in place, and the cost of one
/// <see cref="QuantileSketch.Add"/>, for the streaming runner. SummarizeInPlace restores the unsorted input
/// first (selection on an already partitioned buffer would be flattered); CopyOnly is that restore alone.
/// </summary>
// The machine is shared: medians are the figures to quote.
[MemoryDiagnoser]
[MedianColumn]
public class StatisticsBenchmarks
{
    private double[] _values = null!;
    private double[] _buffer = null!;
    private QuantileSketch _sketch = null!;

    [Params(1_000_000, 10_000_000)]
    public int N { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Xoshiro256StarStar(2026);
        _values = new double[N];
        for (int i = 0; i < N; i++)
        {
            _values[i] = Sampler.ExponentialByMean(ref rng, 4);
        }

        _buffer = new double[N];

        // Warm the sketch over the whole range so the timed Adds are the steady state, with no growth.
        _sketch = new QuantileSketch(0.001);
        foreach (double x in _values)
        {
            _sketch.Add(x);
        }
    }

    [Benchmark(Baseline = true)]
    public Summary Summarize() => Summaries.Summarize(_values);

    [Benchmark]
    public Summary SummarizeInPlace()
    {
        _values.CopyTo(_buffer, 0);
        return Summaries.SummarizeInPlace(_buffer);
    }

    [Benchmark]
    public double[] CopyOnly()
    {
        _values.CopyTo(_buffer, 0);
        return _buffer;
    }

    [Benchmark(OperationsPerInvoke = 1_000_000)]
    public long SketchAdd()
    {
        QuantileSketch sketch = _sketch;
        double[] values = _values;
        for (int i = 0; i < 1_000_000; i++)
        {
            sketch.Add(values[i]);
        }

        return sketch.Count;
    }
}
