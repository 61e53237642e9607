using DisasterSim.Engine.MonteCarlo;
using DisasterSim.Engine.Statistics;
using DisasterSim.Models;

namespace DisasterSim.Engine.Comparison;

/// <summary>
/// Collects a metric's values from a run's chunks as they stream by, the same values in the same order as
/// <see cref="Metric.Values"/> of the finished run (both read them through <see cref="MetricReader"/>), with the scenario's own
/// prices (<see cref="ScenarioCostModel"/>): one per trial, or one per incident for rto and rpo. Holds them as a
/// <see cref="ValueCollector"/> does, within its exact limit.
/// </summary>
public sealed class MetricCollector : ITrialChunkConsumer
{
    private readonly MetricReader _reader;
    private readonly ValueCollector _values;

    /// <summary>Creates a collector of <paramref name="metric"/>'s values over runs of <paramref name="scenario"/>.</summary>
    /// <param name="metric">The metric; its entity, if any, must name one of the scenario's (<see cref="Metric.Check"/>).</param>
    /// <param name="scenario">The scenario run.</param>
    /// <param name="exactLimit">Stored values kept exactly before the collector switches to a quantile sketch. Range: ≥ 0.</param>
    /// <param name="costs">The cost model [default: the scenario's own prices].</param>
    public MetricCollector(Metric metric, Scenario scenario, long exactLimit, ICostModel? costs = null)
    {
        _reader = new MetricReader(metric, scenario, costs ?? ScenarioCostModel.Instance);
        _values = new ValueCollector(exactLimit);
    }

    /// <summary>Gets the metric collected.</summary>
    public Metric Metric => _reader.Metric;

    /// <summary>Gets the number of values collected so far.</summary>
    public long Count => _values.Count;

    /// <summary>Gets the bytes held for the values now.</summary>
    public long Bytes => _values.Bytes;

    /// <summary>Gets the values of the last chunk consumed (for pairing them with another variant's).</summary>
    public ReadOnlySpan<double> Last => _reader.Last;

    /// <summary>Finishes the collection: the values move into a sample and the collector is spent (<see cref="ValueCollector.Finish"/>).</summary>
    public Sample Finish() => _values.Finish();

    /// <summary>Summarises the values collected so far (the collector is left as it was).</summary>
    public Summary Summarize() => _values.Summarize();

    /// <inheritdoc/>
    public void Consume(TrialChunk chunk)
    {
        foreach (double x in _reader.Read(chunk))
        {
            _values.Add(x);
        }
    }
}
