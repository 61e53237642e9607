using DisasterSim.Engine.Statistics;

namespace DisasterSim.Engine.MonteCarlo;

/// <summary>A precision to reach instead of a fixed trial count.</summary>
/// <param name="HalfWidth">The largest acceptable 95% CI half-width of the metric's mean. Range: ≥ 0.</param>
/// <param name="Relative">Whether <paramref name="HalfWidth"/> is a share of the mean (0.01 = 1%) rather than in the metric's unit.</param>
/// <param name="BatchTrials">Trials of the first batch and the least of every later one. Range: ≥ 2.</param>
/// <param name="MaxTrials">Stop here even if not converged. Range: ≥ <paramref name="BatchTrials"/>.</param>
public sealed record PrecisionTarget(double HalfWidth, bool Relative, long BatchTrials, long MaxTrials);

/// <summary>The outcome of a precision-driven run.</summary>
/// <param name="Trials">The trials run per variant.</param>
/// <param name="Converged">Whether every variant's metric reached the precision.</param>
/// <param name="HalfWidths">The final 95% CI half-width of each variant's metric mean.</param>
/// <param name="Means">The final mean of each variant's metric.</param>
public sealed record PrecisionOutcome(long Trials, bool Converged, IReadOnlyList<double> HalfWidths, IReadOnlyList<double> Means);

/// <summary>Runs variants batch after batch, in trial order, until a metric's mean is known well enough.</summary>
/// <remarks>
/// Trials are run in consecutive batches (0 … B − 1, then onwards), so the result after N trials is
/// identical to a plain run of N trials with the same seed: the consumers see the same trials in the same order.
/// Every variant advances by the same batches until all have converged, so they stay on common random numbers.
/// A batch is B trials or a quarter of the trials run so far, whichever is more (see <see cref="NextBatch"/>):
/// the run overshoots the trials it needs by at most a quarter, and the checks, each of which
/// summarises the metric's values so far, stay few (logarithmic in N) even when B is small.
/// </remarks>
public static class PrecisionRunner
{
    /// <summary>Runs the variants of <paramref name="simulation"/> until the 95% CI half-width of the mean that <paramref name="summarize"/> gives meets <paramref name="target"/> for all, or <see cref="PrecisionTarget.MaxTrials"/>.</summary>
    /// <param name="simulation">The variants, seed and threads.</param>
    /// <param name="target">The precision and the trial budget.</param>
    /// <param name="consumer">Receives every group of every batch, in trial order: the collectors <paramref name="summarize"/> reads, and what else the caller keeps.</param>
    /// <param name="summarize">The summary of variant <c>v</c>'s metric over the trials consumed so far.</param>
    /// <param name="progress">Receives the variant-trials completed in the current batch.</param>
    /// <param name="cancellationToken">Stops the run.</param>
    public static PrecisionOutcome Run(
        VariantSimulation simulation,
        PrecisionTarget target,
        IChunkGroupConsumer consumer,
        Func<int, Summary> summarize,
        IProgress<long>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(simulation);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(consumer);
        ArgumentNullException.ThrowIfNull(summarize);
        ArgumentOutOfRangeException.ThrowIfLessThan(target.BatchTrials, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(target.MaxTrials, target.BatchTrials);
        ArgumentOutOfRangeException.ThrowIfNegative(target.HalfWidth);
        long trials = 0;
        while (true)
        {
            long batch = NextBatch(trials, target);
            simulation.Run(trials, batch, null, consumer, null, progress, cancellationToken);
            trials += batch;
            var summaries = Enumerable.Range(0, simulation.Scenarios.Count).Select(summarize).ToList();
            var halfWidths = summaries.Select(s => (s.MeanCiHigh - s.MeanCiLow) / 2).ToList();
            var means = summaries.Select(s => s.Mean).ToList();
            bool converged = halfWidths.Zip(means).All(x => IsPrecise(x.First, x.Second, target));
            if (converged || trials >= target.MaxTrials)
            {
                return new PrecisionOutcome(trials, converged, halfWidths, means);
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
