using DisasterSim.Engine.Simulation;
using DisasterSim.Engine.Statistics;
using DisasterSim.Models;

namespace DisasterSim.Engine.MonteCarlo;

/// <summary>A precision to reach instead of a fixed trial count.</summary>
/// <param name="HalfWidth">The largest acceptable 95% CI half-width of the metric's mean. Range: ≥ 0.</param>
/// <param name="Relative">Whether <paramref name="HalfWidth"/> is a share of the mean (0.01 = 1%) rather than in the metric's unit.</param>
/// <param name="BatchTrials">Trials of the first batch and the least of every later one. Range: ≥ 2.</param>
/// <param name="MaxTrials">Stop here even if not converged. Range: ≥ <paramref name="BatchTrials"/>.</param>
public sealed record PrecisionTarget(double HalfWidth, bool Relative, long BatchTrials, long MaxTrials);

/// <summary>The outcome of a precision-driven run.</summary>
/// <param name="Results">One result per scenario, all over the same trials (common random numbers).</param>
/// <param name="Converged">Whether every scenario's metric reached the precision.</param>
/// <param name="HalfWidths">The final 95% CI half-width of each scenario's metric mean.</param>
/// <param name="Means">The final mean of each scenario's metric.</param>
public sealed record PrecisionOutcome(IReadOnlyList<RunResult> Results, bool Converged, IReadOnlyList<double> HalfWidths, IReadOnlyList<double> Means)
{
    /// <summary>Gets the number of trials run per scenario.</summary>
    public long Trials => Results[0].Trials.Trials;
}

/// <summary>Runs scenarios batch after batch, in trial order, until a metric's mean is known well enough.</summary>
/// <remarks>
/// Trials are run in consecutive batches (0 … B − 1, then onwards), so the result after N trials is
/// identical to a plain <see cref="MonteCarloRunner.Run"/> of N trials with the same seed. Every scenario
/// advances by the same batches until all have converged, so they stay on common random numbers.
/// A batch is B trials or a quarter of the trials run so far, whichever is more (see <see cref="NextBatch"/>):
/// the run overshoots the trials it needs by at most a quarter, and the checks, each of which
/// summarises every trial so far, stay few (logarithmic in N) even when B is small.
/// </remarks>
public static class PrecisionRunner
{
    /// <summary>Runs <paramref name="scenarios"/> until the 95% CI half-width of <paramref name="metric"/> meets <paramref name="target"/> for all, or <see cref="PrecisionTarget.MaxTrials"/>.</summary>
    /// <param name="scenarios">The scenarios (variants) to run. Range: not empty.</param>
    /// <param name="seed">Master seed shared by all.</param>
    /// <param name="threads">Worker threads. Range: ≥ 1.</param>
    /// <param name="target">The precision and the trial budget.</param>
    /// <param name="metric">Per-trial values of the metric, in trial order.</param>
    /// <param name="progress">Receives the number of trials completed per scenario.</param>
    /// <param name="cancellationToken">Stops the run.</param>
    public static PrecisionOutcome Run(
        IReadOnlyList<Scenario> scenarios,
        ulong seed,
        int threads,
        PrecisionTarget target,
        Func<RunResult, double[]> metric,
        IProgress<long>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scenarios);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(metric);
        ArgumentOutOfRangeException.ThrowIfZero(scenarios.Count);
        ArgumentOutOfRangeException.ThrowIfLessThan(target.BatchTrials, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(target.MaxTrials, target.BatchTrials);
        ArgumentOutOfRangeException.ThrowIfNegative(target.HalfWidth);
        var models = scenarios.Select(SimulationModel.Compile).ToArray();
        var blocks = scenarios.Select(_ => new List<RunRecords>()).ToArray();
        long trials = 0;
        while (true)
        {
            long batch = NextBatch(trials, target);
            for (int v = 0; v < scenarios.Count; v++)
            {
                blocks[v].Add(MonteCarloRunner.Simulate(models[v], seed, threads, trials, batch, cancellationToken));
            }

            trials += batch;
            progress?.Report(trials);
            var options = new RunOptions(trials, seed, threads);
            var results = scenarios.Select((s, v) => MonteCarloRunner.Reduce(s, models[v], options, blocks[v])).ToList();
            var summaries = results.Select(r => Summaries.Summarize(metric(r))).ToList();
            var halfWidths = summaries.Select(s => (s.MeanCiHigh - s.MeanCiLow) / 2).ToList();
            var means = summaries.Select(s => s.Mean).ToList();
            bool converged = halfWidths.Zip(means).All(x => IsPrecise(x.First, x.Second, target));
            if (converged || trials >= target.MaxTrials)
            {
                return new PrecisionOutcome(results, converged, halfWidths, means);
            }
        }
    }

    /// <summary>The size of the batch run after <paramref name="trials"/> trials: max(B, trials / 4), capped by the budget left.</summary>
    public static long NextBatch(long trials, PrecisionTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        return Math.Min(Math.Max(target.BatchTrials, trials / 4), target.MaxTrials - trials);
    }

    /// <summary>Gets whether a half-width meets the target for a given mean.</summary>
    public static bool IsPrecise(double halfWidth, double mean, PrecisionTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        double allowed = target.Relative ? target.HalfWidth * Math.Abs(mean) : target.HalfWidth;
        return halfWidth <= allowed;
    }
}
