using DisasterSim.Engine.MonteCarlo;
using DisasterSim.Engine.Statistics;
using DisasterSim.Models;

namespace DisasterSim.Engine.Comparison;

/// <summary>
/// Collects, chunk group by chunk group in trial order, everything the analysis of a comparison, a sweep or a race reads:
/// each variant's run statistics, the values of every metric asked for (exactly, then in a quantile sketch past their share
/// of the budget) and the paired differences of each variant with the first. Memory does not grow with the trials once the
/// budget is used up, and the results are the same for any thread count and any split into shards.
/// </summary>
/// <remarks>
/// The exact budget (<see cref="RunOptions.ExactValueBudget"/> of the options given) is shared evenly among every statistic of
/// every variant: a run's statistics and the metrics' values alike. Not thread-safe: one writer, in trial order.
/// </remarks>
public sealed class VariantCollectors : IChunkGroupConsumer
{
    private const long ReleaseBeforeCollect = 32L << 20;

    private readonly Variant[] _variants;
    private readonly bool _pair;

    /// <summary>Prepares the collectors.</summary>
    /// <param name="variants">The variants, in order; the first is the baseline of the paired differences.</param>
    /// <param name="metrics">The metrics to collect; a metric naming a service or data set that a variant lacks is not collected for it.</param>
    /// <param name="costs">The cost model.</param>
    /// <param name="options">Seed, threads, first trial and the exact budget shared by all; its trial count is not used.</param>
    /// <param name="pairWithFirst">Whether to accumulate each variant's paired differences with the first on the per-trial metrics.</param>
    /// <param name="exactRunSummaries">Whether the variants' run statistics (a run's summary.csv) share the exact budget; without it they go to their sketches at once and the budget is the metrics' alone (compare and sweep read only the metrics and the breach counts, which are exact either way).</param>
    public VariantCollectors(IReadOnlyList<(string Name, Scenario Scenario)> variants, IReadOnlyList<Metric> metrics, ICostModel costs, RunOptions options, bool pairWithFirst, bool exactRunSummaries = false)
    {
        ArgumentNullException.ThrowIfNull(variants);
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(costs);
        ArgumentNullException.ThrowIfNull(options);
        var distinct = metrics.Distinct().ToList();
        long statistics = variants.Sum(v =>
            (exactRunSummaries ? RunStatisticsBuilder.StatisticsOf(v.Scenario.Services.Length, v.Scenario.DataSets.Length) : 0) + distinct.Count(m => m.Check(v.Scenario) is null));
        long limit = options.ExactValueBudget / Math.Max(1, statistics);
        _pair = pairWithFirst;
        _variants = new Variant[variants.Count];
        for (int v = 0; v < variants.Count; v++)
        {
            var (name, scenario) = variants[v];
            var model = Simulation.SimulationModel.Compile(scenario);
            var runOptions = options with { ExactValueBudget = exactRunSummaries ? limit * RunStatisticsBuilder.StatisticsOf(scenario.Services.Length, scenario.DataSets.Length) : 0 };
            var collected = distinct.Where(m => m.Check(scenario) is null).ToList();
            var paired = collected.Select(m => pairWithFirst && v > 0 && m.PerTrial && m.Check(variants[0].Scenario) is null).ToArray();
            _variants[v] = new Variant(
                name,
                new RunStatisticsBuilder(scenario, model, runOptions),
                [.. collected.Select(m => new MetricCollector(m, scenario, limit, costs))],
                [.. paired.Select(p => p ? new PairedDifferenceAccumulator() : null)]);
        }
    }

    /// <inheritdoc/>
    public void Consume(ChunkGroup group)
    {
        ArgumentNullException.ThrowIfNull(group);
        for (int v = 0; v < _variants.Length; v++)
        {
            if (group[v] is not { } chunk)
            {
                continue;
            }

            var variant = _variants[v];
            variant.Statistics.Consume(chunk);
            for (int k = 0; k < variant.Collectors.Length; k++)
            {
                var collector = variant.Collectors[k];
                collector.Consume(chunk);
                if (variant.Differences[k] is { } difference && group[0] is not null)
                {
                    difference.Add(_variants[0].LastRead(collector.Metric), collector.Last);
                }
            }
        }
    }

    /// <summary>Summarises variant <paramref name="variant"/>'s values of <paramref name="metric"/> so far, leaving the collectors as they are (a precision check between batches).</summary>
    /// <exception cref="ArgumentException">The metric is not collected for that variant.</exception>
    public Summary SummaryOf(int variant, Metric metric)
    {
        var v = _variants[variant];
        int k = Array.FindIndex(v.Collectors, c => c.Metric == metric);
        return k >= 0 ? v.Collectors[k].Summarize() : throw new ArgumentException($"Variant {v.Name} does not collect {metric}.", nameof(metric));
    }

    /// <summary>Builds every variant's result from the trials each has seen; the collectors are spent.</summary>
    public List<VariantResult> Finish()
    {
        var results = new List<VariantResult>();
        long released = 0;
        foreach (var variant in _variants)
        {
            var samples = new Dictionary<Metric, Sample>();
            var differences = new Dictionary<Metric, PairedDifference>();
            for (int k = 0; k < variant.Collectors.Length; k++)
            {
                var metric = variant.Collectors[k].Metric;
                released += variant.Collectors[k].Bytes;
                samples[metric] = variant.Collectors[k].Finish();

                // A sample takes a copy of its collector's values (their nonzero part, in one array) and the collector lets its
                // blocks go. Those blocks, hundreds of megabytes for a long comparison, are large objects that the collector would
                // otherwise only reclaim much later: reclaimed here, the peak stays near the values' own size instead of twice it.
                if (released > ReleaseBeforeCollect)
                {
                    GC.Collect();
                    released = 0;
                }
                if (variant.Differences[k] is { Count: >= 2 } difference)
                {
                    differences[metric] = difference.Result();
                }
            }

            results.Add(new VariantResult(variant.Name, variant.Statistics.BuildSoFar())
            {
                Samples = samples,
                Differences = _pair ? differences : null,
            });
        }

        return results;
    }

    private sealed record Variant(string Name, RunStatisticsBuilder Statistics, MetricCollector[] Collectors, PairedDifferenceAccumulator?[] Differences)
    {
        public ReadOnlySpan<double> LastRead(Metric metric) => Collectors.First(c => c.Metric == metric).Last;
    }
}
