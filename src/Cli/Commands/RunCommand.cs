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

        trials.CustomParser = result => ParseAtLeastOne(result, "--trials", long.MaxValue);
        threads.CustomParser = result => (int)(ParseAtLeastOne(result, "--threads", int.MaxValue) ?? 1);

        var command = new Command("run", "Run the Monte Carlo simulation of a scenario and write its results.")
        {
            scenario, trials, seed, threads, output, noProgress,
        };
        command.SetAction(parseResult => Execute(
            new Request(
                parseResult.GetRequiredValue(scenario),
                parseResult.GetValue(trials),
                parseResult.GetValue(seed),
                parseResult.GetValue(threads),
                parseResult.GetValue(output),
                parseResult.GetValue(noProgress)),
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

        string outputPath = request.OutputDirectory ?? DefaultOutputDirectory(request.ScenarioPath);
        OutputDirectory directory;
        try
        {
            // Created before the run so an unwritable directory fails in a second, not after an hour of simulation.
            directory = new OutputDirectory(outputPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return Fail(context, $"cannot create output directory '{outputPath}': {e.Message}");
        }

        using (directory)
        {
            var options = new RunOptions(
                request.Trials ?? scenario.Simulation.Trials,
                request.Seed ?? scenario.Simulation.Seed,
                request.Threads);
            try
            {
                var result = Simulate(scenario, options, context, showProgress: context.StderrIsTerminal && !request.NoProgress);
                WriteOutputs(directory, result, RunMetadata.From(result, request.ScenarioPath, scenarioBytes), context.CancellationToken);
                RenderSummary(result, context);
                context.Stderr.WriteLine($"Wrote {string.Join(", ", OutputFiles)} to {outputPath}");
                return ExitCodes.Success;
            }
            catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
            {
                context.Stderr.WriteLine("disastersim: cancelled; no output written.");
                return ExitCodes.Cancelled;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return Fail(context, $"cannot write output to '{outputPath}': {e.Message}");
            }
        }
    }

    private static RunResult Simulate(Scenario scenario, RunOptions options, CliContext context, bool showProgress)
    {
        if (!showProgress)
        {
            return context.RunSimulation(scenario, options, null, context.CancellationToken);
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
                result = context.RunSimulation(scenario, options, new TaskProgress(task), context.CancellationToken);
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

    private sealed record Request(string ScenarioPath, long? Trials, ulong? Seed, int Threads, string? OutputDirectory, bool NoProgress);

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
