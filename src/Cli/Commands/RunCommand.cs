using System.CommandLine;
using System.Globalization;
using System.CommandLine.Parsing;
using DisasterSim.Cli.Output;
using DisasterSim.Engine.MonteCarlo;
using DisasterSim.Models;
using Spectre.Console;

namespace DisasterSim.Cli.Commands;

/// <summary><c>disastersim run SCENARIO</c>: runs the Monte Carlo simulation, prints a summary and writes the result files.</summary>
public static class RunCommand
{
    /// <summary>The files a run writes, in the order they are written.</summary>
    public static IReadOnlyList<string> OutputFiles { get; } = ["summary.csv", "trials.csv", "incidents.csv", "metadata.json"];

    /// <summary>The default of <c>--max-trial-years</c>: trials × horizon in years above this are refused.</summary>
    public const long DefaultMaxTrialYears = 10_000_000;

    // Options that cannot change the results: left out of the recorded command line, so it is the same for every thread count.
    private static readonly string[] OptionsWithoutEffect = ["--threads", "-t", "--out", "-o"];
    private static readonly string[] FlagsWithoutEffect = ["--no-progress"];

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
        var maxTrialYears = new Option<long>("--max-trial-years")
        {
            Description = "Refuse runs of more than Y simulated years in all (trials × horizon); a guard against a typo in --trials.",
            HelpName = "Y",
            DefaultValueFactory = _ => DefaultMaxTrialYears,
        };

        trials.CustomParser = result => ParseAtLeastOne(result, "--trials", long.MaxValue);
        threads.CustomParser = result => (int)(ParseAtLeastOne(result, "--threads", int.MaxValue) ?? 1);
        maxTrialYears.CustomParser = result => ParseAtLeastOne(result, "--max-trial-years", long.MaxValue) ?? DefaultMaxTrialYears;

        var command = new Command("run", "Run the Monte Carlo simulation of a scenario and write its results.")
        {
            scenario, trials, seed, threads, output, noProgress, maxTrialYears,
        };
        command.SetAction(parseResult => Execute(
            new Request(
                parseResult.GetRequiredValue(scenario),
                parseResult.GetValue(trials),
                parseResult.GetValue(seed),
                parseResult.GetValue(threads),
                parseResult.GetValue(output),
                parseResult.GetValue(noProgress),
                parseResult.GetValue(maxTrialYears)),
            context));
        return command;
    }

    /// <summary>The default output directory for a scenario file: <c>out/NAME</c>.</summary>
    public static string DefaultOutputDirectory(string scenarioPath) =>
        Path.Combine("out", Path.GetFileNameWithoutExtension(scenarioPath));

    /// <summary>Writes every output file of <paramref name="result"/> into <paramref name="directory"/>, all or nothing.</summary>
    /// <exception cref="IOException">A file cannot be written.</exception>
    /// <exception cref="UnauthorizedAccessException">A file cannot be written.</exception>
    /// <exception cref="OperationCanceledException">Cancelled; no new file is left in place.</exception>
    public static void WriteOutputs(OutputDirectory directory, RunResult result, RunMetadata metadata, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(metadata);
        directory.WriteText("summary.csv", w => CsvOutputs.WriteSummary(w, result));
        cancellationToken.ThrowIfCancellationRequested();
        directory.WriteText("trials.csv", w => CsvOutputs.WriteTrials(w, result, cancellationToken));
        cancellationToken.ThrowIfCancellationRequested();
        directory.WriteText("incidents.csv", w => CsvOutputs.WriteIncidents(w, result, cancellationToken));
        cancellationToken.ThrowIfCancellationRequested();
        directory.Write("metadata.json", metadata.WriteJson);
        cancellationToken.ThrowIfCancellationRequested();
        directory.Commit();
    }

    // A parser rather than a validator: a validator would only run after the type conversion, which throws on "abc".
    private static long? ParseAtLeastOne(ArgumentResult result, string option, long max)
    {
        string text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long value) && value >= 1 && value <= max)
        {
            return value;
        }

        result.AddError(string.Create(
            CultureInfo.InvariantCulture,
            $"{option} must be a whole number of at least 1 (at most {max}); got '{text}'."));
        return null;
    }

    private static int Execute(Request request, CliContext context)
    {
        var (scenario, _, _) = ScenarioInput.Load(request.ScenarioPath, context);
        if (scenario is null)
        {
            return ExitCodes.InvalidScenario;
        }

        byte[] scenarioBytes;
        try
        {
            // Hashed for metadata.json, read before the run so a long run does not hash a file edited meanwhile.
            scenarioBytes = File.ReadAllBytes(request.ScenarioPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Fail(context, $"cannot read '{request.ScenarioPath}': {e.Message}");
        }

        var options = new RunOptions(
            request.Trials ?? scenario.Simulation.Trials,
            request.Seed ?? scenario.Simulation.Seed,
            request.Threads);
        double trialYears = options.Trials * (scenario.Simulation.HorizonHours / SimulationSettings.HoursPerYear);
        if (trialYears > request.MaxTrialYears)
        {
            context.Stderr.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"disastersim: error: {options.Trials:N0} trials × {DurationText.Format(scenario.Simulation.HorizonHours)} horizon = {trialYears:N0} simulated years, over the limit of {request.MaxTrialYears:N0} (trials × horizon). Lower --trials (or simulation.trials), or raise the limit with --max-trial-years {Math.Ceiling(trialYears):0} if you mean it."));
            return ExitCodes.UsageError;
        }

        // In doubles: a tiny horizon lets a huge trial count past the trial-years limit, and the product must not overflow.
        double tableBytes = options.Trials * (double)((scenario.Services.Length * TableBytesPerService) + (scenario.DataSets.Length * TableBytesPerDataSet));
        long memory = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        if (tableBytes > memory / 2.0)
        {
            return Fail(context, string.Create(
                CultureInfo.InvariantCulture,
                $"{options.Trials:N0} trials need about {Megabytes((long)Math.Min(tableBytes, long.MaxValue))} of memory for the per-trial results, and {Megabytes(memory)} is available; run fewer trials (--trials)."));
        }

        string outputPath = request.OutputDirectory ?? DefaultOutputDirectory(request.ScenarioPath);
        OutputDirectory directory;
        try
        {
            // Checked before the run so an unwritable directory or a locked file fails in a second, not after an hour of simulation.
            directory = new OutputDirectory(outputPath);
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

            long needed = MinimumOutputBytes(options.Trials, scenario.Services.Length + scenario.DataSets.Length);
            if (context.FreeDiskBytes(outputPath) is long free && free < needed)
            {
                return Fail(context, string.Create(
                    CultureInfo.InvariantCulture,
                    $"not enough disk space for the results in '{outputPath}': trials.csv alone needs at least {Megabytes(needed)} and {Megabytes(free)} is free; free some space, choose another --out, or run fewer trials."));
            }

            var progress = new ProgressCount();
            try
            {
                var result = Simulate(scenario, options, context, progress, showProgress: context.StderrIsTerminal && !request.NoProgress);
                progress.Report(options.Trials);
                var metadata = RunMetadata.From(result, request.ScenarioPath, scenarioBytes) with
                {
                    CommandLine = RecordedCommandLine(context.CommandLine, request.ScenarioPath),
                };
                WriteOutputs(directory, result, metadata, context.CancellationToken);
                RenderSummary(result, context);
                context.Stderr.WriteLine($"Wrote {string.Join(", ", OutputFiles)} to {outputPath}");
                return ExitCodes.Success;
            }
            catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
            {
                context.Stderr.WriteLine(progress.Completed >= options.Trials
                    ? "disastersim: cancelled while writing the results; nothing written."
                    : string.Create(CultureInfo.InvariantCulture, $"disastersim: cancelled after {progress.Completed:N0} of {options.Trials:N0} trials; nothing written."));
                return ExitCodes.Cancelled;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return Fail(context, $"cannot write output to '{outputPath}': {e.Message}; no result file was replaced");
            }
        }
    }

    /// <summary>The command line recorded in metadata.json: as given, less the options that cannot change the results, with the scenario's file name only.</summary>
    /// <remarks>Leaving out <c>--threads</c>, <c>--out</c> and <c>--no-progress</c> keeps metadata.json byte-identical across thread counts and free of local paths.</remarks>
    public static IReadOnlyList<string> RecordedCommandLine(IReadOnlyList<string> arguments, string scenarioPath)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var recorded = new List<string>(arguments.Count);
        bool scenarioSeen = false;
        for (int i = 0; i < arguments.Count; i++)
        {
            string a = arguments[i];
            if (OptionsWithoutEffect.Contains(a, StringComparer.Ordinal))
            {
                i++;
                continue;
            }

            if (FlagsWithoutEffect.Contains(a, StringComparer.Ordinal)
                || OptionsWithoutEffect.Any(o => a.StartsWith(o + "=", StringComparison.Ordinal) || a.StartsWith(o + ":", StringComparison.Ordinal)))
            {
                continue;
            }

            if (!scenarioSeen && a == scenarioPath)
            {
                scenarioSeen = true;
                recorded.Add(Path.GetFileName(a));
                continue;
            }

            recorded.Add(a);
        }

        return recorded;
    }

    /// <summary>A lower bound of the size of trials.csv: every field at least one digit and a separator.</summary>
    public static long MinimumOutputBytes(long trials, int entities) => (long)Math.Min(trials * (2 + (4.0 * entities)), long.MaxValue);

    private static string Megabytes(long bytes) => bytes switch
    {
        < 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes:N0} bytes"),
        < 1024L * 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024):N0} MB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024 * 1024):N1} GB"),
    };

    private static RunResult Simulate(Scenario scenario, RunOptions options, CliContext context, ProgressCount count, bool showProgress)
    {
        if (!showProgress)
        {
            return context.RunSimulation(scenario, options, count, context.CancellationToken);
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
                result = context.RunSimulation(scenario, options, count, context.CancellationToken);
                task.Value = task.MaxValue;
            });
        return result!;
    }

    private static void RenderSummary(RunResult result, CliContext context)
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

    private static int Fail(CliContext context, string message)
    {
        context.Stderr.WriteLine($"disastersim: error: {message}");
        return ExitCodes.RuntimeFailure;
    }

    private sealed record Request(string ScenarioPath, long? Trials, ulong? Seed, int Threads, string? OutputDirectory, bool NoProgress, long MaxTrialYears);

    // Per trial: downtime (8 bytes) and incident count (4) per service; loss in hours and in GB (8 + 8) per data set.
    private const long TableBytesPerService = 12;
    private const long TableBytesPerDataSet = 16;

    // Counts completed trials for the "cancelled after N of M" line, and forwards to the progress bar when there is one.
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

    // Reports arrive from worker threads in any order; the bar only moves forward.
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
