using System.CommandLine;
using System.Globalization;
using System.CommandLine.Parsing;
using System.Security.Cryptography;
using DisasterSim.Cli.Output;
using DisasterSim.Cli.Sharding;
using DisasterSim.Engine.MonteCarlo;
using DisasterSim.Engine.Statistics;
using DisasterSim.Models;
using Spectre.Console;

namespace DisasterSim.Cli.Commands;

/// <summary><c>disastersim run SCENARIO</c>: runs the Monte Carlo simulation, prints a summary and writes the result files.</summary>
public static class RunCommand
{
    /// <summary>The files a run writes, in the order they are written.</summary>
    public static IReadOnlyList<string> OutputFiles { get; } = ["summary.csv", "trials.csv", "incidents.csv", "metadata.json"];

    /// <summary>The default of <c>--max-trial-years</c>: trials × horizon in years above this are refused.</summary>
    public const long DefaultMaxTrialYears = RunLimits.DefaultMaxTrialYears;


    // About what a row of incidents.csv takes, for the warning of a disk too small for it.
    private const double IncidentRowBytes = 150;

    // Wide enough for the data set table when stdout is a file or a pipe, which has no width of its own.
    private const int RedirectedWidth = 200;

    /// <summary>Creates the command.</summary>
    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var scenario = new Argument<string>("scenario") { Description = "Path of the scenario YAML file." };
        var trials = new Option<long?>("--trials", "-n") { Description = "Number of trials [default: the scenario's simulation.trials].", HelpName = "N" };
        var seed = new Option<ulong?>("--seed", "-s") { Description = "Master seed [default: the scenario's simulation.seed].", HelpName = "S" };
        var threads = new Option<int>("--threads", "-t")
        {
            Description = "Worker threads; the results do not depend on it.",
            HelpName = "T",
            DefaultValueFactory = _ => Environment.ProcessorCount,
        };
        var output = new Option<string?>("--out", "-o") { Description = "Output directory [default: out/<scenario file name without extension>].", HelpName = "DIR" };
        var noProgress = new Option<bool>("--no-progress") { Description = "Do not show a progress bar on stderr." };
        var summaryOnly = new Option<bool>("--summary-only")
        {
            Description = "Write only summary.csv and metadata.json, not trials.csv and incidents.csv (one row per trial and per incident: gigabytes for huge runs); older ones in DIR are removed.",
        };
        var noIncidents = new Option<bool>("--no-incidents-csv")
        {
            Description = "Do not write incidents.csv (one row per incident: the largest file of a long run); an older one in DIR is removed.",
        };
        var shard = new Option<string?>("--shard")
        {
            Description = "Run only shard K of N (K from 0 to N-1) of the trials and write what 'merge' needs.",
            HelpName = "K/N",
        };
        var trialsFrom = new Option<long?>("--trials-from") { Description = "Run only the trials from this index (inclusive) [default: 0]; writes what 'merge' needs.", HelpName = "A" };
        var trialsTo = new Option<long?>("--trials-to") { Description = "Run only the trials up to this index (exclusive) [default: --trials]; writes what 'merge' needs.", HelpName = "B" };
        var checkpoint = new Option<bool>("--checkpoint") { Description = "Save completed chunks of trials to DIR/.checkpoint so that --resume can finish the run if it is stopped." };
        var resume = new Option<bool>("--resume") { Description = "Reuse the chunks an interrupted run saved in DIR/.checkpoint (implies --checkpoint; starts afresh when there are none)." };
        var limits = new RunLimits.Options();

        trials.CustomParser = result => ParseAtLeastOne(result, "--trials", long.MaxValue);
        trialsFrom.CustomParser = result => ParseAtLeast(result, "--trials-from", 0, long.MaxValue - 1);
        trialsTo.CustomParser = result => ParseAtLeastOne(result, "--trials-to", long.MaxValue);
        shard.Validators.Add(result =>
        {
            string text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
            if (ShardRange.Parse(text) is null)
            {
                result.AddError($"--shard must be K/N with 0 ≤ K < N (shard K of N, counted from 0, as SLURM_ARRAY_TASK_ID and JOB_COMPLETION_INDEX are); got '{text}'.");
            }
        });
        threads.CustomParser = result => (int)(ParseAtLeastOne(result, "--threads", int.MaxValue) ?? 1);

        OptionChecks.AddTo(scenario, output, seed);
        var command = new Command("run", "Run the Monte Carlo simulation of a scenario and write its results.")
        {
            scenario, trials, seed, threads, output, noProgress, summaryOnly, noIncidents, shard, trialsFrom, trialsTo, checkpoint, resume,
        };
        limits.AddTo(command);
        command.Validators.Add(result =>
        {
            if (result.GetValue(shard) is not null && (result.GetValue(trialsFrom) is not null || result.GetValue(trialsTo) is not null))
            {
                result.AddError("--shard cannot be combined with --trials-from or --trials-to; give one way of choosing the trials.");
            }
        });
        command.SetAction(parseResult => Execute(
            new Request(
                parseResult.GetRequiredValue(scenario),
                parseResult.GetValue(trials),
                parseResult.GetValue(seed),
                parseResult.GetValue(threads),
                parseResult.GetValue(output),
                parseResult.GetValue(noProgress),
                parseResult.GetValue(shard),
                parseResult.GetValue(trialsFrom),
                parseResult.GetValue(trialsTo),
                parseResult.GetValue(checkpoint) || parseResult.GetValue(resume),
                parseResult.GetValue(resume),
                limits.Read(parseResult),
                parseResult.GetValue(summaryOnly),
                parseResult.GetValue(noIncidents)),
            context));
        return command;
    }

    /// <summary>The default output directory for a scenario file: <c>out/NAME</c>.</summary>
    public static string DefaultOutputDirectory(string scenarioPath) =>
        Path.Combine("out", OptionChecks.FolderName(Path.GetFileNameWithoutExtension(scenarioPath)));

    /// <summary>Writes the summary files of <paramref name="result"/> into <paramref name="directory"/> and commits them with the files streamed during the run, all or nothing.</summary>
    /// <exception cref="IOException">A file cannot be written.</exception>
    /// <exception cref="UnauthorizedAccessException">A file cannot be written.</exception>
    /// <exception cref="OperationCanceledException">Cancelled; no new file is left in place.</exception>
    /// <param name="directory">Receives the files; <c>trials.csv</c> and <c>incidents.csv</c> were streamed into it already (see <see cref="StreamedRunFiles"/>), unless skipped.</param>
    /// <param name="result">The run.</param>
    /// <param name="metadata">Its metadata.json.</param>
    /// <param name="cancellationToken">Stops the writing; nothing is renamed into place then.</param>
    /// <param name="writeMore">Writes further files into <paramref name="directory"/> before the commit (a shard's), or null.</param>
    /// <param name="skipped">The files of a run that this one did not write (<c>--summary-only</c>, <c>--no-incidents-csv</c>): older ones are removed, so that the directory never mixes two runs.</param>
    public static void WriteOutputs(OutputDirectory directory, RunResult result, RunMetadata metadata, CancellationToken cancellationToken, Action? writeMore = null, IReadOnlyList<string>? skipped = null)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(metadata);
        FiniteGuard.CheckStatistics(result);
        directory.WriteText("summary.csv", w => CsvOutputs.WriteSummary(w, result));
        cancellationToken.ThrowIfCancellationRequested();
        directory.Write("metadata.json", metadata.WriteJson);
        cancellationToken.ThrowIfCancellationRequested();
        if (writeMore is not null)
        {
            writeMore();
            cancellationToken.ThrowIfCancellationRequested();
        }

        directory.Commit();
        foreach (string file in skipped ?? [])
        {
            File.Delete(Path.Combine(directory.Path, file));
        }
    }

    /// <summary>Writes the files a merge needs next to a part's outputs, after its streamed <c>shard.bin</c>: the scenario's copy and, last, <c>shard.json</c>.</summary>
    /// <exception cref="IOException">A file cannot be written.</exception>
    public static void WriteShardFiles(OutputDirectory directory, ShardManifest manifest, byte[] scenarioBytes, string recordsHash)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(manifest);
        directory.Write(ShardManifest.ScenarioCopyFileName, stream => stream.Write(scenarioBytes));

        // Renamed into place last: a directory whose shard.json exists holds a complete shard.
        directory.Write(ShardManifest.FileName, (manifest with { Kind = "shard", RecordsSha256 = recordsHash }).WriteJson);
    }

    // What identifies this run (or part): the checkpoint's manifest, the shard's once its records are hashed, and their binding.
    private static ShardManifest RunManifest(Request request, Scenario scenario, RunOptions options, long? totalTrials, byte[] scenarioBytes) => new(
        "checkpoint",
        "run",
        RunMetadata.CurrentEngineVersion,
        scenario.Name,
        Path.GetFileName(request.ScenarioPath),
        Convert.ToHexStringLower(SHA256.HashData(scenarioBytes)),
        options.Seed,
        options.FirstTrial,
        options.Trials,
        totalTrials,
        scenario.Services.Length,
        scenario.DataSets.Length,
        null);

    // A parser rather than a validator: a validator would only run after the type conversion, which throws on "abc".
    private static long? ParseAtLeastOne(ArgumentResult result, string option, long max) => ParseAtLeast(result, option, 1, max);

    private static long? ParseAtLeast(ArgumentResult result, string option, long min, long max)
    {
        string text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long value) && value >= min && value <= max)
        {
            return value;
        }

        result.AddError(string.Create(
            CultureInfo.InvariantCulture,
            $"{option} must be a whole number of at least {min} (at most {max}); got '{text}'."));
        return null;
    }

    /// <summary>The trials a request runs, the total the part belongs to (when known), and whether it is a part; an error message when they make no sense.</summary>
    private static (RunOptions? Options, long? TotalTrials, bool IsPart, string? Error) ChooseTrials(Request request, Scenario scenario)
    {
        ulong seed = request.Seed ?? scenario.Simulation.Seed;
        long total = request.Trials ?? scenario.Simulation.Trials;
        if (request.Shard is string shardText && ShardRange.Parse(shardText) is var (index, count))
        {
            var (first, trials) = ShardRange.Of(total, index, count);
            if (trials == 0)
            {
                return (null, null, true, string.Create(CultureInfo.InvariantCulture, $"--shard {shardText}: {count} shards of {total} trials leave shard {index} empty; use at most {total} shards."));
            }

            return (new RunOptions(trials, seed, request.Threads) { FirstTrial = first }, total, true, null);
        }

        if (request.TrialsFrom is null && request.TrialsTo is null)
        {
            return (new RunOptions(total, seed, request.Threads), null, false, null);
        }

        long from = request.TrialsFrom ?? 0;
        long to = request.TrialsTo ?? total;
        if (to <= from)
        {
            return (null, null, true, string.Create(CultureInfo.InvariantCulture, $"--trials-from {from} must be below --trials-to {to} (the range is from inclusive, to exclusive)."));
        }

        if (request.Trials is long declared && to > declared)
        {
            return (null, null, true, string.Create(CultureInfo.InvariantCulture, $"--trials-to {to} is beyond --trials {declared}; the range must lie inside the run's trials."));
        }

        return (new RunOptions(to - from, seed, request.Threads) { FirstTrial = from }, request.Trials, true, null);
    }

    private static int Execute(Request request, CliContext context)
    {
        var loaded = ScenarioInput.Load(request.ScenarioPath, context);
        if (loaded.Scenario is not { } scenario)
        {
            return ExitCodes.InvalidScenario;
        }

        byte[] scenarioBytes;
        try
        {
            // Hashed for metadata.json and the checkpoint: the very bytes the loader parsed, read again only when a test's loader does not give them.
            scenarioBytes = loaded.Bytes ?? ScenarioInput.ReadBytes(request.ScenarioPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Fail(context, $"cannot read '{request.ScenarioPath}': {e.Message}");
        }

        var (options, totalTrials, isPart, error) = ChooseTrials(request, scenario);
        if (options is null)
        {
            context.Stderr.WriteLine($"disastersim: {error}");
            return ExitCodes.UsageError;
        }

        // Simulated years, then the time and memory a pilot of the run's first trials predicts: all before anything is created.
        if (request.Limits.Check([(scenario.Name, scenario, options)], keepRecords: false, together: true, context, out var profiles) is int refused)
        {
            return refused;
        }

        // Trials of many incidents each go in smaller chunks, so that the chunks in flight stay small.
        options = options with { ChunkTrials = profiles[0].ChunkTrials };

        string outputPath = request.OutputDirectory ?? DefaultOutputDirectory(request.ScenarioPath);
        OutputDirectory directory;
        try
        {
            // Checked before the run so an unwritable directory or a locked file fails in a second, not after an hour of simulation.
            directory = new OutputDirectory(outputPath, context.LockHolder);
        }
        catch (OutputLockedException e)
        {
            return Fail(context, e.Message);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return Fail(context, $"cannot create output directory '{outputPath}': {e.Message}");
        }

        using (directory)
        {
            try
            {
                directory.CheckWritable(OutputFiles);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return Fail(context, $"cannot write to output directory '{outputPath}': {e.Message}; check that it is writable and that no program (a spreadsheet) holds its files open, or choose another --out.");
            }

            string[] skipped = request.SummaryOnly ? ["trials.csv", "incidents.csv"] : request.NoIncidents ? ["incidents.csv"] : [];
            long needed = skipped.Contains("trials.csv") ? 0 : MinimumOutputBytes(options.Trials, scenario.Services.Length + scenario.DataSets.Length);
            if (needed > 0 && context.FreeDiskBytes(outputPath) is long free && free < needed)
            {
                return Fail(context, string.Create(
                    CultureInfo.InvariantCulture,
                    $"not enough disk space for the results in '{outputPath}': trials.csv alone needs at least {RunLimits.Bytes(needed)} and {RunLimits.Bytes(free)} is free; free some space, choose another --out, or run fewer trials."));
            }

            // Only a warning: the pilot's incidents per trial are an estimate, not a bound.
            double incidentsBytes = profiles[0].IncidentsPerTrial * options.Trials * IncidentRowBytes;
            if (!skipped.Contains("incidents.csv") && context.FreeDiskBytes(outputPath) is long room && room < needed + incidentsBytes)
            {
                context.Stderr.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"Warning: incidents.csv may reach about {RunLimits.Bytes(incidentsBytes)} ({profiles[0].IncidentsPerTrial * options.Trials:N0} incidents) and {RunLimits.Bytes(room)} is free in '{outputPath}'; --no-incidents-csv leaves it out."));
            }

            var progress = new ProgressCount();
            try
            {
                var run = RunManifest(request, scenario, options, totalTrials, scenarioBytes);
                var store = request.Checkpoint ? CheckpointStore.Open(outputPath, run, RecordShape.Of(scenario), request.Resume) : null;

                using var files = new StreamedRunFiles(directory, scenario, options, !skipped.Contains("trials.csv"), !skipped.Contains("incidents.csv"), isPart ? run.RecordsBinding() : null, context.CancellationToken);
                var hooks = new RunHooks { Store = store, Consumers = files.Consumers, KeepRecords = false };
                var result = Simulate(scenario, options, hooks, context, progress, showProgress: context.StderrIsTerminal && !request.NoProgress);
                progress.Report(options.Trials);
                files.Complete();
                var metadata = RunMetadata.From(result, request.ScenarioPath, scenarioBytes);
                WriteOutputs(directory, result, metadata, context.CancellationToken, isPart ? () => WriteShardFiles(directory, run, scenarioBytes, files.RecordsHash!) : null, skipped);
                store?.Delete();
                RenderSummary(result, context);
                ReportSketched(result, context);
                if (store is not null && store.LoadedChunks > 0)
                {
                    context.Stderr.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Resumed: {store.LoadedChunks} chunks came from {store.Path}, {store.SavedChunks} were simulated now."));
                }

                if (store is not null && store.DiscardedChunks.Count > 0)
                {
                    context.Stderr.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Note: {store.DiscardedChunks.Count} checkpointed chunks could not be trusted and were simulated again: {string.Join("; ", store.DiscardedChunks.Order(StringComparer.Ordinal))}."));
                }

                string[] names = [.. OutputFiles.Except(skipped)];
                string written = string.Join(", ", isPart ? [.. names, ShardManifest.RecordsFileName, ShardManifest.ScenarioCopyFileName, ShardManifest.FileName] : names);
                context.Stderr.WriteLine($"Wrote {written} to {outputPath}");
                return ExitCodes.Success;
            }
            catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
            {
                string progressText = progress.Completed >= options.Trials
                    ? "disastersim: cancelled while writing the results; nothing written"
                    : string.Create(CultureInfo.InvariantCulture, $"disastersim: cancelled after {progress.Completed:N0} of {options.Trials:N0} trials; nothing written");
                context.Stderr.WriteLine(request.Checkpoint
                    ? $"{progressText}; completed chunks are kept in {Path.Combine(outputPath, CheckpointStore.FolderName)} for --resume."
                    : progressText + ".");
                return ExitCodes.Cancelled;
            }
            catch (CheckpointMismatchException e)
            {
                return Fail(context, e.Message);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return Fail(context, $"cannot write output to '{outputPath}': {e.Message}; no result file was replaced");
            }
        }
    }

    /// <summary>A lower bound of the size of trials.csv: every field at least one digit and a separator.</summary>
    public static long MinimumOutputBytes(long trials, int entities) => (long)Math.Min(trials * (2 + (4.0 * entities)), long.MaxValue);

    private static RunResult Simulate(Scenario scenario, RunOptions options, RunHooks hooks, CliContext context, ProgressCount count, bool showProgress)
    {
        if (!showProgress)
        {
            return context.RunSimulation(scenario, options, hooks, count, context.CancellationToken);
        }

        var stderr = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(context.Stderr),
            Ansi = AnsiSupport.Detect,
            Interactive = InteractionSupport.Yes,
        });
        RunResult? result = null;
        stderr.Progress()
            .AutoClear(true)
            .HideCompleted(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask("Simulating", maxValue: options.Trials);
                count.Next = new TaskProgress(task);
                result = context.RunSimulation(scenario, options, hooks, count, context.CancellationToken);
                task.Value = task.MaxValue;
            });
        return result!;
    }

    /// <summary>Prints the summary table of <paramref name="result"/> to stdout.</summary>
    internal static void RenderSummary(RunResult result, CliContext context)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(context.Stdout),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        if (!ReferenceEquals(context.Stdout, Console.Out) || Console.IsOutputRedirected)
        {
            console.Profile.Width = RedirectedWidth;
        }

        SummaryTable.Render(console, result);
    }

    /// <summary>Tells, on stderr, which statistics outgrew the exact budget: their percentiles are the sketch's, within its relative error.</summary>
    internal static void ReportSketched(RunResult result, CliContext context)
    {
        if (result.SketchedStatistics.Count == 0)
        {
            return;
        }

        context.Stderr.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"Note: percentiles of {string.Join("; ", result.SketchedStatistics)} come from a quantile sketch (relative error at most {QuantileSketch.DefaultRelativeAccuracy * 100:0.###}%): their values outgrew their share of the {result.Options.ExactValueBudget:N0} values the statistics keep exactly. Means, maxima and shares are exact."));
    }

    internal static int Fail(CliContext context, string message)
    {
        context.Stderr.WriteLine($"disastersim: error: {message}");
        return ExitCodes.RuntimeFailure;
    }

    private sealed record Request(
        string ScenarioPath,
        long? Trials,
        ulong? Seed,
        int Threads,
        string? OutputDirectory,
        bool NoProgress,
        string? Shard,
        long? TrialsFrom,
        long? TrialsTo,
        bool Checkpoint,
        bool Resume,
        RunLimits Limits,
        bool SummaryOnly,
        bool NoIncidents);

    // Reports arrive from worker threads in any order; the bar only moves forward.
    private sealed class ProgressCount : IProgress<long>
    {
        private long _completed;

        public IProgress<long>? Next { get; set; }

        public long Completed => Interlocked.Read(ref _completed);

        public void Report(long value)
        {
            long seen;
            while (value > (seen = Interlocked.Read(ref _completed)) && Interlocked.CompareExchange(ref _completed, value, seen) != seen)
            {
            }

            Next?.Report(value);
        }
    }

    private sealed class TaskProgress(ProgressTask task) : IProgress<long>
    {
        private readonly Lock _lock = new();
        private long _completed;

        public void Report(long value)
        {
            lock (_lock)
            {
                if (value > _completed)
                {
                    _completed = value;
                    task.Value = value;
                }
            }
        }
    }
}
