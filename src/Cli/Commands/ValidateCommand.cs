using System.CommandLine;
using System.Globalization;

namespace DisasterSim.Cli.Commands;

/// <summary><c>disastersim validate SCENARIO</c>: loads a scenario and reports every problem without running it.</summary>
public static class ValidateCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var scenario = new Argument<string>("scenario") { Description = "Path of the scenario YAML file." };
        OptionChecks.AddTo(scenario);
        var command = new Command("validate", "Check a scenario file and print every error and warning.") { scenario };
        command.SetAction(parseResult => Execute(parseResult.GetRequiredValue(scenario), context));
        return command;
    }

    private static int Execute(string path, CliContext context)
    {
        var (loaded, errors, warnings) = ScenarioInput.Load(path, context);
        if (loaded is null)
        {
            context.Stderr.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"{path}: invalid ({errors} {(errors == 1 ? "error" : "errors")}, {warnings} {(warnings == 1 ? "warning" : "warnings")})"));
            return ExitCodes.InvalidScenario;
        }

        context.Stdout.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{path}: valid ({loaded.Services.Length} services, {loaded.DataSets.Length} data sets, {loaded.Threats.Length} threats)"));
        return ExitCodes.Success;
    }
}
