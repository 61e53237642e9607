using System.CommandLine;
using System.Globalization;
using DisasterSim.Cli.Output;
using DisasterSim.Cli.Sharding;
using DisasterSim.Engine.MonteCarlo;

namespace DisasterSim.Cli.Commands;

/// <summary><c>disastersim merge SHARD...</c>: puts the shards of a run, compare or sweep back together, byte-identical to the command run in one process.</summary>
public static class MergeCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var shards = new Argument<string[]>("shards")
        {
            Description = "Output directories of the shards (of run, compare or sweep with --shard K/N, or run with --trials-from/--trials-to), in any order.",
            Arity = ArgumentArity.OneOrMore,
        };
        var output = new Option<string?>("--out", "-o") { Description = "Output directory [default: out/<scenario file name without extension>].", HelpName = "DIR" };
        OptionChecks.AddTo(shards, output);
        var format = RunCommand.FormatOption();
        var command = new Command("merge", "Merge the shards of a run, compare or sweep into the files the command writes in one process with the same seed and trials.")
        {
            shards, output, format,
        };
        command.SetAction(parseResult => Execute(parseResult.GetRequiredValue(shards), parseResult.GetValue(output), parseResult.GetValue(format)!, context));
        return command;
    }

    private static int Execute(string[] shardDirectories, string? outputOption, string format, CliContext context)
    {
        ShardSet set;
        try
        {
            set = ShardSet.Open(shardDirectories, RunMetadata.CurrentEngineVersion);
        }
        catch (ShardMismatchException e)
        {
            context.Stderr.WriteLine($"disastersim: error: {e.Message}");
            return ExitCodes.InvalidScenario;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return RunCommand.Fail(context, $"cannot read the shards: {e.Message}");
        }

        if (format != "csv" && set.First.Command != "run")
        {
            context.Stderr.WriteLine($"disastersim: error: --format {format}: only the shards of a run have per-trial files or a workbook; these are of {set.First.Command}.");
            return ExitCodes.UsageError;
        }

        switch (set.First.Command)
        {
            case "compare":
                return CompareCommand.Merge(set, outputOption, context);
            case "sweep":
                return SweepCommand.Merge(set, outputOption, context);
        }

        string outputPath = outputOption ?? RunCommand.DefaultOutputDirectory(set.First.ScenarioFile);
        try
        {
            var (scenarioPath, scenarioBytes) = set.ReadScenarioCopy();
            var (scenario, _, _) = ScenarioInput.Load(scenarioPath, context);
            if (scenario is null)
            {
                return ExitCodes.InvalidScenario;
            }

            // Checked before anything is created: altered shards leave no output directory behind.
            set.VerifyRecords(context.CancellationToken);
            var options = new RunOptions(set.TotalTrials, set.First.Seed, 1);
            using var directory = new OutputDirectory(outputPath, context.LockHolder);
            var (perTrial, workbook) = RunCommand.Formats(format);
            using var files = new StreamedRunFiles(directory, scenario, options, perTrial, shardBinding: null, context.CancellationToken);
            var statistics = MonteCarloRunner.Statistics(scenario, options);
            set.Replay(RecordShape.Of(scenario), new ConsumerChain([statistics, .. files.Consumers]), context.CancellationToken);
            files.Complete();
            var result = MonteCarloRunner.Finish(statistics);
            var metadata = RunMetadata.From(result, set.First.ScenarioFile, scenarioBytes, set.First.EngineVersion);
            var cut = RunCommand.WriteOutputs(directory, result, files.Attribution, files.Distributions, metadata, context.CancellationToken, skipped: RunCommand.Skipped(perTrial, workbook), workbook: workbook);
            RunCommand.RenderSummary(result, context);
            RunCommand.ReportSketched(result, context);
            RunCommand.ReportCut(cut, context);
            if (files.SpreadsheetNote() is string note)
            {
                context.Stderr.WriteLine(note);
            }

            context.Stderr.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"Merged {set.Shards.Count} shards ({set.TotalTrials} trials) and wrote {string.Join(", ", [.. RunCommand.Written(perTrial, workbook), "report.html"])} to {outputPath}"));
            return ExitCodes.Success;
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            context.Stderr.WriteLine("disastersim: cancelled; no output written.");
            return ExitCodes.Cancelled;
        }
        catch (InvalidDataException e)
        {
            return RunCommand.Fail(context, e.Message);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return RunCommand.Fail(context, $"cannot merge into '{outputPath}': {e.Message}");
        }
    }
}
