using System.Collections.Immutable;
using YamlDotNet.RepresentationModel;

namespace DisasterSim.Models.Loading;

/// <summary>What needs what: requirement expressions (any_of, all_of, k_of_n), then the checks of references, cycles and placement once the whole file is read.</summary>
internal sealed partial class ScenarioReader
{
    /// <summary>Reads an optional requirement list; ok is false when it was present but broken.</summary>
    private (bool Ok, Requirement? Requirement) Requires(MapReader map, string key, List<Ref> found)
    {
        YamlNode? node = map.Optional(key);
        if (node is null || node is YamlSequenceNode { Children.Count: 0 })
        {
            return (true, null);
        }

        Requirement? r = Requirement(node, map.PathOf(key), 1, found);
        return (r is not null, r);
    }

    private Requirement? Requirement(YamlNode node, string path, int depth, List<Ref> found)
    {
        if (depth > ReadContext.MaxDepth)
        {
            Ctx.Error(node, path, LoaderMessages.TooDeepRequirement(ReadContext.MaxDepth));
            return null;
        }

        switch (node)
        {
            case YamlScalarNode:
                string? name = Text(node, path, "a component name or a group (any_of, all_of, k_of_n)");
                if (name is null)
                {
                    return null;
                }

                found.Add(new Ref(RefKind.Component, name, node, path));
                refs.Add(new Ref(RefKind.Component, name, node, path));
                return new RequireComponent(name);
            case YamlSequenceNode:
                return Group(node, path, depth, found, "the list", all: true, k: null, kNode: null, kPath: "");
            default:
                MapReader? map = Map(node, path, "a requirement group", GroupKeys);
                if (map is null)
                {
                    return null;
                }

                string[] present = [.. map.PresentKeys];
                if (present.Length != 1)
                {
                    Ctx.Error(node, path, LoaderMessages.RequirementGroup(present));
                    return null;
                }

                string group = present[0];
                if (group != "k_of_n")
                {
                    return Group(map.Optional(group)!, map.PathOf(group), depth, found, group, all: group == "all_of", k: 1, kNode: null, kPath: "");
                }

                MapReader? kn = Map(map.Optional(group)!, map.PathOf(group), "k_of_n: { k: NUMBER, of: [ITEMS] }", KOfNKeys);
                if (kn is null)
                {
                    return null;
                }

                YamlNode? kNode = kn.Required("k");
                YamlNode? ofNode = kn.Required("of");
                long? kValue = kNode is null ? null : Integer(kNode, kn.PathOf("k"), long.MinValue, long.MaxValue);
                return kValue is not null && ofNode is not null
                    ? Group(ofNode, kn.PathOf("of"), depth, found, "k_of_n", all: false, k: kValue, kNode: kNode, kPath: kn.PathOf("k"))
                    : null;
        }
    }

    private Requirement? Group(YamlNode node, string path, int depth, List<Ref> found, string group, bool all, long? k, YamlNode? kNode, string kPath)
    {
        YamlSequenceNode? list = Sequence(node, path, $"the items of {group}");
        if (list is null)
        {
            return null;
        }

        if (list.Children.Count == 0)
        {
            Ctx.Error(node, path, LoaderMessages.EmptyGroup(group));
            return null;
        }

        if (list.Children.Count > ReadContext.MaxItems)
        {
            Ctx.Error(node, path, LoaderMessages.TooManyItems("items", list.Children.Count, ReadContext.MaxItems));
            return null;
        }

        var items = ImmutableArray.CreateBuilder<Requirement>(list.Children.Count);
        bool ok = true;
        for (int i = 0; i < list.Children.Count && !Ctx.Exhausted; i++)
        {
            if (Requirement(list.Children[i], ScenarioNodes.Item(path, i), depth + 1, found) is { } item)
            {
                items.Add(item);
            }
            else
            {
                ok = false;
            }
        }

        int count = list.Children.Count;
        if (kNode is not null && k is { } kk && (kk < 1 || kk > count))
        {
            string kText = ((YamlScalarNode)kNode).Value ?? "";
            Ctx.Error(kNode, kPath, LoaderMessages.KOutOfRange(kText, count));
            return null;
        }

        if (!ok || Ctx.Exhausted)
        {
            return null;
        }

        // One item needs no group: the engine sees the same requirement either way.
        if (count == 1)
        {
            return items[0];
        }

        return new RequireAtLeast(all ? count : (int)k!.Value, items.MoveToImmutable());
    }

    private void CheckReferences()
    {
        var known = names.ToDictionary(kv => kv.Key, kv => (IReadOnlyCollection<string>)kv.Value.Keys.ToArray());
        foreach (Ref r in refs)
        {
            if (!names[r.Kind].ContainsKey(r.Name))
            {
                Ctx.Error(r.Node, r.Path, LoaderMessages.UnknownReference(KindName(r.Kind), r.Name, NameSuggester.Suggest(r.Name, known[r.Kind]), known[r.Kind]));
            }
        }
    }

    private void CheckCycles()
    {
        var edges = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var where = new Dictionary<string, (YamlNode Node, string Path)>(StringComparer.Ordinal);
        foreach ((string name, YamlNode node, string path, List<Ref> requires) in componentRequires)
        {
            if (edges.TryAdd(name, [.. requires.Select(r => r.Name).Where(componentSites.ContainsKey).Distinct()]))
            {
                where[name] = (node, path);
            }
        }

        ReportCycles(edges, where, LoaderMessages.Cycle);
    }

    /// <summary>Reports each cycle of a requirement graph once, at the requirements of the node it closes on.</summary>
    private void ReportCycles(Dictionary<string, List<string>> edges, Dictionary<string, (YamlNode Node, string Path)> where, Func<IEnumerable<string>, string> message)
    {
        // Iterative depth-first search: 10,000 components in a chain must not exhaust the call stack.
        var state = new Dictionary<string, int>(StringComparer.Ordinal);
        var reported = new HashSet<string>(StringComparer.Ordinal);
        foreach (string start in edges.Keys)
        {
            if (state.ContainsKey(start))
            {
                continue;
            }

            var path = new List<string> { start };
            var next = new List<int> { 0 };
            state[start] = 1;
            while (path.Count > 0)
            {
                string current = path[^1];
                List<string> deps = edges.TryGetValue(current, out List<string>? d) ? d : [];
                if (next[^1] >= deps.Count)
                {
                    state[current] = 2;
                    path.RemoveAt(path.Count - 1);
                    next.RemoveAt(next.Count - 1);
                    continue;
                }

                string dep = deps[next[^1]++];
                if (!state.TryGetValue(dep, out int s))
                {
                    state[dep] = 1;
                    path.Add(dep);
                    next.Add(0);
                }
                else if (s == 1)
                {
                    List<string> cycle = [.. path.Skip(path.IndexOf(dep)), dep];
                    string signature = string.Join("\n", cycle.Skip(1).Order(StringComparer.Ordinal));
                    if (reported.Add(signature))
                    {
                        (YamlNode node, string at) = where[dep];
                        Ctx.Error(node, at, message(cycle));
                    }
                }
            }
        }
    }

    private void CheckPlacement()
    {
        foreach ((string site, List<Ref> requires, string role) in placements)
        {
            foreach (Ref r in requires)
            {
                if (componentSites.TryGetValue(r.Name, out string? componentSite) && componentSite != site)
                {
                    Ctx.Warning(r.Node, r.Path, LoaderMessages.ComponentAtOtherSite(r.Name, componentSite, role, site));
                }
            }
        }
    }
}
