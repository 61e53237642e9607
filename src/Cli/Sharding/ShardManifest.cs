using System.Text.Json;

namespace DisasterSim.Cli.Sharding;

/// <summary>
/// <c>shard.json</c>: what identifies a part of a run, so that parts are merged only with the parts they belong with.
/// A checkpoint folder carries the same manifest (kind <c>checkpoint</c>).
/// </summary>
/// <param name="Kind"><c>shard</c> or <c>checkpoint</c>.</param>
/// <param name="Command">The command that produced it: <c>run</c> (later also <c>sweep</c> and <c>compare</c>).</param>
/// <param name="EngineVersion">Informational version of the engine that produced it.</param>
/// <param name="ScenarioName">The scenario's name.</param>
/// <param name="ScenarioFile">The scenario file's name, without its directory, as the merged metadata.json shows it.</param>
/// <param name="ScenarioSha256">SHA-256 of the scenario file's bytes, lowercase hex.</param>
/// <param name="Seed">Master seed.</param>
/// <param name="FirstTrial">Global index of the first trial of the part.</param>
/// <param name="Trials">Trials in the part.</param>
/// <param name="TotalTrials">Trials of the whole run the part belongs to, when known (always with <c>--shard</c>).</param>
/// <param name="Services">Number of services (columns of the trial table).</param>
/// <param name="DataSets">Number of data sets.</param>
/// <param name="RecordsSha256">SHA-256 of <c>shard.bin</c>; null in a checkpoint.</param>
public sealed record ShardManifest(
    string Kind,
    string Command,
    string EngineVersion,
    string ScenarioName,
    string ScenarioFile,
    string ScenarioSha256,
    ulong Seed,
    long FirstTrial,
    long Trials,
    long? TotalTrials,
    int Services,
    int DataSets,
    string? RecordsSha256)
{
    /// <summary>The manifest's file name in a shard directory.</summary>
    public const string FileName = "shard.json";

    /// <summary>The trial records' file name in a shard directory.</summary>
    public const string RecordsFileName = "shard.bin";

    /// <summary>The file name of the copy of the scenario in a shard directory, so a merge needs nothing else.</summary>
    public const string ScenarioCopyFileName = "scenario.yaml";

    /// <summary>The format version of the manifest written and the only one read.</summary>
    public const int FormatVersion = 1;

    /// <summary>Gets the global index one past the last trial of the part.</summary>
    public long EndTrial => FirstTrial + Trials;

    /// <summary>Writes the manifest as indented UTF-8 JSON with "\n" line endings.</summary>
    public void WriteJson(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, NewLine = "\n" });
        json.WriteStartObject();
        json.WriteNumber("format", FormatVersion);
        json.WriteString("kind", Kind);
        json.WriteString("command", Command);
        json.WriteString("engine_version", EngineVersion);
        json.WriteString("scenario_name", ScenarioName);
        json.WriteString("scenario_file", ScenarioFile);
        json.WriteString("scenario_sha256", ScenarioSha256);
        json.WriteNumber("seed", Seed);
        json.WriteNumber("first_trial", FirstTrial);
        json.WriteNumber("trials", Trials);
        if (TotalTrials is long total)
        {
            json.WriteNumber("total_trials", total);
        }
        else
        {
            json.WriteNull("total_trials");
        }

        json.WriteNumber("services", Services);
        json.WriteNumber("data_sets", DataSets);
        if (RecordsSha256 is not null)
        {
            json.WriteString("records_sha256", RecordsSha256);
        }

        json.WriteEndObject();
        json.Flush();
        stream.WriteByte((byte)'\n');
    }

    /// <summary>Reads a manifest written by <see cref="WriteJson"/>.</summary>
    /// <exception cref="InvalidDataException">Not valid JSON, another format version, or a field missing or of the wrong type; the message names the field.</exception>
    public static ShardManifest ReadJson(ReadOnlySpan<byte> utf8)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8.ToArray());
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"not valid JSON ({e.Message})");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidDataException("expected a JSON object");
            }

            int format = Get(root, "format", e => e.GetInt32());
            if (format != FormatVersion)
            {
                throw new InvalidDataException($"format {format}; this version of disastersim reads format {FormatVersion}");
            }

            return new ShardManifest(
                Get(root, "kind", e => e.GetString()!),
                Get(root, "command", e => e.GetString()!),
                Get(root, "engine_version", e => e.GetString()!),
                Get(root, "scenario_name", e => e.GetString()!),
                Get(root, "scenario_file", e => e.GetString()!),
                Get(root, "scenario_sha256", e => e.GetString()!),
                Get(root, "seed", e => e.GetUInt64()),
                Get(root, "first_trial", e => e.GetInt64()),
                Get(root, "trials", e => e.GetInt64()),
                Get(root, "total_trials", e => e.ValueKind == JsonValueKind.Null ? (long?)null : e.GetInt64()),
                Get(root, "services", e => e.GetInt32()),
                Get(root, "data_sets", e => e.GetInt32()),
                root.TryGetProperty("records_sha256", out var records) && records.ValueKind == JsonValueKind.String ? records.GetString() : null);
        }
    }

    private static T Get<T>(JsonElement root, string name, Func<JsonElement, T> read)
    {
        if (!root.TryGetProperty(name, out var element))
        {
            throw new InvalidDataException($"the field '{name}' is missing");
        }

        try
        {
            return read(element);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"the field '{name}' has the wrong type or value ({element.GetRawText()})");
        }
    }
}
