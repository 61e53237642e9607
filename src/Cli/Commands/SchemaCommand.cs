using System.CommandLine;
using DisasterSim.Models.Loading;

namespace DisasterSim.Cli.Commands;

/// <summary><c>disastersim schema</c>: prints the JSON Schema of the scenario language, for editors.</summary>
public static class SchemaCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var command = new Command("schema", "Print the JSON Schema of the scenario language (docs/scenario.schema.json), for editors that complete and check scenario files.");
        command.SetAction(_ =>
        {
            context.Stdout.Write(ScenarioSchema.Generate());
            return ExitCodes.Success;
        });
        return command;
    }
}
