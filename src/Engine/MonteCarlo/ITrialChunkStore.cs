using DisasterSim.Engine.Simulation;

namespace DisasterSim.Engine.MonteCarlo;

/// <summary>Keeps the completed chunks of a run, so a run that was stopped can skip them when it is started again.</summary>
/// <remarks>Called from worker threads, each with its own chunk; an implementation must make a saved chunk visible only once complete.</remarks>
public interface ITrialChunkStore
{
    /// <summary>Fills <paramref name="table"/>'s rows of a stored chunk and replays its records into <paramref name="sink"/>, in their original order.</summary>
    /// <param name="firstTrial">Global index of the chunk's first trial.</param>
    /// <param name="count">Trials in the chunk.</param>
    /// <param name="table">The run's table; only the chunk's rows are written.</param>
    /// <param name="sink">Receives the chunk's incidents and data losses.</param>
    /// <returns>False when the chunk is not stored (nothing was written to <paramref name="sink"/> then).</returns>
    bool TryLoad(long firstTrial, long count, TrialTable table, ITrialSink sink);

    /// <summary>Stores a completed chunk: the table's rows for it and its records in trial order.</summary>
    void Save(long firstTrial, long count, TrialTable table, IReadOnlyList<IncidentRecord> incidents, IReadOnlyList<DataLossRecord> losses);
}
