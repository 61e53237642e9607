using System.Collections.Immutable;
using DisasterSim.Models;

namespace DisasterSim.Engine.Simulation;

/// <summary>
/// What services need and share of each other, compiled once: the services each requires (and the monitors), an order in
/// which every service comes after those it requires, the standby sites whose places are bounded and the services that
/// may move to each, and the standbys that carry less than the full load. A scenario that uses none of it compiles to
/// <see cref="HasRequirements"/>, <see cref="HasBoundedSites"/> and <see cref="HasPartialStandbys"/> false, and the
/// simulation takes none of their paths.
/// </summary>
public sealed class ServiceGraph
{
    internal ServiceGraph(Scenario scenario)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var s in scenario.Services)
        {
            index[s.Name] = index.Count;
        }

        int n = scenario.Services.Length;
        Requires = [.. scenario.Services.Select(s => s.RequiresServices.Select(r => index[r]).Distinct().ToImmutableArray())];
        HasRequirements = Requires.Any(r => !r.IsEmpty);
        Dependents = [.. Enumerable.Range(0, n).Select(s => Enumerable.Range(0, n).Where(x => Requires[x].Contains(s)).ToImmutableArray())];
        Order = TopologicalOrder(Requires);
        var closure = Enumerable.Range(0, n).Select(s => Closure(s, Requires)).ToArray();
        RequiresClosure = [.. closure.Select(c => c.ToImmutableArray())];
        DependentsClosure = [.. Enumerable.Range(0, n).Select(s => Order.Where(x => closure[x][s]).ToImmutableArray())];
        MonitorRequires = [.. scenario.Monitors.Select(m => m.RequiresServices.Select(r => index[r]).Distinct().ToImmutableArray())];

        var siteIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var site in scenario.Sites)
        {
            siteIndex[site.Name] = siteIndex.Count;
        }

        SitePlaces = [.. scenario.Sites.Select(site => site.Capacity ?? int.MaxValue)];
        Guests = [.. scenario.Sites.Select(site => site.Capacity is null
            ? ImmutableArray<int>.Empty
            : Enumerable.Range(0, n).Where(s => scenario.Services[s].Standby?.Site == site.Name).ToImmutableArray())];
        HasBoundedSites = Guests.Any(g => !g.IsEmpty);
        Priority = [.. scenario.Services.Select(s => s.Priority ?? int.MaxValue)];
        Shortfall = [.. scenario.Services.Select(s => s.Standby is { } standby ? 1 - standby.Capacity : 0)];
        HasPartialStandbys = Shortfall.Any(x => x > 0);
    }

    /// <summary>Gets, per service, the services it requires directly.</summary>
    public ImmutableArray<ImmutableArray<int>> Requires { get; }

    /// <summary>Gets, per service, the services that require it directly.</summary>
    public ImmutableArray<ImmutableArray<int>> Dependents { get; }

    /// <summary>Gets, per service, the services that require it directly or through others, in <see cref="Order"/>.</summary>
    public ImmutableArray<ImmutableArray<int>> DependentsClosure { get; }

    /// <summary>Gets, per service, which services it requires directly or through others.</summary>
    public ImmutableArray<ImmutableArray<bool>> RequiresClosure { get; }

    /// <summary>Gets every service after the services it requires (scenario order where nothing else decides).</summary>
    public ImmutableArray<int> Order { get; }

    /// <summary>Gets whether some service requires another.</summary>
    public bool HasRequirements { get; }

    /// <summary>Gets, per monitor, the services it needs to work and to report.</summary>
    public ImmutableArray<ImmutableArray<int>> MonitorRequires { get; }

    /// <summary>Gets, per site, how many services may use it as their standby at once (<see cref="int.MaxValue"/>: no bound).</summary>
    public ImmutableArray<int> SitePlaces { get; }

    /// <summary>Gets, per site with a bound, the services whose standby it is; empty for a site without one.</summary>
    public ImmutableArray<ImmutableArray<int>> Guests { get; }

    /// <summary>Gets whether some standby site has a bounded number of places that some service may take.</summary>
    public bool HasBoundedSites { get; }

    /// <summary>Gets each service's place in line (lower first; <see cref="int.MaxValue"/> without a priority).</summary>
    public ImmutableArray<int> Priority { get; }

    /// <summary>Gets, per service, the share of its load its standby cannot carry: 1 − capacity (0 without a standby).</summary>
    public ImmutableArray<double> Shortfall { get; }

    /// <summary>Gets whether some standby carries less than the full load.</summary>
    public bool HasPartialStandbys { get; }

    private static ImmutableArray<int> TopologicalOrder(ImmutableArray<ImmutableArray<int>> requires)
    {
        var order = ImmutableArray.CreateBuilder<int>(requires.Length);
        var done = new bool[requires.Length];
        var onPath = new bool[requires.Length];
        var stack = new Stack<(int Service, int Next)>();
        for (int start = 0; start < requires.Length; start++)
        {
            if (done[start])
            {
                continue;
            }

            // Iterative depth-first search (validation rejects cycles; a chain of thousands must not exhaust the stack).
            stack.Push((start, 0));
            onPath[start] = true;
            while (stack.Count > 0)
            {
                var (s, next) = stack.Pop();
                if (next < requires[s].Length)
                {
                    stack.Push((s, next + 1));
                    int r = requires[s][next];
                    if (!done[r] && !onPath[r])
                    {
                        onPath[r] = true;
                        stack.Push((r, 0));
                    }

                    continue;
                }

                onPath[s] = false;
                done[s] = true;
                order.Add(s);
            }
        }

        return order.MoveToImmutable();
    }

    private static bool[] Closure(int s, ImmutableArray<ImmutableArray<int>> requires)
    {
        var set = new bool[requires.Length];
        var stack = new Stack<int>(requires[s]);
        while (stack.Count > 0)
        {
            int r = stack.Pop();
            if (!set[r])
            {
                set[r] = true;
                foreach (int x in requires[r])
                {
                    stack.Push(x);
                }
            }
        }

        return set;
    }
}
