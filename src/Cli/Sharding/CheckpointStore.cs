using System.Globalization;
using DisasterSim.Engine.MonteCarlo;
using DisasterSim.Engine.Simulation;

namespace DisasterSim.Cli.Sharding;

/// <summary>
/// Checkpoints of a run in a folder (<c>OUT/.checkpoint</c>): <c>checkpoint.json</c> says which run they belong to, and each
/// completed chunk of trials is one <c>chunk-FIRST.bin</c> in <see cref="TrialRecordsFile"/> form, written atomically.
/// </summary>
public sealed class CheckpointStore : ITrialChunkStore
{
    /// <summary>The checkpoint folder's name inside the output directory.</summary>
    public const string FolderName = ".checkpoint";

    private const string ManifestFileName = "checkpoint.json";

    private readonly int _services;
    private readonly int _dataSets;
    private readonly string _prefix;
    private readonly Counts _counts;

    private CheckpointStore(string path, int services, int dataSets, string prefix, Counts counts)
    {
        Path = path;
        _services = services;
        _dataSets = dataSets;
        _prefix = prefix;
        _counts = counts;
    }

    /// <summary>Gets the checkpoint folder.</summary>
    public string Path { get; }

    /// <summary>Gets the number of chunks taken from earlier checkpoints so far (by this store and its variants' stores).</summary>
    public int LoadedChunks => Volatile.Read(ref _counts.Loaded);

    /// <summary>Gets the number of chunks checkpointed by this run so far (by this store and its variants' stores).</summary>
    public int SavedChunks => Volatile.Read(ref _counts.Saved);

    /// <summary>Returns the store of variant <paramref name="index"/>'s chunks of a compare or sweep, in the same folder (<c>variant-I-chunk-FIRST.bin</c>).</summary>
    public CheckpointStore ForVariant(int index, int services, int dataSets) =>
        new(Path, services, dataSets, string.Create(CultureInfo.InvariantCulture, $"variant-{index}-chunk-"), _counts);

    /// <summary>Opens the checkpoint folder of <paramref name="outputDirectory"/> for the run <paramref name="manifest"/> describes.</summary>
    /// <param name="outputDirectory">The run's output directory.</param>
    /// <param name="manifest">The run (kind <c>checkpoint</c>).</param>
    /// <param name="resume">Keep the chunks of an earlier run of the same manifest; otherwise start afresh.</param>
    /// <exception cref="CheckpointMismatchException">Resuming, and the folder belongs to another run.</exception>
    /// <exception cref="IOException">The folder cannot be read or written.</exception>
    public static CheckpointStore Open(string outputDirectory, ShardManifest manifest, bool resume)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        string path = System.IO.Path.Combine(outputDirectory, FolderName);
        string manifestPath = System.IO.Path.Combine(path, ManifestFileName);
        if (resume && File.Exists(manifestPath))
        {
            ShardManifest existing;
            try
            {
                existing = ShardManifest.ReadJson(File.ReadAllBytes(manifestPath));
            }
            catch (InvalidDataException e)
            {
                throw new CheckpointMismatchException($"{manifestPath}: {e.Message}; delete the folder {path} to start afresh");
            }

            string? difference = ShardSet.Difference(existing, manifest, "checkpoint", "this run");
            if (difference is not null)
            {
                throw new CheckpointMismatchException($"{path} holds checkpoints of another run: {difference}; run with the same options, or delete the folder to start afresh");
            }

            return new CheckpointStore(path, manifest.Services, manifest.DataSets, "chunk-", new Counts());
        }

        if (Directory.Exists(path))
        {
            Directory.Delete(path, recursive: true);
        }

        Directory.CreateDirectory(path);
        AtomicFile.Write(manifestPath, manifest.WriteJson);
        return new CheckpointStore(path, manifest.Services, manifest.DataSets, "chunk-", new Counts());
    }

    /// <inheritdoc/>
    public bool TryLoad(TrialChunk chunk, int count)
    {
        ArgumentNullException.ThrowIfNull(chunk);
        long firstTrial = chunk.FirstTrial;
        string file = ChunkPath(firstTrial);
        if (!File.Exists(file))
        {
            return false;
        }

        try
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            var (first, read) = TrialRecordsFile.Read(stream, _services, _dataSets, NoConsumer.Instance, buffer: chunk);
            if (first != firstTrial || read != count || chunk.Count != count)
            {
                chunk.Reset(firstTrial);
                return false;
            }
        }
        catch (InvalidDataException)
        {
            // Only reachable if the file was damaged after it was renamed into place: simulate the chunk again.
            chunk.Reset(firstTrial);
            return false;
        }

        Interlocked.Increment(ref _counts.Loaded);
        return true;
    }

    /// <inheritdoc/>
    public void Save(TrialChunk chunk)
    {
        ArgumentNullException.ThrowIfNull(chunk);
        AtomicFile.Write(ChunkPath(chunk.FirstTrial), stream =>
        {
            using var writer = new TrialRecordsFile.Writer(stream, chunk.FirstTrial, chunk.Count, chunk.Services, chunk.DataSets);
            writer.Consume(chunk);
            writer.Finish();
        });
        Interlocked.Increment(ref _counts.Saved);
    }

    /// <summary>Deletes the folder once the run's outputs are in place.</summary>
    public void Delete()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Harmless: the next run without --resume starts afresh anyway.
        }
    }

    private string ChunkPath(long firstTrial) =>
        System.IO.Path.Combine(Path, string.Create(CultureInfo.InvariantCulture, $"{_prefix}{firstTrial:D12}.bin"));

    // Shared by the stores of one folder, so the run reports one total.
    private sealed class Counts
    {
        public int Loaded;
        public int Saved;
    }
}

/// <summary>A checkpoint folder belongs to another run (scenario, seed, trials or engine).</summary>
public sealed class CheckpointMismatchException(string message) : Exception(message);

/// <summary>Takes chunks and does nothing with them (a reader that fills a chunk of its caller's).</summary>
internal sealed class NoConsumer : ITrialChunkConsumer
{
    public static NoConsumer Instance { get; } = new();

    public void Consume(TrialChunk chunk)
    {
    }
}
