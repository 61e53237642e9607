using System.Text.Json;

namespace DisasterSim.Cli.Output;

/// <summary>One variant as run: its label, file, the file's hash and the overrides applied.</summary>
/// <param name="Name">The label.</param>
/// <param name="ScenarioFile">The scenario file's name, without its directory.</param>
/// <param name="ScenarioSha256">SHA-256 of the file's bytes, lowercase hex.</param>
/// <param name="Overrides">The overrides, as <c>PATH=VALUE</c>.</param>
public sealed record VariantMetadata(string Name, string ScenarioFile, string ScenarioSha256, IReadOnlyList<string> Overrides);

/// <summary>What identifies a comparison or sweep: engine, seed, trials and every variant. Nothing that changes between identical runs.</summary>
/// <param name="EngineVersion">Informational version of the engine assembly.</param>
/// <param name="Seed">Master seed shared by every variant.</param>
/// <param name="Trials">Trials per variant.</param>
/// <param name="Variants">The variants, baseline first.</param>
public sealed record ComparisonMetadata(string EngineVersion, ulong Seed, long Trials, IReadOnlyList<VariantMetadata> Variants)
{
    /// <summary>Writes <c>metadata.json</c>: indented UTF-8 without BOM, "\n" line endings.</summary>
    public void WriteJson(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, NewLine = "\n" });
        json.WriteStartObject();
        json.WriteString("engine_version", EngineVersion);
        json.WriteNumber("seed", Seed);
        json.WriteNumber("trials", Trials);
        json.WriteStartArray("variants");
        foreach (var v in Variants)
        {
            json.WriteStartObject();
            json.WriteString("name", v.Name);
            json.WriteString("scenario_file", v.ScenarioFile);
            json.WriteString("scenario_sha256", v.ScenarioSha256);
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
