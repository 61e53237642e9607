using System.Collections.Concurrent;
using System.Globalization;
using DisasterSim.Models.Loading;
using DisasterSim.Engine.MonteCarlo;
using DisasterSim.Engine.Simulation;

namespace DisasterSim.Cli.Sharding;

/// <summary>
/// Checkpoints of a run in a folder (<c>OUT/.checkpoint</c>): <c>checkpoint.json</c> says which run they belong to, and each
/// completed chunk of trials is one <c>chunk-FIRST.bin</c> in <see cref="TrialRecordsFile"/> form, written atomically, bound
/// to the run and checksummed: a chunk that is damaged, truncated or of another run is simulated again, never trusted.
/// </summary>
public sealed class CheckpointStore : ITrialChunkStore
{
    /// <summary>The checkpoint folder's name inside the output directory.</summary>
    public const string FolderName = ".checkpoint";

    /// <summary>The largest checkpoint.json read, in bytes.</summary>
    private const long MaxManifestBytes = 1 << 20;

    private const string ManifestFileName = "checkpoint.json";
    private readonly RecordShape _shape;
    private readonly byte[] _binding;
    private readonly string _prefix;
    private readonly Counts _counts;

    private CheckpointStore(string path, ShardManifest manifest, RecordShape shape, byte[] binding, string prefix, Counts counts)
    {
        Path = path;
        Manifest = manifest;
        _shape = shape;
        _binding = binding;
        _prefix = prefix;
        _counts = counts;
    }

    /// <summary>Gets the checkpoint folder.</summary>
    public string Path { get; }

    /// <summary>Gets the run the checkpoints belong to.</summary>
    public ShardManifest Manifest { get; }

    /// <summary>Gets the number of chunks taken from earlier checkpoints so far (by this store and its variants' stores).</summary>
    public int LoadedChunks => Volatile.Read(ref _counts.Loaded);

    /// <summary>Gets the number of chunks checkpointed by this run so far (by this store and its variants' stores).</summary>
    public int SavedChunks => Volatile.Read(ref _counts.Saved);

    /// <summary>Gets the chunk files found damaged, truncated or of another run (by this store and its variants' stores), each with the reason, in no particular order; they were simulated again.</summary>
    public IReadOnlyCollection<string> DiscardedChunks => _counts.Discarded;

    /// <summary>Returns the store of variant <paramref name="index"/>'s chunks of a compare or sweep, in the same folder (<c>variant-I-chunk-FIRST.bin</c>), bound to the run and the variant.</summary>
    /// <param name="index">The variant's position in the manifest's variants.</param>
    /// <param name="shape">What the variant's records may hold.</param>
    public CheckpointStore ForVariant(int index, RecordShape shape) =>
        new(Path, Manifest, shape, Manifest.RecordsBinding(Manifest.Variants![index]), string.Create(CultureInfo.InvariantCulture, $"variant-{index}-chunk-"), _counts);

    /// <summary>Opens the checkpoint folder of <paramref name="outputDirectory"/> for the run <paramref name="manifest"/> describes.</summary>
    /// <param name="outputDirectory">The run's output directory, locked by the run (see <see cref="Output.OutputDirectory"/>).</param>
    /// <param name="manifest">The run (kind <c>checkpoint</c>).</param>
    /// <param name="shape">What the scenario's records may hold; every chunk read is checked against it.</param>
    /// <param name="resume">Keep the chunks of an earlier run of the same manifest; otherwise start afresh.</param>
    /// <exception cref="CheckpointMismatchException">Resuming, and the folder belongs to another run or is not a folder this program made.</exception>
    /// <exception cref="IOException">The folder cannot be read or written.</exception>
    public static CheckpointStore Open(string outputDirectory, ShardManifest manifest, RecordShape shape, bool resume)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(shape);
        string path = System.IO.Path.Combine(outputDirectory, FolderName);
        string manifestPath = System.IO.Path.Combine(path, ManifestFileName);
        bool link = new DirectoryInfo(path).LinkTarget is not null;
        if (resume && link)
        {
            throw new CheckpointMismatchException($"{path} is a symbolic link, not a checkpoint folder this program made; delete it to start afresh");
        }

        if (resume && File.Exists(manifestPath))
        {
            ShardManifest existing;
            try
            {
                existing = ShardManifest.ReadJson(InputFile.ReadAllBytes(manifestPath, MaxManifestBytes));
            }
            catch (Exception e) when (e is InvalidDataException or InputFileException)
            {
                throw new CheckpointMismatchException($"{manifestPath}: {e.Message}; delete the folder {path} to start afresh");
            }

            string? difference = ShardSet.Difference(existing, manifest, "checkpoint", "this run");
            if (difference is not null)
            {
                throw new CheckpointMismatchException($"{path} holds checkpoints of another run: {difference}; run with the same options, or delete the folder to start afresh");
            }

            return new CheckpointStore(path, manifest, shape, manifest.RecordsBinding(), "chunk-", new Counts());
        }

        // The run holds the output directory's lock: nothing else uses the folder, and nothing in it is followed.
        Output.OutputDirectory.DeleteTree(path);
        if (Directory.Exists(path) || new DirectoryInfo(path).LinkTarget is not null)
        {
            throw new IOException($"cannot remove the old checkpoint folder {path}; delete it by hand");
        }

        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
        }
        else
        {
            Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        AtomicFile.Write(manifestPath, manifest.WriteJson);
        return new CheckpointStore(path, manifest, shape, manifest.RecordsBinding(), "chunk-", new Counts());
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
            using var stream = InputFile.OpenRegular(file);
            var (first, read) = TrialRecordsFile.Read(stream, _shape, _binding, NoConsumer.Instance, buffer: chunk);
            if (first != firstTrial || read != count || chunk.Count != count)
            {
                throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"holds trials {first}..{first + read - 1}, not {firstTrial}..{firstTrial + count - 1}"));
            }
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            // Damaged after it was renamed into place, or planted: simulate the chunk again, and say so at the end.
            _counts.Discarded.Enqueue($"{System.IO.Path.GetFileName(file)}: {e.Message}");
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
            using var writer = new TrialRecordsFile.Writer(stream, _binding, chunk.FirstTrial, chunk.Count, chunk.Services, chunk.DataSets);
            writer.Consume(chunk);
            writer.Finish();
        });
        Interlocked.Increment(ref _counts.Saved);
    }

    /// <summary>Deletes the folder once the run's outputs are in place.</summary>
    public void Delete() => Output.OutputDirectory.DeleteTree(Path);

    private string ChunkPath(long firstTrial) =>
        System.IO.Path.Combine(Path, string.Create(CultureInfo.InvariantCulture, $"{_prefix}{firstTrial:D12}.bin"));

    // Shared by the stores of one folder, so the run reports one total.
    private sealed class Counts
    {
        public int Loaded;
        public int Saved;

        public ConcurrentQueue<string> Discarded { get; } = new();
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
