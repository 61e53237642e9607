namespace DisasterSim.Engine.MonteCarlo;

/// <summary>The same chunk of trials of every variant of a comparison: one <see cref="TrialChunk"/> per variant, null for a variant not simulated any more (dropped by a race).</summary>
/// <remarks>Handed to an <see cref="IChunkGroupConsumer"/> and reused once it returns, like a chunk.</remarks>
public sealed class ChunkGroup
{
    private readonly TrialChunk?[] _chunks;

    internal ChunkGroup(int variants)
    {
        _chunks = new TrialChunk?[variants];
    }

    /// <summary>Gets the global index of the group's first trial.</summary>
    public long FirstTrial { get; internal set; }

    /// <summary>Gets the number of trials in the group.</summary>
    public int Count { get; internal set; }

    /// <summary>Gets the number of variants, simulated or not.</summary>
    public int Variants => _chunks.Length;

    /// <summary>Gets variant <paramref name="variant"/>'s chunk of the group's trials, or null when the variant is not simulated.</summary>
    public TrialChunk? this[int variant] => _chunks[variant];

    internal TrialChunk?[] Chunks => _chunks;
}

/// <summary>Receives the chunk groups of a comparison in trial order (statistics of every variant, paired differences, races, shard records).</summary>
/// <remarks>The same contract as <see cref="ITrialChunkConsumer"/>: one group at a time, in increasing trial order, reused after the call; what it produces must not depend on where groups begin and end.</remarks>
public interface IChunkGroupConsumer
{
    /// <summary>Takes the next group.</summary>
    void Consume(ChunkGroup group);
}
