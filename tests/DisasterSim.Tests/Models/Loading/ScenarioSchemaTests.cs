using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using DisasterSim.Models.Loading;
using DisasterSim.Tests.Scenarios;
using Json.Schema;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace DisasterSim.Tests.Models.Loading;

/// <summary>The JSON Schema of the scenario language: generated from the loader's key lists, committed, and met by every shipped scenario.</summary>
public sealed class ScenarioSchemaTests
{
    private static readonly Lazy<JsonSchema> Schema = new(() => JsonSchema.FromText(ScenarioSchema.Generate()));

    public static string SchemaFile { get; } = Path.Combine(Path.GetDirectoryName(ShippedScenarioTests.ScenarioDirectory)!, "docs", "scenario.schema.json");

    [Fact]
    public void Generate_EqualsTheCommittedSchemaFile()
    {
        string committed = File.ReadAllText(SchemaFile).ReplaceLineEndings("\n");

        Assert.True(
            committed == ScenarioSchema.Generate(),
            "docs/scenario.schema.json is not what the loader's key lists give; regenerate it: disastersim schema > docs/scenario.schema.json");
    }

    [Fact]
    public void Generate_EveryKeyListOfTheLoaderIsAnObjectOfTheSchema()
    {
        var objects = new List<HashSet<string>>();
        Collect(JsonNode.Parse(ScenarioSchema.Generate())!, objects);
        var reader = typeof(ScenarioSchema).Assembly.GetType("DisasterSim.Models.Loading.ScenarioReader", throwOnError: true)!;
        var lists = reader.GetFields(BindingFlags.NonPublic | BindingFlags.Static)
            .Where(f => f.FieldType == typeof(string[]) && f.Name.EndsWith("Keys", StringComparison.Ordinal))
            .ToList();

        Assert.True(lists.Count >= 30, $"found only {lists.Count} key lists in the loader");
        foreach (var field in lists)
        {
            var keys = ((string[])field.GetValue(null)!).ToHashSet(StringComparer.Ordinal);
            Assert.True(objects.Any(o => o.SetEquals(keys)), $"{field.Name} ({string.Join(", ", keys)}) is no object of the schema");
        }
    }

    [Theory]
    [MemberData(nameof(ShippedScenarioTests.All), MemberType = typeof(ShippedScenarioTests))]
    public void ShippedScenario_MeetsTheSchema(string name)
    {
        var errors = Validate(File.ReadAllText(Path.Combine(ShippedScenarioTests.ScenarioDirectory, name)));

        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    [Theory]
    [InlineData("rate_per_year: 1.4", "rate_per_yer: 1.4", "/threats/0")]
    [InlineData("effect: outage", "effect: outages", "/threats/0/effect")]
    [InlineData("rto: 8h", "rto: 8", "/services/0/rto")]
    [InlineData("mode: async", "mode: asynchronous", "/data/0/replication/0/mode")]
    [InlineData("dist: lognormal, median: 5m, p90: 20m", "dist: lognormal, median: 5m, p99: 20m", "/services/0/recovery/detection")]
    public void Schema_RejectsWhatTheLoaderRejects(string good, string bad, string where)
    {
        string text = File.ReadAllText(Path.Combine(ShippedScenarioTests.ScenarioDirectory, "03-hourly-async-dr.yaml"));
        string broken = ReplaceFirst(text.Replace("rto: 4h", "rto: 8h", StringComparison.Ordinal), good, bad);
        Assert.NotEqual(text, broken);
        Assert.Empty(Validate(text));
        Assert.False(ScenarioLoader.Parse(broken, "broken.yaml").Success);

        var errors = Validate(broken);

        Assert.Contains(errors, e => e.StartsWith(where, StringComparison.Ordinal));
    }

    /// <summary>Validates a scenario's YAML against the schema, as an editor's YAML 1.2 core schema reads it; returns the errors as "LOCATION: MESSAGE".</summary>
    public static List<string> Validate(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        JsonNode? instance = ToJson(stream.Documents[0].RootNode);
        var results = Schema.Value.Evaluate(JsonSerializer.SerializeToElement(instance), new EvaluationOptions { OutputFormat = OutputFormat.Hierarchical });
        var errors = new List<string>();
        Failures(results, errors);
        return errors;
    }

    // Only the failing branches: a valid anyOf's rejected alternatives are no errors.
    private static void Failures(EvaluationResults node, List<string> errors)
    {
        if (node.IsValid)
        {
            return;
        }

        foreach (var (_, message) in node.Errors ?? [])
        {
            errors.Add($"{node.InstanceLocation}: {message}");
        }

        foreach (var child in node.Details ?? [])
        {
            Failures(child, errors);
        }
    }

    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(kv => KeyValuePair.Create(((YamlScalarNode)kv.Key).Value!, ToJson(kv.Value)))),
        YamlSequenceNode list => new JsonArray([.. list.Children.Select(ToJson)]),
        YamlScalarNode scalar => Scalar(scalar),
        _ => throw new InvalidOperationException($"unexpected YAML node {node.GetType().Name}"),
    };

    // YAML 1.2 core schema: plain null, booleans, integers and floats are typed; everything else, and anything quoted, is text.
    private static JsonNode? Scalar(YamlScalarNode scalar)
    {
        string text = scalar.Value ?? "";
        if (scalar.Style is not (ScalarStyle.Plain or ScalarStyle.Any))
        {
            return JsonValue.Create(text);
        }

        if (text is "" or "~" or "null" or "Null" or "NULL")
        {
            return null;
        }

        if (text is "true" or "True" or "TRUE" or "false" or "False" or "FALSE")
        {
            return JsonValue.Create(text.Equals("true", StringComparison.OrdinalIgnoreCase));
        }

        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long whole))
        {
            return JsonValue.Create(whole);
        }

        if (ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out ulong large))
        {
            return JsonValue.Create(large);
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double number) && double.IsFinite(number)
            ? JsonValue.Create(number)
            : JsonValue.Create(text);
    }

    private static void Collect(JsonNode node, List<HashSet<string>> objects)
    {
        switch (node)
        {
            case JsonObject obj:
                if (obj["properties"] is JsonObject properties)
                {
                    objects.Add([.. properties.Select(p => p.Key)]);
                }

                foreach (var (_, child) in obj)
                {
                    if (child is not null)
                    {
                        Collect(child, objects);
                    }
                }

                break;
            case JsonArray array:
                foreach (var child in array)
                {
                    if (child is not null)
                    {
                        Collect(child, objects);
                    }
                }

                break;
        }
    }

    private static string ReplaceFirst(string text, string old, string replacement)
    {
        int at = text.IndexOf(old, StringComparison.Ordinal);
        return at < 0 ? text : text[..at] + replacement + text[(at + old.Length)..];
    }
}
