using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography;
using DisasterSim.Cli.Output;
using DisasterSim.Cli.Sharding;
using DisasterSim.Engine.Comparison;
using DisasterSim.Engine.MonteCarlo;
using DisasterSim.Models;

namespace DisasterSim.Cli.Commands;

/// <summary>
/// Shards of compare and sweep: a shard is a range of the trials of every variant, so the variants keep their common random
/// numbers. A shard writes its variants' trial records and what redoes the analysis; merge reads them back into whole runs.
/// </summary>
internal static class VariantShards
{
    /// <summary>The folder of a shard directory that holds the copies of the scenario files.</summary>
    public const string ScenarioCopyFolder = "scenarios";

    /// <summary>The option <c>--shard K/N</c> of compare and sweep.</summary>
    public static Option<string?> ShardOption()
    {
        var shard = new Option<string?>("--shard")
        {
            Description = "Run only shard K of N (K from 0 to N-1) of the trials of every variant and write what 'merge' needs to write this command's files.",
            HelpName = "K/N",
        };
        shard.Validators.Add(result =>
        {
            string text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
            if (ShardRange.Parse(text) is null)
            {
                result.AddError($"--shard must be K/N with 0 ≤ K < N (shard K of N, counted from 0, as SLURM_ARRAY_TASK_ID and JOB_COMPLETION_INDEX are); got '{text}'.");
            }
        });
        return shard;
    }

    /// <summary>The name of variant <paramref name="index"/>'s records file in a shard directory.</summary>
    public static string RecordsFileName(int index) => string.Create(CultureInfo.InvariantCulture, $"variant-{index}.bin");

    /// <summary>Runs shard <paramref name="shardText"/> of every variant and writes the shard directory.</summary>
    /// <param name="command"><c>compare</c> or <c>sweep</c>.</param>
    /// <param name="files">The scenario files as given on the command line, in order; each is copied into the shard.</param>
    /// <param name="arguments">The options that shape the analysis, as given.</param>
    /// <param name="inputs">The variants' inputs.</param>
    /// <param name="loaded">The variants, loaded.</param>
    /// <param name="settings">Trials, seed and threads.</param>
    /// <param name="shardText"><c>K/N</c>, validated.</param>
    /// <param name="outputPath">The shard directory.</param>
    /// <param name="context">The console and engine.</param>
    /// <returns>The exit code.</returns>
    public static int Write(
        string command,
        IReadOnlyList<string> files,
        IReadOnlyList<ShardArgument> arguments,
        IReadOnlyList<VariantInput> inputs,
        IReadOnlyList<(string Name, Scenario Scenario)> loaded,
        RunSettings settings,
        string shardText,
        string outputPath,
        CliContext context)
    {
        if (settings.Precision is not null)
        {
            context.Stderr.WriteLine("disastersim: --shard cannot be combined with --precision: a shard runs a fixed range of trials; give --trials.");
            return ExitCodes.UsageError;
        }

        var (index, count) = ShardRange.Parse(shardText)!.Value;
        var baseline = loaded[0].Scenario.Simulation;
        long total = settings.Trials ?? baseline.Trials;
        ulong seed = settings.Seed ?? baseline.Seed;
        var (first, trials) = ShardRange.Of(total, index, count);
        if (trials == 0)
        {
            context.Stderr.WriteLine(string.Create(CultureInfo.InvariantCulture, $"disastersim: --shard {shardText}: {count} shards of {total} trials leave shard {index} empty; use at most {total} shards."));
            return ExitCodes.UsageError;
        }

        Dictionary<string, byte[]> bytes;
        try
        {
            // Read before the runs, so that a file edited meanwhile is not the one copied.
            bytes = files.Concat(inputs.Select(i => i.Path)).Distinct().ToDictionary(p => p, ScenarioInput.ReadBytes);
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

        try
        {
            var options = new RunOptions(trials, seed, settings.Threads) { FirstTrial = first };
            var results = loaded.Select(v => context.RunSimulation(v.Scenario, options, RunHooks.Default, null, context.CancellationToken)).ToList();
            var copies = new List<ShardScenarioCopy>();
            for (int i = 0; i < files.Count; i++)
            {
                string folder = i.ToString(CultureInfo.InvariantCulture);
                string name = Path.GetFileName(files[i]);
                byte[] content = bytes[files[i]];
                directory.Write(Path.Combine(ScenarioCopyFolder, folder, name), s => s.Write(content));
                copies.Add(new ShardScenarioCopy($"{ScenarioCopyFolder}/{folder}/{name}", Hash(files[i])));
            }

            var scenario = loaded[0].Scenario;
            var manifest = new ShardManifest(
                "shard",
                command,
                RunMetadata.CurrentEngineVersion,
                scenario.Name,
                Path.GetFileName(files[0]),
                Hash(files[0]),
                seed,
                first,
                trials,
                total,
                scenario.Services.Length,
                scenario.DataSets.Length,
                null)
            {
                Arguments = arguments,
                ScenarioCopies = copies,
            };
            var variants = new List<ShardVariant>();
            for (int i = 0; i < results.Count; i++)
            {
                var result = results[i];
                var variant = new ShardVariant(
                    inputs[i].Name,
                    Path.GetFileName(inputs[i].Path),
                    Hash(inputs[i].Path),
                    inputs[i].Overrides.Select(o => o.ToString()).ToList(),
                    result.Scenario.Services.Length,
                    result.Scenario.DataSets.Length,
                    RecordsFileName(i),
                    "");
                string recordsHash = "";
                directory.Write(RecordsFileName(i), stream =>
                {
                    using var hashing = new HashingStream(stream);
                    TrialRecordsFile.Write(hashing, manifest.RecordsBinding(variant), result.Trials, first, trials, result.Incidents, result.DataLosses);
                    recordsHash = hashing.HashHex();
                });
                context.CancellationToken.ThrowIfCancellationRequested();
                variants.Add(variant with { RecordsSha256 = recordsHash });
            }

            manifest = manifest with { Variants = variants };

            // Renamed into place last: a directory whose shard.json exists holds a complete shard.
            directory.Write(ShardManifest.FileName, manifest.WriteJson);
            context.CancellationToken.ThrowIfCancellationRequested();
            directory.Commit();
            context.Stderr.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"Shard {index}/{count} of {command}: trials {first}..{first + trials - 1} of {total} of {loaded.Count} variants, seed {seed}. Wrote {ShardManifest.FileName}, {RecordsFileName(0)}..{RecordsFileName(loaded.Count - 1)} and the scenario copies to {outputPath}; 'disastersim merge' writes the {command} files."));
            return ExitCodes.Success;
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            context.Stderr.WriteLine("disastersim: cancelled; no output written.");
            return ExitCodes.Cancelled;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return RunCommand.Fail(context, $"cannot write output to '{outputPath}': {e.Message}");
        }
    }

    /// <summary>The values of an option recorded in a shard, in the order given; none when it was not given.</summary>
    public static string[] Values(ShardManifest manifest, string option) =>
        (manifest.Arguments ?? []).Where(a => a.Option == option).SelectMany(a => a.Values).ToArray();

    /// <summary>Rebuilds every variant's whole run as <see cref="Read"/> does, printing the failure; null when it fails.</summary>
    public static List<VariantResult>? TryRead(ShardSet set, IReadOnlyList<(string Name, Scenario Scenario)> loaded, CliContext context, out int exitCode)
    {
        exitCode = ExitCodes.Success;
        try
        {
            return Read(set, loaded, context);
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

    /// <summary>Rebuilds every variant's whole run from the shards' records, exactly as one process would have computed it.</summary>
    /// <param name="set">The shards, checked to belong together.</param>
    /// <param name="loaded">The variants as the analysis rebuilt them from the scenario copies and options.</param>
    /// <param name="context">The console and cancellation.</param>
    /// <exception cref="InvalidDataException">A records file is missing or altered, or the variants rebuilt are not those the shards list.</exception>
    public static List<VariantResult> Read(ShardSet set, IReadOnlyList<(string Name, Scenario Scenario)> loaded, CliContext context)
    {
        var listed = set.First.Variants!;
        string manifestPath = Path.Combine(set.Shards[0].Directory, ShardManifest.FileName);
        if (!loaded.Select(v => v.Name).SequenceEqual(listed.Select(v => v.Name)))
        {
            throw new InvalidDataException($"{manifestPath}: its options give the variants {string.Join(", ", loaded.Select(v => v.Name))} but it lists {string.Join(", ", listed.Select(v => v.Name))}; the file was altered");
        }

        set.VerifyRecords(context.CancellationToken);
        var options = new RunOptions(set.TotalTrials, set.First.Seed, 1);
        var results = new List<VariantResult>();
        for (int i = 0; i < loaded.Count; i++)
        {
            var scenario = loaded[i].Scenario;
            if (scenario.Services.Length != listed[i].Services || scenario.DataSets.Length != listed[i].DataSets)
            {
                throw new InvalidDataException($"{manifestPath}: variant {listed[i].Name} has {scenario.Services.Length} services and {scenario.DataSets.Length} data sets but its records {listed[i].Services} and {listed[i].DataSets}; the file was altered");
            }

            var (table, incidents, losses) = set.ReadVariantRecords(i, RecordShape.Of(scenario), context.CancellationToken);
            results.Add(new VariantResult(loaded[i].Name, MonteCarloRunner.Summarize(scenario, options, table, incidents, losses)));
        }

        return results;
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
