using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using System.Text.Json;
using DisasterSim.Engine.MonteCarlo;

namespace DisasterSim.Cli.Output;

/// <summary>What identifies a run: engine, scenario, seed and trial settings. Holds nothing that changes between identical runs.</summary>
/// <param name="EngineVersion">Informational version of the engine assembly.</param>
/// <param name="ScenarioName">The scenario's name.</param>
/// <param name="ScenarioFile">The scenario file's name, without its directory.</param>
/// <param name="ScenarioSha256">SHA-256 of the scenario file's bytes, lowercase hex.</param>
/// <param name="Seed">Master seed.</param>
/// <param name="Trials">Number of trials.</param>
/// <param name="HorizonHours">Length of one trial, hours.</param>
/// <param name="Start">Calendar time of each trial's hour 0.</param>
public sealed record RunMetadata(
    string EngineVersion,
    string ScenarioName,
    string ScenarioFile,
    string ScenarioSha256,
    ulong Seed,
    long Trials,
    double HorizonHours,
    DateTime Start)
{
    /// <summary>Gets the command line that produced the run, as recorded (see <c>RunCommand.RecordedCommandLine</c>); empty when unknown.</summary>
    public IReadOnlyList<string> CommandLine { get; init; } = [];

    /// <summary>Gets the informational version of the engine assembly, or "unknown".</summary>
    public static string CurrentEngineVersion { get; } =
        typeof(MonteCarloRunner).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    /// <summary>Describes <paramref name="result"/>, run from the file <paramref name="scenarioPath"/> whose bytes are <paramref name="scenarioBytes"/>.</summary>
    public static RunMetadata From(RunResult result, string scenarioPath, ReadOnlySpan<byte> scenarioBytes, string? engineVersion = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(scenarioPath);
        var settings = result.Scenario.Simulation;
        return new RunMetadata(
            engineVersion ?? CurrentEngineVersion,
            result.Scenario.Name,
            Path.GetFileName(scenarioPath),
            Convert.ToHexStringLower(SHA256.HashData(scenarioBytes)),
            result.Options.Seed,
            result.Options.Trials,
            settings.HorizonHours,
            settings.Start);
    }

    /// <summary>Writes <c>metadata.json</c>: indented UTF-8 without BOM, "\n" line endings, invariant formats.</summary>
    public void WriteJson(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, NewLine = "\n" });
        json.WriteStartObject();
        json.WriteString("engine_version", EngineVersion);
        json.WriteString("scenario_name", ScenarioName);
        json.WriteString("scenario_file", ScenarioFile);
        json.WriteString("scenario_sha256", ScenarioSha256);
        json.WriteNumber("seed", Seed);
        json.WriteNumber("trials", Trials);
        json.WriteNumber("horizon_hours", HorizonHours);
        json.WriteString("start", Start.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture));
        json.WriteStartArray("command_line");
        foreach (string argument in CommandLine)
        {
            json.WriteStringValue(argument);
        }

        json.WriteEndArray();
        json.WriteEndObject();
        json.Flush();
        stream.WriteByte((byte)'\n');
    }
}
