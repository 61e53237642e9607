using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace DisasterSim.Models.Loading;

/// <summary>Path building and null detection for YAML nodes.</summary>
internal static class ScenarioNodes
{
    internal static string Child(string path, string key) => path.Length == 0 ? key : path + "." + key;

    internal static string Item(string path, int index) => path + "[" + index.ToString(CultureInfo.InvariantCulture) + "]";

    /// <summary>Gets whether a node is YAML null: an empty plain value, <c>~</c> or <c>null</c>.</summary>
    internal static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any } s && s.Value is null or "" or "~" or "null" or "Null" or "NULL";
}

/// <summary>A mapping checked against its allowed keys; hands out values by key and reports missing ones.</summary>
internal sealed class MapReader
{
    private readonly ReadContext ctx;
    private readonly Dictionary<string, YamlNode> values = new(StringComparer.Ordinal);

    internal MapReader(ReadContext ctx, YamlMappingNode node, string path, string what, IReadOnlyList<string> allowed, Func<string, string>? unknownKeyMessage = null)
    {
        this.ctx = ctx;
        Node = node;
        Path = path;
        What = what;
        foreach (KeyValuePair<YamlNode, YamlNode> entry in node.Children)
        {
            string key = (entry.Key as YamlScalarNode)?.Value ?? "";
            if (allowed.Contains(key, StringComparer.Ordinal))
            {
                values[key] = entry.Value;
            }
            else if (path.Length == 0 && key.StartsWith("x-", StringComparison.Ordinal))
            {
                // Top-level keys starting with x- are ignored so they can hold anchors for reuse.
            }
            else
            {
                string message = unknownKeyMessage?.Invoke(key) ?? LoaderMessages.UnknownKey(key, allowed, NameSuggester.Suggest(key, allowed));
                ctx.Error(entry.Key, ScenarioNodes.Child(path, key), message);
            }
        }
    }

    internal YamlMappingNode Node { get; }

    internal string Path { get; }

    internal string What { get; }

    /// <summary>Gets the keys present with a non-null value, in document order.</summary>
    internal IEnumerable<string> PresentKeys => values.Where(kv => !ScenarioNodes.IsNull(kv.Value)).Select(kv => kv.Key);

    internal string PathOf(string key) => ScenarioNodes.Child(Path, key);

    /// <summary>Gets the value of an optional key; null when absent or YAML null.</summary>
    /// <summary>The trimmed text of a scalar value, for messages that quote the user; empty when absent or not text.</summary>
    internal string Describe(string key) => Optional(key) is YamlScalarNode s ? (s.Value ?? "").Trim() : "";

    internal YamlNode? Optional(string key) => values.TryGetValue(key, out YamlNode? v) && !ScenarioNodes.IsNull(v) ? v : null;

    /// <summary>Gets the value of a required key, reporting it at the mapping when absent or null.</summary>
    internal YamlNode? Required(string key)
    {
        YamlNode? value = Optional(key);
        if (value is null)
        {
            if (values.TryGetValue(key, out YamlNode? nullValue))
            {
                ctx.Error(nullValue, PathOf(key), LoaderMessages.MissingValue(key, "a value"));
            }
            else
            {
                ctx.Error(Node, Path, LoaderMessages.MissingKey(key, What));
            }
        }

        return value;
    }
}
