using DisasterSim.Engine.Costs;
using DisasterSim.Engine.MonteCarlo;
using DisasterSim.Engine.Statistics;
using DisasterSim.Models;

namespace DisasterSim.Engine.Comparison;

/// <summary>
/// Collects a metric's values from a run's chunks as they stream by, the same values in the same order as
/// <see cref="Metric.Values"/> of the finished run with the scenario's own prices (<see cref="ScenarioCostModel"/>): one per
/// trial, or one per incident for rto and rpo. Holds them as a <see cref="ValueCollector"/> does, within its exact limit.
/// </summary>
public sealed class MetricCollector : ITrialChunkConsumer
{
    private readonly Metric _metric;
    private readonly int[] _services;
    private readonly int[] _dataSets;
    private readonly TrialPricing _pricing;
    private readonly double _protectionPerTrial;
    private readonly ValueCollector _values;
    private double[] _worst = [];

    /// <summary>Creates a collector of <paramref name="metric"/>'s values over runs of <paramref name="scenario"/>.</summary>
    /// <param name="metric">The metric; its entity, if any, must name one of the scenario's (<see cref="Metric.Check"/>).</param>
    /// <param name="scenario">The scenario run.</param>
    /// <param name="exactLimit">Stored values kept exactly before the collector switches to a quantile sketch. Range: ≥ 0.</param>
    public MetricCollector(Metric metric, Scenario scenario, long exactLimit)
    {
        ArgumentNullException.ThrowIfNull(metric);
        ArgumentNullException.ThrowIfNull(scenario);
        if (metric.Check(scenario) is string problem)
        {
            throw new ArgumentException(problem, nameof(metric));
        }

        _metric = metric;
        _services = Selected(scenario.Services.Select(s => s.Name));
        _dataSets = Selected(scenario.DataSets.Select(d => d.Name));
        _pricing = CostModel.Pricing(scenario);

        // As Costs.ProtectionPerTrial computes it for Metric.Values, so that the sums have the same bits.
        _protectionPerTrial = ScenarioCostModel.Instance.AnnualProtectionCost(scenario) * scenario.Simulation.HorizonHours / Costs.HoursPerYear;
        _values = new ValueCollector(exactLimit);

        int[] Selected(IEnumerable<string> names) =>
            [.. names.Select((n, i) => (n, i)).Where(x => metric.Entity is null || x.n == metric.Entity).Select(x => x.i)];
    }

    /// <summary>Gets the number of values collected so far.</summary>
    public long Count => _values.Count;

    /// <summary>Summarises the values collected so far (the collector is left as it was).</summary>
    public Summary Summarize() => _values.Summarize();

    /// <inheritdoc/>
    public void Consume(TrialChunk chunk)
    {
        ArgumentNullException.ThrowIfNull(chunk);
        switch (_metric.Kind)
        {
            case MetricKind.Downtime:
                AddSums(chunk, _services, static (c, row, s) => c.Downtime(row, s));
                break;
            case MetricKind.Loss:
                AddSums(chunk, _dataSets, static (c, row, d) => c.LossHours(row, d));
                break;
            case MetricKind.LossGb:
                AddSums(chunk, _dataSets, static (c, row, d) => c.LossGb(row, d));
                break;
            case MetricKind.Rto:
                foreach (ref readonly var x in chunk.Incidents)
                {
                    if (_services.Contains(x.Service))
                    {
                        _values.Add(x.DowntimeHours);
                    }
                }

                break;
            case MetricKind.Rpo:
                foreach (ref readonly var x in chunk.Losses)
                {
                    if (_dataSets.Contains(x.DataSet))
                    {
                        _values.Add(x.LossHours);
                    }
                }

                break;
            case MetricKind.WorstDowntime:
            {
                var worst = Worst(chunk);
                foreach (ref readonly var x in chunk.Incidents)
                {
                    if (_services.Contains(x.Service))
                    {
                        int row = (int)(x.Trial - chunk.FirstTrial);
                        worst[row] = Math.Max(worst[row], x.DowntimeHours);
                    }
                }

                AddRows(worst, chunk.Count);
                break;
            }

            case MetricKind.WorstLoss:
            {
                var worst = Worst(chunk);
                foreach (ref readonly var x in chunk.Losses)
                {
                    if (_dataSets.Contains(x.DataSet))
                    {
                        int row = (int)(x.Trial - chunk.FirstTrial);
                        worst[row] = Math.Max(worst[row], x.LossHours);
                    }
                }

                AddRows(worst, chunk.Count);
                break;
            }

            case MetricKind.Cost:
                for (int row = 0; row < chunk.Count; row++)
                {
                    var cost = _pricing.Price(chunk.DowntimeRow(row), chunk.IncidentCountRow(row), chunk.LossHoursRow(row), chunk.LossGbRow(row));
                    _values.Add(cost.Penalties + _protectionPerTrial);
                }

                break;
        }
    }

    // Per trial, the sum over the selected columns in scenario order, from 0, as Metric.Values adds them.
    private void AddSums(TrialChunk chunk, int[] columns, Func<TrialChunk, int, int, double> cell)
    {
        for (int row = 0; row < chunk.Count; row++)
        {
            double sum = 0;
            foreach (int c in columns)
            {
                sum += cell(chunk, row, c);
            }

            _values.Add(sum);
        }
    }

    private double[] Worst(TrialChunk chunk)
    {
        if (_worst.Length < chunk.Count)
        {
            _worst = new double[chunk.Capacity];
        }

        Array.Clear(_worst, 0, chunk.Count);
        return _worst;
    }

    private void AddRows(double[] values, int count)
    {
        for (int row = 0; row < count; row++)
        {
            _values.Add(values[row]);
        }
    }
}
