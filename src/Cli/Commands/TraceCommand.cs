using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using DisasterSim.Cli.Output;
using DisasterSim.Engine.Tracing;

namespace DisasterSim.Cli.Commands;

/// <summary><c>disastersim trace SCENARIO --trial K</c>: the timeline of one trial, the same as in the batch run that produced it.</summary>
public static class TraceCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var scenario = new Argument<string>("scenario") { Description = "Path of the scenario YAML file." };
        var trial = new Option<long>("--trial", "-k")
        {
            Description = "Index of the trial, as in the trial column of trials.csv (0 is the first).",
            HelpName = "K",
            Required = true,
        };
        var seed = new Option<ulong?>("--seed", "-s") { Description = "Master seed of the run [default: the scenario's simulation.seed].", HelpName = "S" };
        var format = new Option<string>("--format", "-f")
        {
            Description = "text (a timeline to read) or csv (one row per step, for a spreadsheet).",
            HelpName = "FORMAT",
            DefaultValueFactory = _ => "text",
        };
        format.AcceptOnlyFromAmong("text", "csv");
        var quiet = new Option<bool>("--quiet-components") { Description = "Leave out the up/down steps of components (failures, repairs and threats stay)." };

        trial.CustomParser = ParseTrial;

        OptionChecks.AddTo(scenario, seed: seed);
        var command = new Command("trace", "Replay one trial step by step: threats, detection, decisions, failover, restores, failback, and its totals.")
        {
            scenario, trial, seed, format, quiet,
        };
        command.SetAction(parseResult => Execute(
            parseResult.GetRequiredValue(scenario),
            parseResult.GetValue(trial),
            parseResult.GetValue(seed),
            parseResult.GetValue(format) == "csv",
            parseResult.GetValue(quiet),
            context));
        return command;
    }

    // A parser rather than a validator: a validator would only run after the type conversion, which throws on "abc".
    private static long ParseTrial(ArgumentResult result)
    {
        string text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long value))
        {
            return value;
        }

        result.AddError($"--trial must be a whole number of at least 0 (a row of trials.csv); got '{text}'.");
        return 0;
    }

    private static int Execute(string scenarioPath, long trial, ulong? seed, bool csv, bool quietComponents, CliContext context)
    {
        var (scenario, _, _) = ScenarioInput.Load(scenarioPath, context);
        if (scenario is null)
        {
            return ExitCodes.InvalidScenario;
        }

        context.CancellationToken.ThrowIfCancellationRequested();
        var trace = TrialTrace.Run(scenario, seed ?? scenario.Simulation.Seed, trial);
        if (csv)
        {
            TraceFormatter.WriteCsv(context.Stdout, trace, quietComponents);
        }
        else
        {
            TraceFormatter.WriteText(context.Stdout, trace, quietComponents);
        }

        context.Stdout.Flush();
        return ExitCodes.Success;
    }
}
