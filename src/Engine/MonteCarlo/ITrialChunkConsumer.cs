namespace DisasterSim.Engine.MonteCarlo;

/// <summary>Receives the chunks of a run in trial order: statistics, writers of per-trial files, shard records.</summary>
/// <remarks>
/// Chunks arrive one at a time, each once, in increasing trial order, from whichever worker thread delivers them; a consumer
/// needs no locking of its own. The chunk is reused once <see cref="Consume"/> returns: copy what must outlive the call. What a
/// consumer produces must not depend on where the chunks begin and end, only on the trials' order, so that a run, its shards
/// merged and a resumed run give the very same bytes.
/// </remarks>
public interface ITrialChunkConsumer
{
    /// <summary>Takes the next chunk of the run.</summary>
    void Consume(TrialChunk chunk);
}

/// <summary>Consumers one after the other, each given every chunk.</summary>
/// <param name="consumers">The consumers, in the order they see a chunk.</param>
public sealed class ConsumerChain(IReadOnlyList<ITrialChunkConsumer> consumers) : ITrialChunkConsumer
{
    /// <inheritdoc/>
    public void Consume(TrialChunk chunk)
    {
        foreach (var consumer in consumers)
        {
            consumer.Consume(chunk);
        }
    }
}
