using System.Collections.Immutable;
using System.Runtime.CompilerServices;
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
    private readonly int[] _parent;
    private readonly int[] _leafStart;
    private readonly int[] _leaves;
    private readonly int[] _allUpCount;
    private readonly bool[] _allUpSatisfied;

    internal RequirementTable(int[] component, int[] k, int[] childStart, int[] childCount, int[] children, int components)
    {
        _component = component;
        _k = k;
        _childStart = childStart;
        _childCount = childCount;
        _children = children;

        // Every node is the child of at most one group: the expressions are trees.
        _parent = new int[component.Length];
        Array.Fill(_parent, -1);
        for (int node = 0; node < component.Length; node++)
        {
            for (int i = 0; i < childCount[node]; i++)
            {
                _parent[children[childStart[node] + i]] = node;
            }
        }

        // The leaves that name each component, grouped by component (CSR layout).
        _leafStart = new int[components + 1];
        foreach (int c in component)
        {
            if (c >= 0)
            {
                _leafStart[c + 1]++;
            }
        }

        for (int c = 0; c < components; c++)
        {
            _leafStart[c + 1] += _leafStart[c];
        }

        _leaves = new int[_leafStart[components]];
        var next = _leafStart[..components];
        for (int node = 0; node < component.Length; node++)
        {
            if (component[node] >= 0)
            {
                _leaves[next[component[node]]++] = node;
            }
        }

        // Every trial starts with every component up.
        var allUp = new bool[components];
        Array.Fill(allUp, true);
        _allUpSatisfied = new bool[component.Length];
        _allUpCount = new int[component.Length];
        for (int node = 0; node < component.Length; node++)
        {
            _allUpSatisfied[node] = IsSatisfied(node, allUp);
            for (int i = 0; i < childCount[node]; i++)
            {
                _allUpCount[node] += IsSatisfied(children[childStart[node] + i], allUp) ? 1 : 0;
            }
        }
    }

    /// <summary>Gets the number of nodes.</summary>
    public int Nodes => _component.Length;

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

    /// <summary>
    /// Gets when node <paramref name="node"/> holds again if nothing else fails, given when each component works again:
    /// a leaf, its component's time; a group of "at least k", the k-th earliest of its children's.
    /// </summary>
    /// <param name="node">The node; −1 (nothing required) holds at once.</param>
    /// <param name="componentUpAt">When each component works again (the present time or earlier for one that works).</param>
    /// <param name="scratch">Room for the children's times of the widest group.</param>
    internal double UpAt(int node, ReadOnlySpan<double> componentUpAt, Span<double> scratch)
    {
        if (node < 0)
        {
            return double.NegativeInfinity;
        }

        int component = _component[node];
        if (component >= 0)
        {
            return componentUpAt[component];
        }

        int count = _childCount[node];
        var times = scratch[..count];
        for (int i = 0; i < count; i++)
        {
            times[i] = UpAt(_children[_childStart[node] + i], componentUpAt, scratch[count..]);
        }

        times.Sort();
        return times[_k[node] - 1];
    }

    /// <summary>Gets the group that node <paramref name="node"/> belongs to, or −1 for a root.</summary>
    internal int Parent(int node) => _parent[node];

    /// <summary>Gets how many children group <paramref name="node"/> needs (0 for a leaf).</summary>
    internal int Needed(int node) => _k[node];

    /// <summary>Gets how many children of node <paramref name="node"/> hold with every component up.</summary>
    internal int AllUpCount(int node) => _allUpCount[node];

    /// <summary>Gets whether node <paramref name="node"/> holds with every component up.</summary>
    internal bool AllUpSatisfied(int node) => _allUpSatisfied[node];

    /// <summary>Gets the leaves that name each component: component c's are the entries from LeafStart[c] to LeafStart[c + 1].</summary>
    internal ReadOnlySpan<int> LeafStart => _leafStart;

    /// <summary>Gets the leaf nodes, grouped by the component they name.</summary>
    internal ReadOnlySpan<int> Leaves => _leaves;

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

/// <summary>
/// The truth of every requirement node as components go up and down, kept up to date incrementally: a group
/// counts its satisfied children, and a component's change walks up from its leaves only while a node's truth
/// changes. Reading a requirement is then one array load, whatever its size. One per simulator.
/// </summary>
internal sealed class RequirementState
{
    /// <summary>Every node as at the start of a trial, every component up.</summary>
    private readonly Node[] _allUp;

    /// <summary>Every node now.</summary>
    private readonly Node[] _nodes;

    /// <summary>
    /// Per component, its first leaf and where the others are in <see cref="_moreMentions"/>. Most components are
    /// named once: one load, indexed by the component, then finds the leaf and its group.
    /// </summary>
    private readonly Mentions[] _byComponent;
    private readonly Mention[] _moreMentions;

    /// <param name="table">The requirement expressions.</param>
    /// <param name="watched">The nodes whose changes <see cref="Set"/> reports (−1 entries are ignored).</param>
    public RequirementState(RequirementTable table, IEnumerable<int> watched)
    {
        _allUp = new Node[table.Nodes];
        for (int node = 0; node < _allUp.Length; node++)
        {
            _allUp[node] = new Node
            {
                Parent = table.Parent(node),
                Needed = table.Needed(node),
                Count = table.AllUpCount(node),
                Satisfied = table.AllUpSatisfied(node),
            };
        }

        foreach (int node in watched)
        {
            if (node >= 0)
            {
                _allUp[node].Watched = true;
            }
        }

        _nodes = (Node[])_allUp.Clone();
        var leafStart = table.LeafStart;
        var leaves = table.Leaves;
        var more = new List<Mention>();
        _byComponent = new Mentions[leafStart.Length - 1];
        for (int c = 0; c < _byComponent.Length; c++)
        {
            var first = default(Mention);
            for (int i = leafStart[c]; i < leafStart[c + 1]; i++)
            {
                var mention = new Mention(leaves[i], _allUp[leaves[i]].Parent, _allUp[leaves[i]].Watched);
                if (i == leafStart[c])
                {
                    first = mention;
                }
                else
                {
                    more.Add(mention);
                }
            }

            int count = leafStart[c + 1] - leafStart[c];
            _byComponent[c] = new Mentions(count, first, more.Count - Math.Max(0, count - 1), more.Count);
        }

        _moreMentions = [.. more];
    }

    /// <summary>Back to every component up, as at the start of a trial.</summary>
    public void Reset() => _allUp.CopyTo(_nodes, 0);

    /// <summary>Whether node <paramref name="node"/> (−1: nothing required) holds now.</summary>
    public bool IsSatisfied(int node) => node < 0 || _nodes[node].Satisfied;

    /// <summary>Records that component <paramref name="component"/> went up (or down), having been down (or up).</summary>
    /// <returns>Whether a watched node changed its truth.</returns>
    public bool Set(int component, bool up)
    {
        ref readonly var mentions = ref _byComponent[component];
        if (mentions.Count == 0)
        {
            return false;
        }

        bool watchedChanged = Apply(mentions.First, up);
        for (int i = mentions.MoreStart; i < mentions.MoreEnd; i++)
        {
            watchedChanged |= Apply(_moreMentions[i], up);
        }

        return watchedChanged;
    }

    /// <summary>The leaf of <paramref name="mention"/> now holds (or fails): updates it and the groups above it.</summary>
    /// <returns>Whether a watched node changed its truth.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool Apply(Mention mention, bool up)
    {
        // A leaf holds exactly while its component is up, so this is a change of the leaf's truth; the leaf and its
        // group are known from the mention, without reading the leaf first.
        var nodes = _nodes;
        nodes[mention.Leaf].Satisfied = up;
        bool watchedChanged = mention.Watched;
        int delta = up ? 1 : -1;

        // Up the tree while a group's truth changes; a group whose truth stays hides the change from its own.
        for (int p = mention.Parent; p >= 0;)
        {
            ref var group = ref nodes[p];
            group.Count += delta;
            bool holds = group.Count >= group.Needed;
            if (holds == group.Satisfied)
            {
                break;
            }

            group.Satisfied = holds;
            watchedChanged |= group.Watched;
            p = group.Parent;
        }

        return watchedChanged;
    }

    /// <summary>A leaf naming a component: the leaf, its group (−1 for none), whether the leaf is watched.</summary>
    private readonly record struct Mention(int Leaf, int Parent, bool Watched);

    /// <summary>A component's leaves: how many, the first, and the others' range in <see cref="_moreMentions"/>.</summary>
    private readonly record struct Mentions(int Count, Mention First, int MoreStart, int MoreEnd);

    /// <summary>One node's links and its state: for a group, how many of its children hold.</summary>
    private struct Node
    {
        public int Parent;
        public int Needed;
        public int Count;
        public bool Satisfied;

        /// <summary>Whether <see cref="Set"/> reports a change of this node's truth.</summary>
        public bool Watched;
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
        new([.. _component], [.. _k], [.. _childStart], [.. _childCount], [.. _children], componentIndex.Count);

    private int NewNode(int component, int k, int childStart, int childCount)
    {
        _component.Add(component);
        _k.Add(k);
        _childStart.Add(childStart);
        _childCount.Add(childCount);
        return _component.Count - 1;
    }
}
