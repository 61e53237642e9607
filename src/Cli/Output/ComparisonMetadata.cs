using System.Text.Json;

namespace DisasterSim.Cli.Output;

/// <summary>One variant as run: its label, file, the file's hash and the overrides applied.</summary>
/// <param name="Name">The label.</param>
/// <param name="ScenarioFile">The scenario file's name, without its directory.</param>
/// <param name="ScenarioSha256">SHA-256 of the file's bytes, lowercase hex.</param>
/// <param name="Overrides">The overrides, as <c>PATH=VALUE</c>.</param>
public sealed record VariantMetadata(string Name, string ScenarioFile, string ScenarioSha256, IReadOnlyList<string> Overrides)
{
    /// <summary>Gets the SHA-256 of the variant itself: the file's hash and its overrides, so two variants with the same hash ran the same scenario.</summary>
    public string VariantSha256 => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(ScenarioSha256 + "\n" + string.Join("\n", Overrides))));

    /// <summary>Gets each service's RTO target in this variant, hours.</summary>
    public IReadOnlyList<(string Service, double Hours)> Rto { get; init; } = [];

    /// <summary>Gets each data set's RPO target in this variant, hours.</summary>
    public IReadOnlyList<(string DataSet, double Hours)> Rpo { get; init; } = [];
}

/// <summary>What identifies a comparison or sweep: engine, seed, trials and every variant. Nothing that changes between identical runs.</summary>
/// <param name="EngineVersion">Informational version of the engine assembly.</param>
/// <param name="Seed">Master seed shared by every variant.</param>
/// <param name="Trials">Trials per variant.</param>
/// <param name="Variants">The variants, baseline first.</param>
public sealed record ComparisonMetadata(string EngineVersion, ulong Seed, long Trials, IReadOnlyList<VariantMetadata> Variants)
{
    /// <summary>Gets the command: compare, sweep or batch.</summary>
    public string Command { get; init; } = "";

    /// <summary>Gets the command that reproduces the files byte for byte (file names without their directories).</summary>
    public IReadOnlyList<string> CommandLine { get; init; } = [];

    /// <summary>Gets the targets the variants were judged by (sweep's --target), as written.</summary>
    public IReadOnlyList<string> Targets { get; init; } = [];

    /// <summary>Writes <c>metadata.json</c>: indented UTF-8 without BOM, "\n" line endings.</summary>
    public void WriteJson(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, NewLine = "\n", Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        json.WriteStartObject();
        json.WriteString("engine_version", EngineVersion);
        json.WriteString("command", Command);
        json.WriteStartArray("command_line");
        foreach (string argument in CommandLine)
        {
            json.WriteStringValue(argument);
        }

        json.WriteEndArray();
        json.WriteNumber("seed", Seed);
        json.WriteNumber("trials", Trials);
        json.WriteStartArray("targets");
        foreach (string target in Targets)
        {
            json.WriteStringValue(target);
        }

        json.WriteEndArray();
        json.WriteStartArray("variants");
        foreach (var v in Variants)
        {
            json.WriteStartObject();
            json.WriteString("name", v.Name);
            json.WriteString("scenario_file", v.ScenarioFile);
            json.WriteString("scenario_sha256", v.ScenarioSha256);
            json.WriteString("variant_sha256", v.VariantSha256);
            if (v.Rto.Count > 0)
            {
                json.WriteStartObject("rto_hours");
                foreach (var (service, hours) in v.Rto)
                {
                    json.WriteNumber(service, hours);
                }

                json.WriteEndObject();
            }

            if (v.Rpo.Count > 0)
            {
                json.WriteStartObject("rpo_hours");
                foreach (var (data, hours) in v.Rpo)
                {
                    json.WriteNumber(data, hours);
                }

                json.WriteEndObject();
            }

            json.WriteStartArray("overrides");
            foreach (string o in v.Overrides)
            {
                json.WriteStringValue(o);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
        json.Flush();
        stream.WriteByte((byte)'\n');
    }
}
