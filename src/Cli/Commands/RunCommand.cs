using System.CommandLine;
using System.Globalization;
using System.CommandLine.Parsing;
using System.Security.Cryptography;
using DisasterSim.Cli.Output;
using DisasterSim.Cli.Sharding;
using DisasterSim.Engine.Attribution;
using DisasterSim.Engine.Comparison;
using DisasterSim.Engine.MonteCarlo;
using DisasterSim.Engine.Simulation;
using DisasterSim.Engine.Statistics;
using DisasterSim.Models;
using Spectre.Console;

namespace DisasterSim.Cli.Commands;

/// <summary><c>disastersim run SCENARIO</c>: runs the Monte Carlo simulation, prints a summary and writes the result files.</summary>
public static class RunCommand
{
    /// <summary>The files a run writes, in the order they are written.</summary>
    public static IReadOnlyList<string> OutputFiles { get; } = ["summary.csv", "trials.csv", "incidents.csv", "metadata.json", "report.html"];

    /// <summary>The default of <c>--max-trial-years</c>: trials × horizon in years above this are refused.</summary>
    public const long DefaultMaxTrialYears = RunLimits.DefaultMaxTrialYears;

    // About what a row of incidents.csv takes, for the warning of a disk too small for it.
    private const double IncidentRowBytes = 150;


    /// <summary>Creates the command.</summary>
    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var scenario = new Argument<string>("scenario") { Description = "Path of the scenario YAML file." };
        var trials = new Option<long?>("--trials", "-n") { Description = "Number of trials [default: the scenario's simulation.trials]; with --precision, the first batch.", HelpName = "N" };
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
        var format = FormatOption();
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
        var stdout = StdoutOption();
        var check = new Option<bool>("--check")
        {
            Description = "Check the model's invariants after every event of every trial (several times slower, the same results); a violation is an engine defect and stops the run naming the trial.",
        };
        var noReport = new Option<bool>("--no-report") { Description = "Do not write report.html (drawing its charts adds about half a second); an older one in DIR is removed." };

        trials.CustomParser = result => ParseAtLeastOne(result, "--trials", long.MaxValue);
        trialsFrom.CustomParser = result => ParseAtLeast(result, "--trials-from", 0, long.MaxValue - 1);
        trialsTo.CustomParser = result => ParseAtLeastOne(result, "--trials-to", long.MaxValue);
        shard.Validators.Add(VariantShards.ValidateShard);
        threads.CustomParser = result => (int)(ParseAtLeastOne(result, "--threads", int.MaxValue) ?? 1);
        OptionChecks.AddTo(scenario, output, seed);

        var command = new Command("run", "Run the Monte Carlo simulation of a scenario and write its results.")
        {
            scenario, trials, seed, threads, output, noProgress, summaryOnly, noIncidents, format, shard, trialsFrom, trialsTo, checkpoint, resume, stdout, noReport, check,
        };
        limits.AddTo(command);
        var precision = new RunPrecision.Options();
        precision.AddTo(command, shard, trialsFrom, trialsTo, checkpoint, resume);
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
                parseResult.GetValue(noIncidents),
                parseResult.GetValue(format)!,
                precision.Read(parseResult),
                parseResult.GetValue(stdout),
                parseResult.GetValue(noReport),
                parseResult.GetValue(check)),
            context));
        return command;
    }

    /// <summary>The option <c>--stdout table|csv|json|md</c>: how the results are printed on stdout.</summary>
    public static Option<StdoutFormat> StdoutOption() => new("--stdout")
    {
        Description = "How stdout shows the results: table (for people, at most 100 columns), csv, json or md (Markdown).",
        HelpName = "table|csv|json|md",
        DefaultValueFactory = _ => StdoutFormat.Table,
        CustomParser = result =>
        {
            string text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
            if (Enum.TryParse<StdoutFormat>(text, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) && !int.TryParse(text, out _))
            {
                return parsed;
            }

            result.AddError($"--stdout must be table, csv, json or md; got '{text}'.");
            return StdoutFormat.Table;
        },
    };

    /// <summary>Creates <c>--format csv|xlsx|parquet</c>, of run and merge: the CSV files, those and results.xlsx, or the per-trial and per-incident files as Parquet.</summary>
    public static Option<string> FormatOption()
    {
        var format = new Option<string>("--format")
        {
            Description = "csv: the CSV files and metadata.json; xlsx: those and results.xlsx, the same tables as one workbook with typed cells that every locale reads alike; parquet: trials.parquet and incidents.parquet instead of trials.csv and incidents.csv (typed columns, a fraction of the size, for DuckDB, pandas or a spreadsheet's import). Older files of another format in DIR are removed.",
            HelpName = "csv|xlsx|parquet",
            DefaultValueFactory = _ => "csv",
        };
        format.AcceptOnlyFromAmong("csv", "xlsx", "parquet");
        return format;
    }

    /// <summary>The per-trial and per-incident files a run or merge writes for <c>--format</c>, and whether it writes results.xlsx too.</summary>
    internal static (PerTrialFiles Files, bool Workbook) Formats(string format, bool trials = true, bool incidents = true) =>
        (new PerTrialFiles(trials, incidents, format == "parquet" ? OutputFormat.Parquet : OutputFormat.Csv), format == "xlsx");

    /// <summary>The files of a run or merge that it does not write: the other format's, and an older results.xlsx without <c>--format xlsx</c>.</summary>
    internal static string[] Skipped(PerTrialFiles files, bool workbook) => [.. files.Skipped, .. workbook ? [] : new[] { ResultsWorkbook.FileName }];

    /// <summary>The names of the files a run or merge writes, in order.</summary>
    internal static string[] Written(PerTrialFiles files, bool workbook) => ["summary.csv", .. files.Written, "metadata.json", .. workbook ? new[] { ResultsWorkbook.FileName } : []];

    /// <summary>The default output directory for a scenario file: <c>out/NAME</c>.</summary>
    public static string DefaultOutputDirectory(string scenarioPath) =>
        Path.Combine("out", OptionChecks.FolderName(Path.GetFileNameWithoutExtension(scenarioPath)));

    /// <summary>Writes the summary files of <paramref name="result"/> into <paramref name="directory"/> and commits them with the files streamed during the run, all or nothing.</summary>
    /// <exception cref="IOException">A file cannot be written.</exception>
    /// <exception cref="UnauthorizedAccessException">A file cannot be written.</exception>
    /// <exception cref="OperationCanceledException">Cancelled; no new file is left in place.</exception>
    /// <param name="directory">Receives the files; <c>trials.csv</c> and <c>incidents.csv</c> were streamed into it already (see <see cref="StreamedRunFiles"/>), unless skipped.</param>
    /// <param name="result">The run.</param>
    /// <param name="causes">Its attribution to causes.</param>
    /// <param name="distributions">Its distributions and worst trials, for the report.</param>
    /// <param name="metadata">Its metadata.json.</param>
    /// <param name="cancellationToken">Stops the writing; nothing is renamed into place then.</param>
    /// <param name="writeMore">Writes further files into <paramref name="directory"/> before the commit (a shard's), or null.</param>
    /// <param name="skipped">The files of a run that this one did not write (<c>--summary-only</c>, <c>--no-incidents-csv</c>): older ones are removed, so that the directory never mixes two runs.</param>
    /// <param name="causes">Its attribution to causes.</param>
    /// <param name="distributions">Its distributions and worst trials, for the report.</param>
    /// <param name="workbook">Whether to write results.xlsx too, from the CSV files written.</param>
    /// <returns>The notes of the workbook's sheets that were cut at a sheet's row limit; empty without one.</returns>
    public static IReadOnlyList<string> WriteOutputs(OutputDirectory directory, RunResult result, CauseAttribution causes, RunDistributions distributions, RunMetadata metadata, CancellationToken cancellationToken, Action? writeMore = null, IReadOnlyList<string>? skipped = null, bool workbook = false)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(causes);
        ArgumentNullException.ThrowIfNull(metadata);
        FiniteGuard.CheckStatistics(result);
        var shares = causes.Results();
        directory.WriteText("summary.csv", w => CsvOutputs.WriteSummary(w, result, shares));
        cancellationToken.ThrowIfCancellationRequested();
        if (skipped?.Contains("report.html") != true)
        {
            string report = RunReport.Build(result, shares, distributions, metadata);
            directory.WriteText("report.html", w => w.Write(report));
        }
        cancellationToken.ThrowIfCancellationRequested();
        directory.Write("metadata.json", metadata.WriteJson);
        cancellationToken.ThrowIfCancellationRequested();
        IReadOnlyList<string> notes = [];
        if (workbook)
        {
            string[] csv = [.. OutputFiles.Where(f => f.EndsWith(".csv", StringComparison.Ordinal) && !(skipped ?? []).Contains(f))];
            notes = ResultsWorkbook.WriteInto(directory, csv, CsvOutputs.CurrencyUnit(result.Scenario));
            cancellationToken.ThrowIfCancellationRequested();
        }

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

        return notes;
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
        var (range, error) = ShardRange.Choose(request.Trials ?? scenario.Simulation.Trials, request.Trials, request.Shard, request.TrialsFrom, request.TrialsTo);
        return range is null
            ? (null, null, true, error)
            : (new RunOptions(range.Count, seed, request.Threads) { FirstTrial = range.First, Check = request.Check }, range.Total, range.IsPart, null);
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

        // A precision run starts with a batch of --trials and may run up to --max-trials: the guards below weigh the most.
        long mostTrials = options.Trials;
        if (request.Precision is { } precision)
        {
            if (precision.Statistic.Metric.Check(scenario) is string problem)
            {
                context.Stderr.WriteLine($"disastersim: error: --precision-metric {problem}");
                return ExitCodes.UsageError;
            }

            options = options with { Trials = RunPrecision.Target(precision, options.Trials).BatchTrials };
            mostTrials = precision.MaxTrials;
        }

        // Simulated years, then the time and memory a pilot of the run's first trials predicts: all before anything is created.
        var most = options with { Trials = mostTrials };
        if (request.Limits.Check([(scenario.Name, scenario, most)], keepRecords: false, together: true, context, out var profiles, request.Precision is null ? null : "--max-trials") is int refused)
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
                directory.CheckWritable([.. OutputFiles, ResultsWorkbook.FileName, .. PerTrialFiles.AllNames]);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return Fail(context, $"cannot write to output directory '{outputPath}': {e.Message}; check that it is writable and that no program (a spreadsheet) holds its files open, or choose another --out.");
            }

            var (perTrial, workbook) = Formats(request.Format, !request.SummaryOnly, !request.SummaryOnly && !request.NoIncidents);
            bool csv = perTrial.Format == OutputFormat.Csv;
            long needed = perTrial.Trials && csv ? MinimumOutputBytes(mostTrials, scenario.Services.Length + scenario.DataSets.Length) : 0;
            if (needed > 0 && context.FreeDiskBytes(outputPath) is long free && free < needed)
            {
                return Fail(context, string.Create(
                    CultureInfo.InvariantCulture,
                    $"not enough disk space for the results in '{outputPath}': trials.csv alone needs at least {RunLimits.Bytes(needed)} and {RunLimits.Bytes(free)} is free; free some space, choose another --out, or run fewer trials."));
            }

            // Only a warning: the pilot's incidents per trial are an estimate, not a bound.
            double incidentsBytes = profiles[0].IncidentsPerTrial * mostTrials * IncidentRowBytes;
            if (perTrial.Incidents && csv && context.FreeDiskBytes(outputPath) is long room && room < needed + incidentsBytes)
            {
                context.Stderr.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"Warning: incidents.csv may reach about {RunLimits.Bytes(incidentsBytes)} ({profiles[0].IncidentsPerTrial * mostTrials:N0} incidents) and {RunLimits.Bytes(room)} is free in '{outputPath}'; --no-incidents-csv leaves it out."));
            }

            var progress = new ProgressDisplay();
            bool simulated = false;
            try
            {
                var run = RunManifest(request, scenario, options, totalTrials, scenarioBytes);
                var store = request.Checkpoint ? CheckpointStore.Open(outputPath, run, RecordShape.Of(scenario), request.Resume) : null;
                string[] skipped = Skipped(perTrial, workbook);
                using var files = new StreamedRunFiles(directory, scenario, options, perTrial, isPart ? run.RecordsBinding() : null, context.CancellationToken);
                if (request.NoReport)
                {
                    skipped = [.. skipped, "report.html"];
                }

                var hooks = new RunHooks { Store = store, Consumers = files.Consumers, KeepRecords = false };
                string? converged = null;
                RunResult Run(IProgress<long> count)
                {
                    if (request.Precision is not { } precision)
                    {
                        return context.RunSimulation(scenario, options, hooks, count, context.CancellationToken);
                    }

                    (var outcome, converged) = RunPrecision.Simulate(scenario, options, precision, files.Consumers, count, context.CancellationToken);
                    return outcome;
                }

                var result = progress.Show(context, context.StderrIsTerminal && !request.NoProgress, "Simulating", mostTrials, Run);
                progress.Report(result.Options.Trials);
                simulated = true;

                // After the progress bar is gone, so that the two do not mix on stderr.
                if (converged is not null)
                {
                    context.Stderr.WriteLine(converged);
                }

                files.Complete();
                var metadata = RunMetadata.From(result, request.ScenarioPath, scenarioBytes);
                var cut = WriteOutputs(directory, result, files.Attribution, files.Distributions, metadata, context.CancellationToken, isPart ? () => WriteShardFiles(directory, run, scenarioBytes, files.RecordsHash!) : null, skipped, workbook);
                store?.Delete();
                RenderSummary(result, context, request.Stdout);
                ReportSketched(result, context);
                VariantShards.ReportResumed(store, context);

                ReportCut(cut, context);
                if (files.SpreadsheetNote() is string note)
                {
                    context.Stderr.WriteLine(note);
                }

                string[] names = [.. Written(perTrial, workbook), .. request.NoReport ? Array.Empty<string>() : ["report.html"]];
                string written = string.Join(", ", isPart ? [.. names, ShardManifest.RecordsFileName, ShardManifest.ScenarioCopyFileName, ShardManifest.FileName] : names);
                context.Stderr.WriteLine($"Wrote {written} to {outputPath}");
                return ExitCodes.Success;
            }
            catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
            {
                string of = request.Precision is null
                    ? options.Trials.ToString("N0", CultureInfo.InvariantCulture)
                    : "at most " + mostTrials.ToString("N0", CultureInfo.InvariantCulture);
                string progressText = simulated
                    ? "disastersim: cancelled while writing the results; nothing written"
                    : string.Create(CultureInfo.InvariantCulture, $"disastersim: cancelled after {progress.Completed:N0} of {of} trials; nothing written");
                context.Stderr.WriteLine(request.Checkpoint
                    ? $"{progressText}; completed chunks are kept in {Path.Combine(outputPath, CheckpointStore.FolderName)} for --resume."
                    : progressText + ".");
                return ExitCodes.Cancelled;
            }
            catch (CheckpointMismatchException e)
            {
                return Fail(context, e.Message);
            }
            catch (InvariantViolationException e)
            {
                return Fail(context, $"{e.Message}; this is an engine defect: please report it with the scenario file and seed {options.Seed}; nothing written");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return Fail(context, $"cannot write output to '{outputPath}': {e.Message}; no result file was replaced");
            }
        }
    }

    /// <summary>A lower bound of the size of trials.csv: every field at least one digit and a separator.</summary>
    public static long MinimumOutputBytes(long trials, int entities) => (long)Math.Min(trials * (2 + (4.0 * entities)), long.MaxValue);

    /// <summary>Prints the summary tables of <paramref name="result"/> to stdout in <paramref name="format"/>.</summary>
    internal static void RenderSummary(RunResult result, CliContext context, StdoutFormat format = StdoutFormat.Table) =>
        SummaryTable.Write(context.Stdout, result, format);

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

    /// <summary>Tells, on stderr, which sheets of results.xlsx were cut at the sheet row limit.</summary>
    internal static void ReportCut(IReadOnlyList<string> notes, CliContext context)
    {
        foreach (string note in notes)
        {
            context.Stderr.WriteLine($"Note: results.xlsx, sheet {note}.");
        }
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
        bool NoIncidents,
        string Format,
        RunPrecisionSettings? Precision,
        StdoutFormat Stdout,
        bool NoReport,
        bool Check);
}
