namespace DisasterSim.Engine.MonteCarlo;

/// <summary>Keeps the completed chunks of a run, so a run that was stopped can skip them when it is started again.</summary>
/// <remarks>Called from worker threads, each with its own chunk; an implementation must make a saved chunk visible only once complete.</remarks>
public interface ITrialChunkStore
{
    /// <summary>Fills <paramref name="chunk"/> (reset to its first trial) with a stored chunk of <paramref name="count"/> trials, rows and records.</summary>
    /// <param name="chunk">Empty, reset to the first trial wanted.</param>
    /// <param name="count">Trials wanted.</param>
    /// <returns>False when the chunk is not stored; <paramref name="chunk"/> is then empty again.</returns>
    bool TryLoad(TrialChunk chunk, int count);

    /// <summary>Stores a completed chunk: its rows and records.</summary>
    void Save(TrialChunk chunk);
}
