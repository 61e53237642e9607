using DisasterSim.Models;

namespace DisasterSim.Engine.MonteCarlo;

/// <summary>Runs many independent trials of a scenario and reduces them in trial order.</summary>
public static class MonteCarloRunner
{
    /// <summary>Runs <see cref="RunOptions.Trials"/> trials; the result does not depend on the thread count.</summary>
    /// <param name="scenario">A validated scenario.</param>
    /// <param name="options">Trials, seed, threads.</param>
    /// <param name="progress">Receives the number of completed trials now and then.</param>
    /// <param name="cancellationToken">Stops the run; throws <see cref="OperationCanceledException"/>.</param>
    public static RunResult Run(Scenario scenario, RunOptions options, IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        throw new NotImplementedException();
    }
}
