using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography;
using DisasterSim.Cli.Output;
using DisasterSim.Cli.Sharding;
using DisasterSim.Engine.Comparison;
using DisasterSim.Engine.MonteCarlo;
using DisasterSim.Models;

namespace DisasterSim.Cli.Commands;

/// <summary>The part of the trials a compare or sweep runs and its checkpoints, as given.</summary>
/// <param name="Shard"><c>--shard K/N</c>, or null.</param>
/// <param name="TrialsFrom"><c>--trials-from</c>, or null.</param>
/// <param name="TrialsTo"><c>--trials-to</c>, or null.</param>
/// <param name="Checkpoint">Whether to save completed chunks (<c>--checkpoint</c> or <c>--resume</c>).</param>
/// <param name="Resume">Whether to reuse an earlier run's chunks.</param>
internal sealed record PartSettings(string? Shard, long? TrialsFrom, long? TrialsTo, bool Checkpoint, bool Resume)
{
    /// <summary>Gets whether only part of the trials runs, for a merge.</summary>
    public bool IsPart => Shard is not null || TrialsFrom is not null || TrialsTo is not null;
}

/// <summary>A compare or sweep as given: what its shards and checkpoints record to be told apart from another.</summary>
/// <param name="Command"><c>compare</c> or <c>sweep</c>.</param>
/// <param name="Files">The scenario files as given on the command line, in order.</param>
/// <param name="Arguments">The options that shape the analysis, as given.</param>
/// <param name="Inputs">The variants' inputs.</param>
/// <param name="Loaded">The variants, loaded.</param>
internal sealed record VariantJob(string Command, IReadOnlyList<string> Files, IReadOnlyList<ShardArgument> Arguments, IReadOnlyList<VariantInput> Inputs, IReadOnlyList<(string Name, Scenario Scenario)> Loaded)
{
    /// <summary>Reads every scenario file the job names, once, so that a file edited meanwhile is not the one recorded.</summary>
    /// <exception cref="IOException">A file cannot be read.</exception>
    public Dictionary<string, byte[]> ReadFiles() => Files.Concat(Inputs.Select(i => i.Path)).Distinct().ToDictionary(p => p, ScenarioInput.ReadBytes);
}

/// <summary>
/// Shards of compare and sweep: a shard is a range of the trials of every variant, so the variants keep their common random
/// numbers. A shard writes its variants' trial records and what redoes the analysis; merge reads them back into whole runs.
/// </summary>
internal static class VariantShards
{
    /// <summary>The folder of a shard directory that holds the copies of the scenario files.</summary>
    public const string ScenarioCopyFolder = "scenarios";

    /// <summary>The options of compare and sweep that run part of the trials or keep checkpoints: <c>--shard</c>, <c>--trials-from</c>, <c>--trials-to</c>, <c>--checkpoint</c>, <c>--resume</c>.</summary>
    public sealed class PartOptions
    {
        public Option<string?> Shard { get; } = new("--shard")
        {
            Description = "Run only shard K of N (K from 0 to N-1) of the trials of every variant and write what 'merge' needs to write this command's files.",
            HelpName = "K/N",
        };

        public Option<long?> TrialsFrom { get; } = new("--trials-from") { Description = "Run only the trials of every variant from this index (inclusive) [default: 0]; writes what 'merge' needs.", HelpName = "A" };

        public Option<long?> TrialsTo { get; } = new("--trials-to") { Description = "Run only the trials of every variant up to this index (exclusive) [default: --trials]; writes what 'merge' needs.", HelpName = "B" };

        public Option<bool> Checkpoint { get; } = new("--checkpoint") { Description = "Save completed chunks of trials of every variant to DIR/.checkpoint so that --resume can finish the command if it is stopped." };

        public Option<bool> Resume { get; } = new("--resume") { Description = "Reuse the chunks an interrupted run of the same command saved in DIR/.checkpoint (implies --checkpoint; starts afresh when there are none)." };

        public void AddTo(Command command)
        {
            command.Options.Add(Shard);
            command.Options.Add(TrialsFrom);
            command.Options.Add(TrialsTo);
            command.Options.Add(Checkpoint);
            command.Options.Add(Resume);
            Shard.Validators.Add(ValidateShard);
            TrialsFrom.Validators.Add(r => VariantRuns.CommonOptions.AtLeast(r, r.GetValueOrDefault<long?>(), 0, "--trials-from"));
            TrialsTo.Validators.Add(r => VariantRuns.CommonOptions.AtLeast(r, r.GetValueOrDefault<long?>(), 1, "--trials-to"));
            command.Validators.Add(result =>
            {
                if (result.GetValue(Shard) is not null && (result.GetValue(TrialsFrom) is not null || result.GetValue(TrialsTo) is not null))
                {
                    result.AddError("--shard cannot be combined with --trials-from or --trials-to; give one way of choosing the trials.");
                }
            });
        }

        public PartSettings Read(ParseResult parse) => new(
            parse.GetValue(Shard),
            parse.GetValue(TrialsFrom),
            parse.GetValue(TrialsTo),
            parse.GetValue(Checkpoint) || parse.GetValue(Resume),
            parse.GetValue(Resume));
    }

    /// <summary>Checks <c>--shard K/N</c> (run, compare, sweep).</summary>
    public static void ValidateShard(System.CommandLine.Parsing.OptionResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        string text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
        if (ShardRange.Parse(text) is null)
        {
            result.AddError($"--shard must be K/N with 0 ≤ K < N (shard K of N, counted from 0, as SLURM_ARRAY_TASK_ID and JOB_COMPLETION_INDEX are); got '{text}'.");
        }
    }

    /// <summary>The name of variant <paramref name="index"/>'s records file in a shard directory.</summary>
    public static string RecordsFileName(int index) => string.Create(CultureInfo.InvariantCulture, $"variant-{index}.bin");

    /// <summary>Runs a part of the trials of every variant (<c>--shard</c>, or <c>--trials-from</c>/<c>--trials-to</c>) and writes the shard directory, each variant's records streamed to its file as the trials go.</summary>
    /// <param name="job">The command, its files (each copied into the shard), options and variants.</param>
    /// <param name="settings">Trials, seed and threads.</param>
    /// <param name="parts">The part and the checkpoint options.</param>
    /// <param name="outputPath">The shard directory.</param>
    /// <param name="context">The console and cancellation.</param>
    /// <returns>The exit code.</returns>
    public static int Write(VariantJob job, RunSettings settings, PartSettings parts, string outputPath, CliContext context)
    {
        var (command, files, _, _, loaded) = job;
        if (settings.Precision is not null)
        {
            context.Stderr.WriteLine("disastersim: --shard cannot be combined with --precision (nor can --trials-from or --trials-to): a part runs a fixed range of trials; give --trials.");
            return ExitCodes.UsageError;
        }

        var (total, seed) = VariantRuns.TrialsAndSeed(loaded, settings);
        var (range, error) = ShardRange.Choose(total, settings.Trials, parts.Shard, parts.TrialsFrom, parts.TrialsTo);
        if (range is null)
        {
            context.Stderr.WriteLine($"disastersim: {error}");
            return ExitCodes.UsageError;
        }

        Dictionary<string, byte[]> bytes;
        try
        {
            // Read before the runs, so that a file edited meanwhile is not the one copied.
            bytes = job.ReadFiles();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return RunCommand.Fail(context, $"cannot read a scenario file: {e.Message}");
        }

        string Hash(string path) => Convert.ToHexStringLower(SHA256.HashData(bytes[path]));
        using var directory = VariantRuns.OpenOutput(outputPath, context);
        if (directory is null)
        {
            return ExitCodes.RuntimeFailure;
        }

        var writers = new List<(HashingStream Hashing, TrialRecordsFile.Writer Writer)>();
        CheckpointStore? checkpoint = null;
        try
        {
            checkpoint = parts.Checkpoint ? OpenCheckpoint(job, seed, range, Hash, outputPath, parts.Resume) : null;

            // Each variant's records are bound to the shard and the variant (its records hash is no part of the binding).
            var bound = Manifest("shard", job, seed, range, Hash, null);
            for (int i = 0; i < loaded.Count; i++)
            {
                var hashing = new HashingStream(directory.Open(RecordsFileName(i)));
                writers.Add((hashing, new TrialRecordsFile.Writer(hashing, bound.RecordsBinding(bound.Variants![i]), range.First, range.Count, loaded[i].Scenario.Services.Length, loaded[i].Scenario.DataSets.Length)));
            }

            var simulation = new VariantSimulation([.. loaded.Select(v => v.Scenario)], seed, settings.Threads);
            var consumer = new GroupConsumerChain([.. writers.Select((w, i) => new VariantChunks(i, w.Writer))]);
            bool show = context.StderrIsTerminal && settings.ShowProgress;
            ProgressDisplay.Run(context, show, "Simulating", range.Count * loaded.Count, progress =>
            {
                simulation.Run(range.First, range.Count, null, consumer, Stores(checkpoint, loaded), progress, context.CancellationToken);
                return 0;
            });
            var recordHashes = new List<string>();
            foreach (var (hashing, writer) in writers)
            {
                writer.Finish();
                recordHashes.Add(hashing.HashHex());
                writer.Dispose();
            }

            var copies = new List<ShardScenarioCopy>();
            for (int i = 0; i < files.Count; i++)
            {
                string folder = i.ToString(CultureInfo.InvariantCulture);
                string name = Path.GetFileName(files[i]);
                byte[] content = bytes[files[i]];
                directory.Write(Path.Combine(ScenarioCopyFolder, folder, name), s => s.Write(content));
                copies.Add(new ShardScenarioCopy($"{ScenarioCopyFolder}/{folder}/{name}", Hash(files[i])));
            }

            var manifest = Manifest("shard", job, seed, range, Hash, recordHashes) with { ScenarioCopies = copies };

            // Renamed into place last: a directory whose shard.json exists holds a complete shard.
            directory.Write(ShardManifest.FileName, manifest.WriteJson);
            context.CancellationToken.ThrowIfCancellationRequested();
            directory.Commit();
            checkpoint?.Delete();
            ReportResumed(checkpoint, context);
            context.Stderr.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"{(parts.Shard is null ? "Part" : $"Shard {parts.Shard}")} of {command}: trials {range.First}..{range.First + range.Count - 1}{(range.Total is long t ? $" of {t}" : "")} of {loaded.Count} variants, seed {seed}. Wrote {ShardManifest.FileName}, {RecordsFileName(0)}..{RecordsFileName(loaded.Count - 1)} and the scenario copies to {outputPath}; 'disastersim merge' writes the {command} files."));
            return ExitCodes.Success;
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            context.Stderr.WriteLine(checkpoint is null
                ? "disastersim: cancelled; no output written."
                : $"disastersim: cancelled; no output written; completed chunks are kept in {checkpoint.Path} for --resume.");
            return ExitCodes.Cancelled;
        }
        catch (CheckpointMismatchException e)
        {
            return RunCommand.Fail(context, e.Message);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return RunCommand.Fail(context, $"cannot write output to '{outputPath}': {e.Message}");
        }
        finally
        {
            foreach (var (_, writer) in writers)
            {
                try
                {
                    writer.Dispose();
                }
                catch (IOException)
                {
                    // The part failed already; its files are deleted, and this error must not hide the first.
                }
            }
        }
    }

    /// <summary>Runs a whole compare or sweep through <paramref name="write"/>, with checkpoints when asked (<c>--checkpoint</c>, <c>--resume</c>): the stores are handed to the run, and the folder is deleted once the files are in place.</summary>
    /// <returns>The exit code.</returns>
    public static int WithCheckpoint(VariantJob job, RunSettings settings, PartSettings parts, string outputPath, CliContext context, Func<IReadOnlyList<ITrialChunkStore?>?, int> write)
    {
        if (!parts.Checkpoint)
        {
            return write(null);
        }

        CheckpointStore checkpoint;
        try
        {
            var bytes = job.ReadFiles();
            var (trials, seed) = VariantRuns.TrialsAndSeed(job.Loaded, settings);
            checkpoint = OpenCheckpoint(job, seed, new TrialRange(0, trials, trials, false), p => Convert.ToHexStringLower(SHA256.HashData(bytes[p])), outputPath, parts.Resume);
        }
        catch (CheckpointMismatchException e)
        {
            return RunCommand.Fail(context, e.Message);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return RunCommand.Fail(context, $"cannot keep checkpoints in '{outputPath}': {e.Message}");
        }

        int exit = write(Stores(checkpoint, job.Loaded));
        if (exit == ExitCodes.Success)
        {
            checkpoint.Delete();
            ReportResumed(checkpoint, context);
        }
        else if (exit == ExitCodes.Cancelled)
        {
            context.Stderr.WriteLine($"disastersim: completed chunks are kept in {checkpoint.Path} for --resume.");
        }

        return exit;
    }

    /// <summary>Opens the checkpoint folder of a compare or sweep over <paramref name="range"/> (kind <c>checkpoint</c>, the variants and options recorded so that a resume with other ones is refused).</summary>
    /// <exception cref="CheckpointMismatchException">Resuming, and the folder belongs to another command or options.</exception>
    /// <exception cref="IOException">The folder cannot be read or written.</exception>
    public static CheckpointStore OpenCheckpoint(VariantJob job, ulong seed, TrialRange range, Func<string, string> hash, string outputPath, bool resume)
    {
        var manifest = Manifest("checkpoint", job, seed, range, hash, null);
        return CheckpointStore.Open(outputPath, manifest, RecordShape.Of(job.Loaded[0].Scenario), resume);
    }

    /// <summary>The stores of every variant in <paramref name="checkpoint"/>, or null without one.</summary>
    public static IReadOnlyList<ITrialChunkStore?>? Stores(CheckpointStore? checkpoint, IReadOnlyList<(string Name, Scenario Scenario)> loaded) =>
        checkpoint is null ? null : [.. loaded.Select((v, i) => checkpoint.ForVariant(i, RecordShape.Of(v.Scenario)))];

    /// <summary>Says on stderr how many chunks came from an earlier run's checkpoint, and which could not be trusted (run, compare, sweep).</summary>
    public static void ReportResumed(CheckpointStore? checkpoint, CliContext context)
    {
        if (checkpoint is not null && checkpoint.LoadedChunks > 0)
        {
            context.Stderr.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Resumed: {checkpoint.LoadedChunks} chunks came from {checkpoint.Path}, {checkpoint.SavedChunks} were simulated now."));
        }

        if (checkpoint is not null && checkpoint.DiscardedChunks.Count > 0)
        {
            context.Stderr.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Note: {checkpoint.DiscardedChunks.Count} checkpointed chunks could not be trusted and were simulated again: {string.Join("; ", checkpoint.DiscardedChunks.Order(StringComparer.Ordinal))}."));
        }
    }

    // The manifest of a part or of a checkpoint: the command, its options, the variants with their files' hashes, the trials.
    private static ShardManifest Manifest(string kind, VariantJob job, ulong seed, TrialRange range, Func<string, string> hash, IReadOnlyList<string>? recordHashes)
    {
        var (command, files, arguments, inputs, loaded) = job;
        var scenario = loaded[0].Scenario;
        return new ShardManifest(kind, command, RunMetadata.CurrentEngineVersion, scenario.Name, Path.GetFileName(files[0]), hash(files[0]), seed, range.First, range.Count, range.Total, scenario.Services.Length, scenario.DataSets.Length, null)
        {
            Arguments = arguments,
            Variants = [.. loaded.Select((v, i) => new ShardVariant(
                inputs[i].Name,
                Path.GetFileName(inputs[i].Path),
                hash(inputs[i].Path),
                inputs[i].Overrides.Select(o => o.ToString()).ToList(),
                v.Scenario.Services.Length,
                v.Scenario.DataSets.Length,
                RecordsFileName(i),
                recordHashes?[i] ?? ""))],
        };
    }

    /// <summary>The values of an option recorded in a shard, in the order given; none when it was not given.</summary>
    public static string[] Values(ShardManifest manifest, string option) =>
        (manifest.Arguments ?? []).Where(a => a.Option == option).SelectMany(a => a.Values).ToArray();

    /// <summary>Rebuilds every variant's results as <see cref="Read"/> does, printing the failure; null when it fails.</summary>
    public static List<VariantResult>? TryRead(ShardSet set, IReadOnlyList<(string Name, Scenario Scenario)> loaded, IEnumerable<Metric> metrics, bool pairWithFirst, CliContext context, out int exitCode, IChunkGroupConsumer? more = null)
    {
        exitCode = ExitCodes.Success;
        try
        {
            return Read(set, loaded, metrics, pairWithFirst, context, more);
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            context.Stderr.WriteLine("disastersim: cancelled; no output written.");
            exitCode = ExitCodes.Cancelled;
        }
        catch (InvalidDataException e)
        {
            exitCode = RunCommand.Fail(context, e.Message);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            exitCode = RunCommand.Fail(context, $"cannot read the shards: {e.Message}");
        }

        return null;
    }

    /// <summary>Rebuilds every variant's results from the shards' records, read in step chunk group by chunk group into the same collectors as the command in one process: the very same results, in bounded memory.</summary>
    /// <param name="set">The shards, checked to belong together.</param>
    /// <param name="loaded">The variants as the analysis rebuilt them from the scenario copies and options.</param>
    /// <param name="metrics">The metrics the command collects.</param>
    /// <param name="pairWithFirst">Whether the command pairs each variant with the first (compare).</param>
    /// <param name="context">The console and cancellation.</param>
    /// <exception cref="InvalidDataException">A records file is missing or altered, or the variants rebuilt are not those the shards list.</exception>
    public static List<VariantResult> Read(ShardSet set, IReadOnlyList<(string Name, Scenario Scenario)> loaded, IEnumerable<Metric> metrics, bool pairWithFirst, CliContext context, IChunkGroupConsumer? more = null)
    {
        var listed = set.First.Variants!;
        string manifestPath = Path.Combine(set.Shards[0].Directory, ShardManifest.FileName);
        if (!loaded.Select(v => v.Name).SequenceEqual(listed.Select(v => v.Name)))
        {
            throw new InvalidDataException($"{manifestPath}: its options give the variants {string.Join(", ", loaded.Select(v => v.Name))} but it lists {string.Join(", ", listed.Select(v => v.Name))}; the file was altered");
        }

        for (int i = 0; i < loaded.Count; i++)
        {
            var scenario = loaded[i].Scenario;
            if (scenario.Services.Length != listed[i].Services || scenario.DataSets.Length != listed[i].DataSets)
            {
                throw new InvalidDataException($"{manifestPath}: variant {listed[i].Name} has {scenario.Services.Length} services and {scenario.DataSets.Length} data sets but its records {listed[i].Services} and {listed[i].DataSets}; the file was altered");
            }
        }

        set.VerifyRecords(context.CancellationToken);
        var collectors = VariantRuns.Collectors(loaded, metrics, set.First.Seed, 1, pairWithFirst);
        set.ReplayVariants([.. loaded.Select(v => RecordShape.Of(v.Scenario))], more is null ? collectors : new GroupConsumerChain([collectors, more]), context.CancellationToken);
        return collectors.Finish();
    }

    /// <summary>The scenario copies a compare or sweep shard set holds; null (with the message printed) when they cannot be read.</summary>
    internal static List<string>? ScenarioCopies(ShardSet set, CliContext context)
    {
        try
        {
            return set.ScenarioCopyPaths();
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            RunCommand.Fail(context, e.Message);
            return null;
        }
    }
}
