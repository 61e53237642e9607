using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace DisasterSim.Cli.Sharding;

/// <summary>
/// <c>shard.json</c>: what identifies a part of a run, so that parts are merged only with the parts they belong with.
/// A checkpoint folder carries the same manifest (kind <c>checkpoint</c>).
/// </summary>
/// <param name="Kind"><c>shard</c> or <c>checkpoint</c>.</param>
/// <param name="Command">The command that produced it: <c>run</c>, <c>compare</c> or <c>sweep</c>.</param>
/// <param name="EngineVersion">Informational version of the engine that produced it.</param>
/// <param name="ScenarioName">The scenario's name (of compare and sweep: the baseline's).</param>
/// <param name="ScenarioFile">The scenario file's name, without its directory, as the merged metadata.json shows it.</param>
/// <param name="ScenarioSha256">SHA-256 of the scenario file's bytes, lowercase hex.</param>
/// <param name="Seed">Master seed.</param>
/// <param name="FirstTrial">Global index of the first trial of the part.</param>
/// <param name="Trials">Trials in the part.</param>
/// <param name="TotalTrials">Trials of the whole run the part belongs to, when known (always with <c>--shard</c>).</param>
/// <param name="Services">Number of services (columns of the trial table).</param>
/// <param name="DataSets">Number of data sets.</param>
/// <param name="RecordsSha256">SHA-256 of <c>shard.bin</c>; null in a checkpoint and in a shard of compare or sweep (each variant has its own).</param>
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

    /// <summary>The largest manifest read, in bytes: a compare or sweep of thousands of variants fits in far less.</summary>
    public const long MaxBytes = 16 * 1024 * 1024;

    /// <summary>The format version of the manifest written and the only one read.</summary>
    public const int FormatVersion = 1;

    /// <summary>Gets the options of compare or sweep that shape the analysis, as given (e.g. <c>--metric</c>, <c>--set</c>); null for run.</summary>
    public IReadOnlyList<ShardArgument>? Arguments { get; init; }

    /// <summary>Gets the copies of compare's or sweep's scenario files in the shard directory, in the order given; null for run.</summary>
    public IReadOnlyList<ShardScenarioCopy>? ScenarioCopies { get; init; }

    /// <summary>Gets the variants of compare or sweep, in order, each with its records file; null for run.</summary>
    public IReadOnlyList<ShardVariant>? Variants { get; init; }

    /// <summary>Gets the global index one past the last trial of the part.</summary>
    public long EndTrial => FirstTrial + Trials;

    /// <summary>
    /// The binding of the trial records of this run (of one of its variants): the SHA-256 of what identifies the run, which
    /// every records file and checkpointed chunk carries in its header and keys its block checksums with, so that records of
    /// another run are never taken for this one's.
    /// </summary>
    /// <param name="variant">For a variant's records, the variant (its records hash is not part of it); null for a run's.</param>
    public byte[] RecordsBinding(ShardVariant? variant = null)
    {
        string identity = string.Join(
            "\n",
            "disastersim trial records",
            EngineVersion,
            Command,
            ScenarioSha256,
            Seed.ToString(CultureInfo.InvariantCulture),
            FirstTrial.ToString(CultureInfo.InvariantCulture),
            Trials.ToString(CultureInfo.InvariantCulture),
            TotalTrials?.ToString(CultureInfo.InvariantCulture) ?? "",
            Services.ToString(CultureInfo.InvariantCulture),
            DataSets.ToString(CultureInfo.InvariantCulture),
            variant is null ? "" : string.Join("\t", variant.Name, variant.ScenarioFile, variant.ScenarioSha256, string.Join("\t", variant.Overrides), variant.Services.ToString(CultureInfo.InvariantCulture), variant.DataSets.ToString(CultureInfo.InvariantCulture), variant.RecordsFile));
        return SHA256.HashData(Encoding.UTF8.GetBytes(identity));
    }

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

        if (Arguments is not null)
        {
            json.WriteStartObject("arguments");
            foreach (var argument in Arguments)
            {
                json.WriteStartArray(argument.Option);
                foreach (string value in argument.Values)
                {
                    json.WriteStringValue(value);
                }

                json.WriteEndArray();
            }

            json.WriteEndObject();
        }

        if (ScenarioCopies is not null)
        {
            json.WriteStartArray("scenario_copies");
            foreach (var copy in ScenarioCopies)
            {
                json.WriteStartObject();
                json.WriteString("path", copy.Path);
                json.WriteString("sha256", copy.Sha256);
                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        if (Variants is not null)
        {
            json.WriteStartArray("variants");
            foreach (var variant in Variants)
            {
                json.WriteStartObject();
                json.WriteString("name", variant.Name);
                json.WriteString("scenario_file", variant.ScenarioFile);
                json.WriteString("scenario_sha256", variant.ScenarioSha256);
                json.WriteStartArray("overrides");
                foreach (string o in variant.Overrides)
                {
                    json.WriteStringValue(o);
                }

                json.WriteEndArray();
                json.WriteNumber("services", variant.Services);
                json.WriteNumber("data_sets", variant.DataSets);
                json.WriteString("records", variant.RecordsFile);
                json.WriteString("records_sha256", variant.RecordsSha256);
                json.WriteEndObject();
            }

            json.WriteEndArray();
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
                root.TryGetProperty("records_sha256", out var records) && records.ValueKind == JsonValueKind.String ? records.GetString() : null)
            {
                Arguments = root.TryGetProperty("arguments", out var arguments)
                    ? Read(arguments, "arguments", JsonValueKind.Object, a => a.EnumerateObject().Select(p => new ShardArgument(p.Name, Strings(p.Value, "arguments." + p.Name))).ToList())
                    : null,
                ScenarioCopies = root.TryGetProperty("scenario_copies", out var copies)
                    ? Read(copies, "scenario_copies", JsonValueKind.Array, a => a.EnumerateArray().Select(c => new ShardScenarioCopy(
                        Get(c, "path", e => e.GetString()!),
                        Get(c, "sha256", e => e.GetString()!))).ToList())
                    : null,
                Variants = root.TryGetProperty("variants", out var variants)
                    ? Read(variants, "variants", JsonValueKind.Array, a => a.EnumerateArray().Select(v => new ShardVariant(
                        Get(v, "name", e => e.GetString()!),
                        Get(v, "scenario_file", e => e.GetString()!),
                        Get(v, "scenario_sha256", e => e.GetString()!),
                        Get(v, "overrides", e => Strings(e, "overrides")),
                        Get(v, "services", e => e.GetInt32()),
                        Get(v, "data_sets", e => e.GetInt32()),
                        Get(v, "records", e => e.GetString()!),
                        Get(v, "records_sha256", e => e.GetString()!))).ToList())
                    : null,
            };
        }
    }

    private static T Read<T>(JsonElement element, string name, JsonValueKind kind, Func<JsonElement, T> read) =>
        element.ValueKind == kind && (kind != JsonValueKind.Array || element.EnumerateArray().All(e => e.ValueKind == JsonValueKind.Object))
            ? read(element)
            : throw new InvalidDataException($"the field '{name}' has the wrong type or value ({element.GetRawText()})");

    private static List<string> Strings(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Array && element.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String)
            ? element.EnumerateArray().Select(e => e.GetString()!).ToList()
            : throw new InvalidDataException($"the field '{name}' must be a list of strings ({element.GetRawText()})");

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

/// <summary>An option of compare or sweep that shapes the analysis, with its values as given.</summary>
/// <param name="Option">The option, e.g. <c>--metric</c>.</param>
/// <param name="Values">Its values, in the order given.</param>
public sealed record ShardArgument(string Option, IReadOnlyList<string> Values);

/// <summary>A copy of a scenario file in a shard directory.</summary>
/// <param name="Path">Its path relative to the shard directory, with '/' separators; it ends in the original file's name.</param>
/// <param name="Sha256">SHA-256 of its bytes, lowercase hex.</param>
public sealed record ShardScenarioCopy(string Path, string Sha256);

/// <summary>A variant of a compare or sweep shard.</summary>
/// <param name="Name">The variant's label.</param>
/// <param name="ScenarioFile">Its scenario file's name.</param>
/// <param name="ScenarioSha256">SHA-256 of that file's bytes.</param>
/// <param name="Overrides">Its overrides, as <c>PATH=VALUE</c>.</param>
/// <param name="Services">Number of services of the variant's scenario.</param>
/// <param name="DataSets">Number of data sets.</param>
/// <param name="RecordsFile">The name of its trial records file in the shard directory.</param>
/// <param name="RecordsSha256">SHA-256 of that file.</param>
public sealed record ShardVariant(string Name, string ScenarioFile, string ScenarioSha256, IReadOnlyList<string> Overrides, int Services, int DataSets, string RecordsFile, string RecordsSha256)
{
    /// <summary>The variant's identity for messages and comparisons: name, file, hash and overrides.</summary>
    public string Identity => Name + " (" + ScenarioFile + " " + ScenarioSha256[..Math.Min(12, ScenarioSha256.Length)] + (Overrides.Count == 0 ? "" : "; " + string.Join("; ", Overrides)) + ")";
}
