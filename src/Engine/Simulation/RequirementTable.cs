using System.Collections.Immutable;
using DisasterSim.Models;

namespace DisasterSim.Engine.Simulation;

/// <summary>
/// Requirement expressions flattened into arrays: a node is either a component leaf or a
/// "at least K of these children" group. Node −1 stands for "requires nothing".
/// </summary>
public sealed class RequirementTable
{
    private readonly int[] _component;
    private readonly int[] _k;
    private readonly int[] _childStart;
    private readonly int[] _childCount;
    private readonly int[] _children;

    internal RequirementTable(int[] component, int[] k, int[] childStart, int[] childCount, int[] children)
    {
        _component = component;
        _k = k;
        _childStart = childStart;
        _childCount = childCount;
        _children = children;
    }

    /// <summary>Evaluates node <paramref name="node"/> against the components' up states.</summary>
    public bool IsSatisfied(int node, ReadOnlySpan<bool> componentUp)
    {
        if (node < 0)
        {
            return true;
        }

        int component = _component[node];
        if (component >= 0)
        {
            return componentUp[component];
        }

        int needed = _k[node];
        int remaining = _childCount[node];
        int start = _childStart[node];
        for (int i = 0; i < _childCount[node]; i++)
        {
            remaining--;
            int child = _children[start + i];
            int leaf = _component[child];
            if (leaf >= 0 ? componentUp[leaf] : IsSatisfied(child, componentUp))
            {
                if (--needed == 0)
                {
                    return true;
                }
            }
            else if (needed > remaining)
            {
                return false;
            }
        }

        return needed <= 0;
    }

    /// <summary>Gets every component that node <paramref name="node"/> mentions, directly or in groups.</summary>
    public IEnumerable<int> Components(int node)
    {
        if (node < 0)
        {
            yield break;
        }

        if (_component[node] >= 0)
        {
            yield return _component[node];
            yield break;
        }

        for (int i = 0; i < _childCount[node]; i++)
        {
            foreach (int c in Components(_children[_childStart[node] + i]))
            {
                yield return c;
            }
        }
    }
}

/// <summary>Builds a <see cref="RequirementTable"/> from model requirements.</summary>
internal sealed class RequirementTableBuilder(IReadOnlyDictionary<string, int> componentIndex)
{
    private readonly List<int> _component = [];
    private readonly List<int> _k = [];
    private readonly List<int> _childStart = [];
    private readonly List<int> _childCount = [];
    private readonly List<int> _children = [];

    /// <summary>Adds a requirement and returns its node index (−1 for none).</summary>
    public int Add(Requirement? requirement)
    {
        switch (requirement)
        {
            case null:
                return -1;
            case RequireComponent one:
                return NewNode(componentIndex[one.Component], 0, 0, 0);
            case RequireAtLeast group:
                var childNodes = group.Items.Select(Add).ToArray();
                int start = _children.Count;
                _children.AddRange(childNodes);
                return NewNode(-1, group.K, start, childNodes.Length);
            default:
                throw new ArgumentException($"Unknown requirement {requirement.GetType().Name}.", nameof(requirement));
        }
    }

    public RequirementTable Build() =>
        new([.. _component], [.. _k], [.. _childStart], [.. _childCount], [.. _children]);

    private int NewNode(int component, int k, int childStart, int childCount)
    {
        _component.Add(component);
        _k.Add(k);
        _childStart.Add(childStart);
        _childCount.Add(childCount);
        return _component.Count - 1;
    }
}
