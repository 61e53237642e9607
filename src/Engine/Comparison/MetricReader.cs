using DisasterSim.Engine.MonteCarlo;
using DisasterSim.Models;

namespace DisasterSim.Engine.Comparison;

/// <summary>Reads one metric's values from the chunks of a variant's run, chunk by chunk in trial order: one per trial, or one per incident for rto and rpo.</summary>
/// <remarks>A per-trial value sums the selected services' or data sets' columns in scenario order, from 0; the worst incident of a trial is 0 without one; the cost is the trial's penalties plus the protection over one horizon. Not thread-safe: one reader per variant.</remarks>
public sealed class MetricReader
{
    private readonly int[] _columns;
    private readonly bool[] _selected;
    private readonly Func<TrialChunk, int, double>? _penalty;
    private readonly double _protection;
    private double[] _buffer = new double[MonteCarloRunner.ChunkSize];
    private int _last;

    /// <summary>Creates the reader of <paramref name="metric"/> for runs of <paramref name="scenario"/>.</summary>
    /// <exception cref="ArgumentException">The metric names a service or data set the scenario lacks.</exception>
    public MetricReader(Metric metric, Scenario scenario, ICostModel costs)
    {
        ArgumentNullException.ThrowIfNull(metric);
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(costs);
        if (metric.Check(scenario) is string problem)
        {
            throw new ArgumentException(problem, nameof(metric));
        }

        Metric = metric;
        var names = metric.OfServices ? scenario.Services.Select(s => s.Name) : scenario.DataSets.Select(d => d.Name);
        _selected = [.. names.Select(n => metric.Entity is null || n == metric.Entity)];
        _columns = [.. Enumerable.Range(0, _selected.Length).Where(i => _selected[i])];
        if (metric.Kind == MetricKind.Cost)
        {
            _penalty = costs.TrialPenalty(scenario);
            _protection = Costs.ProtectionPerTrial(costs, scenario);
        }
    }

    /// <summary>Gets the metric read.</summary>
    public Metric Metric { get; }

    /// <summary>Gets the values the last <see cref="Read"/> returned.</summary>
    public ReadOnlySpan<double> Last => _buffer.AsSpan(0, _last);

    /// <summary>Reads the values of <paramref name="chunk"/>'s trials (per-trial metrics: one per trial, in order) or incidents (rto, rpo).</summary>
    /// <returns>The values, in a buffer that the next call reuses.</returns>
    public ReadOnlySpan<double> Read(TrialChunk chunk)
    {
        var values = ReadValues(chunk);
        _last = values.Length;
        return values;
    }

    private ReadOnlySpan<double> ReadValues(TrialChunk chunk)
    {
        ArgumentNullException.ThrowIfNull(chunk);
        int rows = chunk.Count;
        switch (Metric.Kind)
        {
            case MetricKind.Downtime:
                return SumColumns(chunk, static (c, row) => c.DowntimeRow(row));
            case MetricKind.Loss:
                return SumColumns(chunk, static (c, row) => c.LossHoursRow(row));
            case MetricKind.LossGb:
                return SumColumns(chunk, static (c, row) => c.LossGbRow(row));
            case MetricKind.Rto:
            {
                int n = 0;
                foreach (ref readonly var x in chunk.Incidents)
                {
                    if (_selected[x.Service])
                    {
                        Put(n++, x.DowntimeHours);
                    }
                }

                return _buffer.AsSpan(0, n);
            }

            case MetricKind.Rpo:
            {
                int n = 0;
                foreach (ref readonly var x in chunk.Losses)
                {
                    if (_selected[x.DataSet])
                    {
                        Put(n++, x.LossHours);
                    }
                }

                return _buffer.AsSpan(0, n);
            }

            case MetricKind.WorstDowntime:
            {
                var worst = Rows(rows);
                foreach (ref readonly var x in chunk.Incidents)
                {
                    if (_selected[x.Service])
                    {
                        int row = (int)(x.Trial - chunk.FirstTrial);
                        worst[row] = Math.Max(worst[row], x.DowntimeHours);
                    }
                }

                return worst;
            }

            case MetricKind.WorstLoss:
            {
                var worst = Rows(rows);
                foreach (ref readonly var x in chunk.Losses)
                {
                    if (_selected[x.DataSet])
                    {
                        int row = (int)(x.Trial - chunk.FirstTrial);
                        worst[row] = Math.Max(worst[row], x.LossHours);
                    }
                }

                return worst;
            }

            case MetricKind.Cost:
            {
                var costs = Rows(rows);
                for (int row = 0; row < rows; row++)
                {
                    costs[row] = _penalty!(chunk, row) + _protection;
                }

                return costs;
            }

            default:
                throw new InvalidOperationException($"Metric kind {Metric.Kind} has no reader.");
        }
    }

    private delegate ReadOnlySpan<double> RowOf(TrialChunk chunk, int row);

    private Span<double> SumColumns(TrialChunk chunk, RowOf rowOf)
    {
        var sums = Rows(chunk.Count);
        for (int row = 0; row < chunk.Count; row++)
        {
            var cells = rowOf(chunk, row);
            double sum = 0;
            foreach (int c in _columns)
            {
                sum += cells[c];
            }

            sums[row] = sum;
        }

        return sums;
    }

    // The buffer's first rows, zeroed.
    private Span<double> Rows(int rows)
    {
        if (_buffer.Length < rows)
        {
            _buffer = new double[rows];
        }

        var span = _buffer.AsSpan(0, rows);
        span.Clear();
        return span;
    }

    private void Put(int index, double value)
    {
        if (index == _buffer.Length)
        {
            Array.Resize(ref _buffer, _buffer.Length * 2);
        }

        _buffer[index] = value;
    }
}
