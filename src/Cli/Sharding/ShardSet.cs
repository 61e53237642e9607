using System.Globalization;
using System.Security.Cryptography;
using DisasterSim.Engine.MonteCarlo;
using DisasterSim.Engine.Simulation;
using DisasterSim.Models.Loading;

namespace DisasterSim.Cli.Sharding;

/// <summary>A set of shard directories checked to belong together and to cover a whole run, in trial order.</summary>
public sealed class ShardSet
{
    private ShardSet(IReadOnlyList<(string Directory, ShardManifest Manifest)> shards, long totalTrials)
    {
        Shards = shards;
        TotalTrials = totalTrials;
    }

    /// <summary>Gets the shards, in trial order.</summary>
    public IReadOnlyList<(string Directory, ShardManifest Manifest)> Shards { get; }

    /// <summary>Gets the trials of the whole run: 0 to <c>TotalTrials - 1</c>, each in exactly one shard.</summary>
    public long TotalTrials { get; }

    /// <summary>Gets the first shard's manifest, which every other shard agrees with.</summary>
    public ShardManifest First => Shards[0].Manifest;

    /// <summary>Reads every shard's manifest and checks they belong together.</summary>
    /// <param name="directories">Shard directories, in any order.</param>
    /// <param name="engineVersion">The version of the engine that will merge them; it must be the one that made them.</param>
    /// <exception cref="ShardMismatchException">A directory is not a shard, or the shards do not make one whole run; the message says which and why.</exception>
    /// <exception cref="IOException">A manifest cannot be read.</exception>
    public static ShardSet Open(IReadOnlyList<string> directories, string engineVersion)
    {
        ArgumentNullException.ThrowIfNull(directories);
        if (directories.Count == 0)
        {
            throw new ShardMismatchException("no shard directories given");
        }

        var shards = new List<(string Directory, ShardManifest Manifest)>();
        foreach (string directory in directories)
        {
            string path = Path.Combine(directory, ShardManifest.FileName);
            if (!File.Exists(path))
            {
                throw new ShardMismatchException($"{directory}: no {ShardManifest.FileName}; give the output directories of run, compare or sweep with --shard K/N, or of run with --trials-from/--trials-to (a shard still in progress has none yet)");
            }

            ShardManifest manifest;
            try
            {
                manifest = ShardManifest.ReadJson(InputFile.ReadAllBytes(path, ShardManifest.MaxBytes));
            }
            catch (Exception e) when (e is InvalidDataException or InputFileException)
            {
                throw new ShardMismatchException($"{path}: {e.Message}");
            }

            if (manifest.Kind != "shard" || manifest.Command is not ("run" or "compare" or "sweep"))
            {
                throw new ShardMismatchException($"{path}: a {manifest.Kind} of '{manifest.Command}'; merge reads shards of 'run', 'compare' and 'sweep'");
            }

            if ((manifest.Command == "run") != (manifest.Variants is null) || (manifest.Variants is not null && (manifest.ScenarioCopies is null || manifest.Arguments is null)))
            {
                throw new ShardMismatchException($"{path}: a shard of '{manifest.Command}' {(manifest.Command == "run" ? "with" : "without")} variants; the file was altered");
            }

            shards.Add((directory, manifest));
        }

        var first = shards[0];
        foreach (var other in shards.Skip(1))
        {
            string? difference = Difference(first.Manifest, other.Manifest, first.Directory, other.Directory);
            if (difference is not null)
            {
                throw new ShardMismatchException($"the shards do not belong to one run: {difference}");
            }
        }

        if (first.Manifest.EngineVersion != engineVersion)
        {
            throw new ShardMismatchException($"the shards were made by engine {first.Manifest.EngineVersion} and this is engine {engineVersion}; merge with the version that made them");
        }

        shards.Sort((a, b) => a.Manifest.FirstTrial.CompareTo(b.Manifest.FirstTrial));
        long next = 0;
        string? previous = null;
        foreach (var (directory, manifest) in shards)
        {
            if (manifest.FirstTrial > next)
            {
                throw new ShardMismatchException(Invariant($"trials {next}..{manifest.FirstTrial - 1} are missing: no shard covers them (the next shard, {directory}, starts at trial {manifest.FirstTrial})"));
            }

            if (manifest.FirstTrial < next)
            {
                throw new ShardMismatchException(Invariant($"{previous} and {directory} overlap on trials {manifest.FirstTrial}..{Math.Min(next, manifest.EndTrial) - 1}; each trial must be in exactly one shard"));
            }

            next = manifest.EndTrial;
            previous = directory;
        }

        long? declared = shards.Select(s => s.Manifest.TotalTrials).FirstOrDefault(t => t is not null);
        if (declared is long total && next != total)
        {
            throw new ShardMismatchException(next < total
                ? Invariant($"trials {next}..{total - 1} are missing: the shards were made for {total} trials and the last one given ends at trial {next - 1}")
                : Invariant($"the shards were made for {total} trials but cover {next}"));
        }

        return new ShardSet(shards, next);
    }

    /// <summary>The first field in which two manifests describe different runs, as a sentence part; null when they agree.</summary>
    public static string? Difference(ShardManifest a, ShardManifest b, string nameA, string nameB)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        string Say(string field, object? x, object? y) =>
            string.Create(CultureInfo.InvariantCulture, $"{field} differs ({nameA}: {x ?? "unknown"}, {nameB}: {y ?? "unknown"})");

        if (a.ScenarioSha256 != b.ScenarioSha256)
        {
            return Say("the scenario file (SHA-256)", a.ScenarioSha256, b.ScenarioSha256);
        }

        if (a.Seed != b.Seed)
        {
            return Say("the seed", a.Seed, b.Seed);
        }

        if (a.EngineVersion != b.EngineVersion)
        {
            return Say("the engine version", a.EngineVersion, b.EngineVersion);
        }

        if (a.Command != b.Command)
        {
            return Say("the command", a.Command, b.Command);
        }

        if (a.TotalTrials is not null && b.TotalTrials is not null && a.TotalTrials != b.TotalTrials)
        {
            return Say("the total number of trials", a.TotalTrials, b.TotalTrials);
        }

        if (a.Kind == "checkpoint" && (a.FirstTrial != b.FirstTrial || a.Trials != b.Trials))
        {
            return Say("the trials", Invariant($"{a.FirstTrial}..{a.EndTrial - 1}"), Invariant($"{b.FirstTrial}..{b.EndTrial - 1}"));
        }

        if (a.Services != b.Services || a.DataSets != b.DataSets || a.ScenarioFile != b.ScenarioFile)
        {
            return Say("the scenario's shape or file name", $"{a.ScenarioFile}, {a.Services} services, {a.DataSets} data sets", $"{b.ScenarioFile}, {b.Services} services, {b.DataSets} data sets");
        }

        return VariantDifference(a, b, Say);
    }

    // Of compare and sweep shards: the variants (names, files, hashes, overrides, shapes), the scenario copies and the analysis options.
    private static string? VariantDifference(ShardManifest a, ShardManifest b, Func<string, object?, object?, string> say)
    {
        var va = a.Variants ?? [];
        var vb = b.Variants ?? [];
        if (!va.Select(v => v.Name).SequenceEqual(vb.Select(v => v.Name)))
        {
            return say("the list of variants", string.Join(", ", va.Select(v => v.Name)), string.Join(", ", vb.Select(v => v.Name)));
        }

        foreach (var (x, y) in va.Zip(vb))
        {
            if (x.ScenarioSha256 != y.ScenarioSha256 || x.ScenarioFile != y.ScenarioFile)
            {
                return say($"variant {x.Name}'s scenario file (SHA-256)", $"{x.ScenarioFile} {x.ScenarioSha256}", $"{y.ScenarioFile} {y.ScenarioSha256}");
            }

            if (!x.Overrides.SequenceEqual(y.Overrides))
            {
                return say($"variant {x.Name}'s overrides", string.Join("; ", x.Overrides), string.Join("; ", y.Overrides));
            }

            if (x.Services != y.Services || x.DataSets != y.DataSets)
            {
                return say($"variant {x.Name}'s shape", $"{x.Services} services, {x.DataSets} data sets", $"{y.Services} services, {y.DataSets} data sets");
            }
        }

        string Copies(ShardManifest m) => string.Join(", ", (m.ScenarioCopies ?? []).Select(c => c.Path + " " + c.Sha256));
        if (Copies(a) != Copies(b))
        {
            return say("the list of scenario copies", Copies(a), Copies(b));
        }

        string Arguments(ShardManifest m) => string.Join(" ", (m.Arguments ?? []).SelectMany(o => o.Values.Select(v => o.Option + " " + v)));
        if (Arguments(a) != Arguments(b))
        {
            return say("the list of analysis options", Arguments(a) is { Length: > 0 } x ? x : "none", Arguments(b) is { Length: > 0 } y ? y : "none");
        }

        return null;
    }

    /// <summary>Reads the scenario file copied into the first shard, checked against the manifests' hash.</summary>
    /// <exception cref="InvalidDataException">The copy is missing or altered.</exception>
    public (string Path, byte[] Bytes) ReadScenarioCopy()
    {
        string path = Path.Combine(Shards[0].Directory, ShardManifest.ScenarioCopyFileName);
        byte[] bytes = ReadCopy(path);
        if (Convert.ToHexStringLower(SHA256.HashData(bytes)) != First.ScenarioSha256)
        {
            throw new InvalidDataException($"{path}: its SHA-256 differs from {ShardManifest.FileName}'s scenario_sha256; the shard was altered");
        }

        return (path, bytes);
    }

    /// <summary>Checks every records file of every shard against the SHA-256 its manifest gives, before a merge uses any of them.</summary>
    /// <exception cref="InvalidDataException">A records file is missing or altered.</exception>
    public void VerifyRecords(CancellationToken cancellationToken)
    {
        foreach (var (directory, manifest) in Shards)
        {
            IEnumerable<(string File, string? Sha256)> files = manifest.Variants is { } variants
                ? variants.Select(v => (v.RecordsFile, (string?)v.RecordsSha256))
                : [(ShardManifest.RecordsFileName, manifest.RecordsSha256)];
            foreach (var (fileName, expectedHash) in files)
            {
                cancellationToken.ThrowIfCancellationRequested();
                string path = Path.Combine(directory, fileName);
                if (Path.GetFileName(fileName) != fileName || !File.Exists(path))
                {
                    throw new InvalidDataException($"{path}: missing; the shard is incomplete");
                }

                using var file = new BufferedStream(OpenRecords(path), 1 << 16);
                if (Convert.ToHexStringLower(SHA256.HashData(file)) != expectedHash)
                {
                    throw new InvalidDataException($"{path}: its SHA-256 differs from {ShardManifest.FileName}'s records_sha256; the file was altered or copied incompletely");
                }
            }
        }
    }

    /// <summary>Reads every shard's trial records, chunk by chunk in trial order, into <paramref name="consumer"/>: a merge holds one chunk at a time.</summary>
    /// <remarks>Call <see cref="VerifyRecords"/> first: this reads the files as they are, checking every block and field again.</remarks>
    /// <param name="shape">What the scenario's records may hold; every field read is checked against it.</param>
    /// <param name="consumer">Receives the chunks.</param>
    /// <param name="cancellationToken">Checked before each chunk.</param>
    /// <exception cref="InvalidDataException">A records file is missing, malformed, of another run or holds a field out of range; the consumer may have seen part of the trials.</exception>
    public void Replay(RecordShape shape, ITrialChunkConsumer consumer, CancellationToken cancellationToken) =>
        Replay(shape, m => (ShardManifest.RecordsFileName, m.RecordsBinding()), consumer, cancellationToken);

    /// <summary>Reads the trial records of every variant of a compare or sweep, from every shard, in step: one group of chunks at a time, in trial order, so a merge holds one group whatever the trials.</summary>
    /// <remarks>Call <see cref="VerifyRecords"/> first: this reads the files as they are, checking every block and field again.</remarks>
    /// <param name="shapes">What each variant's records may hold, in the variants' order; every field read is checked against it.</param>
    /// <param name="consumer">Receives the groups.</param>
    /// <param name="cancellationToken">Checked before each group.</param>
    /// <exception cref="InvalidDataException">A records file is missing, malformed, of another run, holds a field out of range, or its blocks do not line up with the other variants'.</exception>
    public void ReplayVariants(IReadOnlyList<RecordShape> shapes, IChunkGroupConsumer consumer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(shapes);
        ArgumentNullException.ThrowIfNull(consumer);
        var chunks = shapes.Select(v => (TrialChunk?)new TrialChunk(v.Services, v.DataSets, MonteCarloRunner.ChunkSize)).ToArray();
        foreach (var (directory, manifest) in Shards)
        {
            var files = new List<FileStream>();
            var readers = new List<TrialRecordsFile.Reader>();
            try
            {
                for (int v = 0; v < shapes.Count; v++)
                {
                    var variant = manifest.Variants![v];
                    string fileName = variant.RecordsFile;
                    string path = Path.Combine(directory, fileName);
                    if (Path.GetFileName(fileName) != fileName || !File.Exists(path))
                    {
                        throw new InvalidDataException($"{path}: missing; the shard is incomplete");
                    }

                    var file = OpenRecords(path);
                    files.Add(file);
                    var shape = shapes[v];
                    var reader = Annotate(path, () => new TrialRecordsFile.Reader(file, shape, manifest.RecordsBinding(variant)));
                    readers.Add(reader);
                    if ((reader.FirstTrial, reader.Count) != (manifest.FirstTrial, manifest.Trials))
                    {
                        throw new InvalidDataException(Invariant($"{path}: holds trials {reader.FirstTrial}..{reader.FirstTrial + reader.Count - 1} but {ShardManifest.FileName} says {manifest.FirstTrial}..{manifest.EndTrial - 1}"));
                    }
                }

                while (true)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    int read = 0;
                    for (int v = 0; v < readers.Count; v++)
                    {
                        string path = files[v].Name;
                        read += Annotate(path, () => readers[v].Next(chunks[v]!)) ? 1 : 0;
                    }

                    if (read == 0)
                    {
                        break;
                    }

                    if (read != readers.Count || chunks.Any(c => c!.FirstTrial != chunks[0]!.FirstTrial || c.Count != chunks[0]!.Count))
                    {
                        throw new InvalidDataException($"{directory}: the variants' records files do not hold the same blocks of trials; the shard was altered");
                    }

                    consumer.Consume(ChunkGroup.Of(chunks));
                }
            }
            finally
            {
                readers.ForEach(r => r.Dispose());
                files.ForEach(f => f.Dispose());
            }
        }
    }

    private static T Annotate<T>(string path, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (InvalidDataException e) when (!e.Message.StartsWith(path, StringComparison.Ordinal))
        {
            throw new InvalidDataException($"{path}: {e.Message}");
        }
    }

    /// <summary>Gets the full paths of the scenario copies of a compare or sweep, in the first shard, each checked against its hash.</summary>
    /// <exception cref="InvalidDataException">A copy is missing, altered, or its path leaves the shard directory.</exception>
    public List<string> ScenarioCopyPaths()
    {
        var paths = new List<string>();
        string root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(Shards[0].Directory));
        foreach (var copy in First.ScenarioCopies ?? [])
        {
            string path = Path.GetFullPath(Path.Combine(root, copy.Path));
            if (!path.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                throw new InvalidDataException($"{Path.Combine(Shards[0].Directory, ShardManifest.FileName)}: the scenario copy '{copy.Path}' lies outside the shard directory");
            }

            byte[] bytes = ReadCopy(path);
            if (Convert.ToHexStringLower(SHA256.HashData(bytes)) != copy.Sha256)
            {
                throw new InvalidDataException($"{path}: its SHA-256 differs from {ShardManifest.FileName}'s; the shard was altered");
            }

            paths.Add(path);
        }

        return paths;
    }

    private void Replay(RecordShape shape, Func<ShardManifest, (string File, byte[] Binding)> records, ITrialChunkConsumer consumer, CancellationToken cancellationToken)
    {
        var cancellable = new Cancellable(consumer, cancellationToken);
        foreach (var (directory, manifest) in Shards)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (fileName, binding) = records(manifest);
            string path = Path.Combine(directory, fileName);
            if (Path.GetFileName(fileName) != fileName || !File.Exists(path))
            {
                throw new InvalidDataException($"{path}: missing; the shard is incomplete");
            }

            using var file = OpenRecords(path);
            try
            {
                TrialRecordsFile.Read(file, shape, binding, cancellable, (first, count) =>
                {
                    if ((first, count) != (manifest.FirstTrial, manifest.Trials))
                    {
                        throw new InvalidDataException(Invariant($"holds trials {first}..{first + count - 1} but {ShardManifest.FileName} says {manifest.FirstTrial}..{manifest.EndTrial - 1}"));
                    }
                });
            }
            catch (InvalidDataException e)
            {
                throw new InvalidDataException($"{path}: {e.Message}");
            }
        }
    }

    // A scenario copy: read within the loader's limits, whatever the path names.
    private static byte[] ReadCopy(string path)
    {
        try
        {
            return InputFile.ReadAllBytes(path, ScenarioLoader.MaxFileBytes);
        }
        catch (InputFileException e)
        {
            throw new InvalidDataException($"{path}: {e.Reason}; the shard is incomplete or altered");
        }
    }

    // A records file: a regular file (a pipe or a device cannot be hashed and then read again), opened within the time limit.
    private static FileStream OpenRecords(string path)
    {
        try
        {
            return InputFile.OpenRegular(path);
        }
        catch (InputFileException e)
        {
            throw new InvalidDataException($"{path}: {e.Reason}; the shard is incomplete or altered");
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>Checks for cancellation before each chunk of a long merge.</summary>
    private sealed class Cancellable(ITrialChunkConsumer consumer, CancellationToken cancellationToken) : ITrialChunkConsumer
    {
        public void Consume(TrialChunk chunk)
        {
            cancellationToken.ThrowIfCancellationRequested();
            consumer.Consume(chunk);
        }
    }
}

/// <summary>The directories given to merge are not shards of one whole run.</summary>
public sealed class ShardMismatchException(string message) : Exception(message);
