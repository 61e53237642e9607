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

    /// <summary>Makes a group of chunks read back from storage (a merge of shards): one per variant, null for a variant left out, all over the same trials.</summary>
    /// <exception cref="ArgumentException">No chunk, or chunks of different trials.</exception>
    public static ChunkGroup Of(IReadOnlyList<TrialChunk?> chunks)
    {
        ArgumentNullException.ThrowIfNull(chunks);
        var first = chunks.FirstOrDefault(c => c is not null) ?? throw new ArgumentException("A group needs at least one chunk.", nameof(chunks));
        if (chunks.Any(c => c is not null && (c.FirstTrial != first.FirstTrial || c.Count != first.Count)))
        {
            throw new ArgumentException("The chunks of a group must hold the same trials.", nameof(chunks));
        }

        var group = new ChunkGroup(chunks.Count) { FirstTrial = first.FirstTrial, Count = first.Count };
        for (int v = 0; v < chunks.Count; v++)
        {
            group._chunks[v] = chunks[v];
        }

        return group;
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

/// <summary>Group consumers one after the other, each given every group.</summary>
/// <param name="consumers">The consumers, in the order they see a group.</param>
public sealed class GroupConsumerChain(IReadOnlyList<IChunkGroupConsumer> consumers) : IChunkGroupConsumer
{
    /// <inheritdoc/>
    public void Consume(ChunkGroup group)
    {
        foreach (var consumer in consumers)
        {
            consumer.Consume(group);
        }
    }
}

/// <summary>Hands one variant's chunk of every group to a chunk consumer (a file writer of that variant).</summary>
/// <param name="variant">The variant.</param>
/// <param name="consumer">Receives the variant's chunks; a group without that variant passes by.</param>
public sealed class VariantChunks(int variant, ITrialChunkConsumer consumer) : IChunkGroupConsumer
{
    /// <inheritdoc/>
    public void Consume(ChunkGroup group)
    {
        ArgumentNullException.ThrowIfNull(group);
        if (group[variant] is { } chunk)
        {
            consumer.Consume(chunk);
        }
    }
}
