using DisasterSim.Engine.MonteCarlo;

namespace DisasterSim.Tests.Cli.Sharding;

/// <summary>Cancels a run, as Ctrl-C would, once a number of chunks have been checkpointed: what an interrupted run leaves.</summary>
internal sealed class CancellingStore(ITrialChunkStore inner, int saves, CancellationTokenSource cancellation) : ITrialChunkStore
{
    private int _saved;

    public bool TryLoad(TrialChunk chunk, int count) => inner.TryLoad(chunk, count);

    public void Save(TrialChunk chunk)
    {
        inner.Save(chunk);
        if (Interlocked.Increment(ref _saved) >= saves)
        {
            cancellation.Cancel();
        }
    }
}
