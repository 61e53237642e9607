using System.Globalization;
using DisasterSim.Models.Loading;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace DisasterSim.Models.Variants;

/// <summary>Loads a scenario with overrides applied to its YAML node tree before validation.</summary>
/// <remarks>
/// Overrides work on the YAML, not on the loaded scenario, so every override is validated exactly like
/// the file itself, and errors in untouched parts keep their file positions. An error in a replaced
/// value is reported at the position of the value it replaced.
/// </remarks>
public static class VariantLoader
{
    /// <summary>Loads <paramref name="path"/> with <paramref name="overrides"/> applied in order.</summary>
    /// <returns>The scenario, or null with every diagnostic (a bad path is one error naming the path and what exists there).</returns>
    public static LoadResult Load(string path, IReadOnlyList<ScenarioOverride> overrides)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(overrides);
        if (overrides.Count == 0)
        {
            return ScenarioLoader.Load(path);
        }

        var readContext = new ReadContext(path);
        if (!ScenarioLoader.TryRead(path, readContext, InputFile.DefaultTimeout, out string text, out byte[] bytes))
        {
            return new LoadResult(null, readContext.Diagnostics());
        }

        return Parse(text, path, overrides) with { SourceBytes = bytes };
    }

    /// <summary>Parses scenario text with <paramref name="overrides"/> applied; <paramref name="fileName"/> is used in diagnostics.</summary>
    public static LoadResult Parse(string yaml, string fileName, IReadOnlyList<ScenarioOverride> overrides)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        ArgumentNullException.ThrowIfNull(fileName);
        ArgumentNullException.ThrowIfNull(overrides);
        var ctx = new ReadContext(fileName);
        if (!YamlGuard.Check(yaml, ctx))
        {
            return new LoadResult(null, ctx.Diagnostics());
        }

        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException)
        {
            // The plain loader locates and words syntax errors.
            return ScenarioLoader.Parse(yaml, fileName);
        }

        if (stream.Documents.Count == 0)
        {
            return ScenarioLoader.Parse(yaml, fileName);
        }

        YamlNode root = stream.Documents[0].RootNode;
        foreach (var o in overrides)
        {
            root = Apply(root, o, ctx);
        }

        if (ctx.HasErrors)
        {
            return new LoadResult(null, ctx.Diagnostics());
        }

        Scenario? scenario = new ScenarioReader(ctx).Read(root);
        return new LoadResult(ctx.HasErrors ? null : scenario, ctx.Diagnostics());
    }

    private static YamlNode Apply(YamlNode root, ScenarioOverride o, ReadContext ctx)
    {
        YamlNode node = root;
        Action<YamlNode>? replace = null;
        string walked = "";
        for (int s = 0; s < o.Path.Count; s++)
        {
            var step = o.Path[s];
            bool last = s == o.Path.Count - 1;
            string here = walked.Length == 0 ? step.Key : walked + "." + step.Key;
            if (node is not YamlMappingNode mapping)
            {
                ctx.Error(node, walked, $"override {o}: '{walked}' is not a mapping, so it has no key '{step.Key}'.");
                return root;
            }

            var key = new YamlScalarNode(step.Key);
            if (!mapping.Children.TryGetValue(key, out YamlNode? child))
            {
                if (last && step.Selector is null)
                {
                    // A key the file leaves at its default may be set; the loader then checks it is a known key.
                    var added = ParseValue(o, mapping.Start, ctx);
                    mapping.Add(step.Key, added);
                    DropDependents(mapping, step.Key, added);
                    return root;
                }

                var keys = mapping.Children.Keys.OfType<YamlScalarNode>().Select(k => k.Value ?? "").ToList();
                string? near = NameSuggester.Suggest(step.Key, keys);
                string where = walked.Length == 0 ? "at the top of the scenario" : $"in {walked}";
                string hint = near is null ? "" : $" Did you mean '{near}'?";
                ctx.Error(mapping, here, $"override {o}: no key '{step.Key}' {where}; keys there: {string.Join(", ", keys)}.{hint}");
                return root;
            }

            var parent = mapping;
            replace = n =>
            {
                parent.Children[key] = n;
                DropDependents(parent, step.Key, n);
            };
            node = child;
            walked = here;
            if (step.Selector is not null)
            {
                if (node is not YamlSequenceNode list)
                {
                    ctx.Error(node, walked, $"override {o}: '{walked}' is not a list, so [{step.Selector}] selects nothing; drop the brackets.");
                    return root;
                }

                int index = FindItem(list, step.Selector);
                if (index < 0)
                {
                    var names = list.Children.Select(Name).Where(n => n is not null).Select(n => n!).ToList();
                    string? near = NameSuggester.Suggest(step.Selector, names);
                    string hint = near is null ? "" : $" Did you mean '{near}'?";
                    string listed = names.Count == 0 ? "its items have no names; select by index (0 to " + (list.Children.Count - 1).ToString(CultureInfo.InvariantCulture) + ")" : "names: " + string.Join(", ", names);
                    int count = list.Children.Count;
                    string items = count.ToString(CultureInfo.InvariantCulture) + (count == 1 ? " item" : " items");
                    ctx.Error(list, walked, $"override {o}: no item named '{step.Selector}' in {walked} ({items}); {listed}.{hint}");
                    return root;
                }

                replace = n => list.Children[index] = n;
                node = list.Children[index];
                walked = walked + "[" + step.Selector + "]";
            }
        }

        replace!(ParseValue(o, node.Start, ctx));
        return root;
    }

    /// <summary>
    /// Keys that belong to one mode only, dropped when an override moves the mode away from it, so that a sweep of failover
    /// <c>mode</c> over manual and automatic needs no second setting: automatic, estimate and never failovers drop
    /// <c>after</c> (manual only), all but estimate drop <c>estimate</c>, a sync replica drops its <c>lag</c>.
    /// </summary>
    public static IReadOnlyList<(string Mode, string Key)> DependentKeys { get; } =
    [
        ("automatic", "after"), ("estimate", "after"), ("never", "after"),
        ("automatic", "estimate"), ("manual", "estimate"), ("never", "estimate"),
        ("sync", "lag"),
    ];

    private static void DropDependents(YamlMappingNode mapping, string key, YamlNode value)
    {
        if (key != "mode" || value is not YamlScalarNode { Value: { } mode })
        {
            return;
        }

        foreach (var (when, dependent) in DependentKeys)
        {
            if (when == mode.Trim())
            {
                mapping.Children.Remove(new YamlScalarNode(dependent));
            }
        }
    }

    private static int FindItem(YamlSequenceNode list, string selector)
    {
        for (int i = 0; i < list.Children.Count; i++)
        {
            if (Name(list.Children[i]) == selector)
            {
                return i;
            }
        }

        // A name wins over an index, so an item named "0" stays reachable.
        if (int.TryParse(selector, NumberStyles.None, CultureInfo.InvariantCulture, out int index) && index < list.Children.Count)
        {
            return index;
        }

        return -1;
    }

    private static string? Name(YamlNode item) =>
        item is YamlMappingNode m && m.Children.TryGetValue(new YamlScalarNode("name"), out YamlNode? n) && n is YamlScalarNode s ? s.Value : null;

    // The value is parsed as YAML placed at the position of the node it replaces, so the loader's
    // diagnostics about it point there, with the overriding value quoted in the message.
    private static YamlNode ParseValue(ScenarioOverride o, Mark at, ReadContext ctx)
    {
        int lines = Math.Max(0, (int)at.Line - 1);
        int columns = Math.Max(0, (int)at.Column - 1);
        string padded = new string('\n', lines) + new string(' ', columns) + o.ValueText;
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(padded));
        }
        catch (YamlException ex)
        {
            ctx.Error(at, o.PathText, $"override {o}: the value is not valid YAML ({YamlGuard.CleanMessage(ex)}); quote it or write a flow mapping such as {{ dist: exponential, mean: 8h }}.");
            return new YamlScalarNode(o.ValueText);
        }

        return stream.Documents.Count == 0 ? new YamlScalarNode("") : stream.Documents[0].RootNode;
    }
}
