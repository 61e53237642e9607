using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using System.Text.Json;
using DisasterSim.Engine.MonteCarlo;
using DisasterSim.Engine.Statistics;

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
    /// <summary>Gets the global index of the first trial, when the run covered a range of trials (a shard); 0 otherwise.</summary>
    public long FirstTrial { get; init; }

    /// <summary>Gets the statistics whose percentiles came from the quantile sketch (their values outgrew the exact budget); empty for most runs.</summary>
    public IReadOnlyList<string> SketchedStatistics { get; init; } = [];

    /// <summary>Gets the command that reproduces the run (see <see cref="ReproducingCommandLine"/>).</summary>
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
            settings.Start)
        {
            FirstTrial = result.Options.FirstTrial,
            CommandLine = ReproducingCommandLine(result.Options, scenarioPath),
            SketchedStatistics = result.SketchedStatistics,
        };
    }

    /// <summary>
    /// The command that reproduces these results byte for byte: the scenario file, the trials and the seed. It is the
    /// same whatever the thread count, and for a merged run and the single run it equals, so outputs stay identical.
    /// </summary>
    public static IReadOnlyList<string> ReproducingCommandLine(RunOptions options, string scenarioPath)
    {
        ArgumentNullException.ThrowIfNull(options);
        var line = new List<string> { "disastersim", "run", Path.GetFileName(scenarioPath) };
        string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
        if (options.FirstTrial == 0)
        {
            line.AddRange(["--trials", Text(options.Trials)]);
        }
        else
        {
            line.AddRange(["--trials-from", Text(options.FirstTrial), "--trials-to", Text(options.FirstTrial + options.Trials)]);
        }

        line.AddRange(["--seed", options.Seed.ToString(CultureInfo.InvariantCulture)]);
        return line;
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
        if (FirstTrial != 0)
        {
            // Only for a part of a run, so a whole run's metadata.json (and a merged one) stays as it always was.
            json.WriteNumber("first_trial", FirstTrial);
        }

        json.WriteNumber("trials", Trials);
        json.WriteNumber("horizon_hours", HorizonHours);
        json.WriteString("start", Start.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture));
        json.WriteStartArray("command_line");
        foreach (string argument in CommandLine)
        {
            json.WriteStringValue(argument);
        }

        json.WriteEndArray();
        if (SketchedStatistics.Count > 0)
        {
            // Only when it happened, so the metadata.json of an ordinary run stays as it always was.
            json.WriteNumber("sketch_relative_accuracy", QuantileSketch.DefaultRelativeAccuracy);
            json.WriteStartArray("sketched_statistics");
            foreach (string name in SketchedStatistics)
            {
                json.WriteStringValue(name);
            }

            json.WriteEndArray();
        }

        json.WriteEndObject();
        json.Flush();
        stream.WriteByte((byte)'\n');
    }
}
