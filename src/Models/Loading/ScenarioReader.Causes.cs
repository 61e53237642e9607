using System.Collections.Immutable;
using YamlDotNet.RepresentationModel;

namespace DisasterSim.Models.Loading;

/// <summary>
/// Common causes: a threat whose scope is a group of components that fail together (<c>scope: { components: [...] }</c>),
/// and the rates a threat raises for a while after it strikes (<c>aftermath</c>).
/// </summary>
internal sealed partial class ScenarioReader
{
    internal static readonly string[] AftermathKeys = ["arrivals", "failures"];
    internal static readonly string[] RaisedRateKeys = ["factor", "for"];

    /// <summary>The members of a common-cause group: at least one component, each named once.</summary>
    private Scope? GroupScope(MapReader map)
    {
        string path = map.PathOf("components");
        YamlSequenceNode? list = Sequence(map.Optional("components")!, path, "the components that fail together, e.g. [san-a, san-b]");
        if (list is null)
        {
            return null;
        }

        if (list.Children.Count == 0)
        {
            Ctx.Error(list, path, LoaderMessages.EmptyGroup("components"));
            return null;
        }

        if (list.Children.Count > ReadContext.MaxItems)
        {
            Ctx.Error(list, path, LoaderMessages.TooManyItems("components", list.Children.Count, ReadContext.MaxItems));
            return null;
        }

        var members = ImmutableArray.CreateBuilder<string>(list.Children.Count);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        bool ok = true;
        for (int i = 0; i < list.Children.Count; i++)
        {
            string itemPath = ScenarioNodes.Item(path, i);
            string? name = Text(list.Children[i], itemPath, "the name of a component");
            if (name is null)
            {
                ok = false;
                continue;
            }

            if (!seen.TryAdd(name, i))
            {
                Ctx.Error(list.Children[i], itemPath, LoaderMessages.DuplicateGroupMember(name, ScenarioNodes.Item(path, seen[name])));
                ok = false;
                continue;
            }

            refs.Add(new Ref(RefKind.Component, name, list.Children[i], itemPath));
            members.Add(name);
        }

        return ok ? Models.Scope.Group(members.ToImmutable()) : null;
    }

    /// <summary>
    /// What only some scopes and effects allow, and the threat's <c>aftermath</c>: ok is false when something was reported.
    /// </summary>
    private (bool Ok, Aftermath? Aftermath) ThreatCauses(MapReader map, Scope? scope, Effect? effect)
    {
        bool ok = true;
        if (scope?.Kind == ScopeKind.Components)
        {
            foreach (string key in new[] { "affects", "flood" })
            {
                if (map.Optional(key) is { } node)
                {
                    Ctx.Error(node, map.PathOf(key), LoaderMessages.NotForGroupScope(key));
                    ok = false;
                }
            }
        }

        if (map.Optional("aftermath") is not { } aftermathNode)
        {
            return (ok, null);
        }

        string path = map.PathOf("aftermath");
        MapReader? aftermath = Map(aftermathNode, path, "an aftermath: { arrivals: { factor, for }, failures: { factor, for } }", AftermathKeys);
        if (aftermath is null)
        {
            return (false, null);
        }

        RaisedRate? arrivals = aftermath.Optional("arrivals") is { } a ? RaisedRateOf(a, aftermath.PathOf("arrivals"), "this threat's arrival rate") : null;
        RaisedRate? failures = aftermath.Optional("failures") is { } f ? RaisedRateOf(f, aftermath.PathOf("failures"), "the failure rates of what it hit") : null;
        ok &= (aftermath.Optional("arrivals") is null || arrivals is not null) && (aftermath.Optional("failures") is null || failures is not null);
        if (aftermath.Optional("arrivals") is null && aftermath.Optional("failures") is null)
        {
            Ctx.Error(aftermathNode, path, LoaderMessages.EmptyAftermath());
            return (false, null);
        }

        if (aftermath.Optional("arrivals") is { } arrivalsNode && map.Optional("schedule") is not null)
        {
            Ctx.Error(arrivalsNode, aftermath.PathOf("arrivals"), LoaderMessages.AftershocksOfSchedule());
            ok = false;
        }

        if (aftermath.Optional("failures") is { } failuresNode && effect == Effect.Corruption)
        {
            Ctx.Error(failuresNode, aftermath.PathOf("failures"), LoaderMessages.StressWithoutHold());
            ok = false;
        }

        return (ok, ok ? new Aftermath(arrivals, failures) : null);
    }

    private RaisedRate? RaisedRateOf(YamlNode node, string path, string what)
    {
        MapReader? map = Map(node, path, $"a raised rate of {what}: {{ factor: NUMBER, for: DURATION }}", RaisedRateKeys);
        if (map is null)
        {
            return null;
        }

        Quoted? factor = Number(map, "factor", required: true, positive: true);
        if (factor is { } f && f.Value > ReadContext.MaxFactor)
        {
            Ctx.Error(map.Optional("factor")!, map.PathOf("factor"), LoaderMessages.NumberOutOfRange(f.Text, "a factor above 0 and at most 1,000,000"));
            factor = null;
        }

        Quoted? window = Duration(map, "for", required: true, positive: true);
        return factor is not null && window is not null ? new RaisedRate(factor.Value.Value, window.Value.Value) : null;
    }

    /// <summary>
    /// Warns about a replica or backup kept on a component that a common-cause group takes down together with the data's
    /// storage: one arrival stops (or destroys) both, which is what the copy was meant to survive.
    /// </summary>
    private void CheckCommonCauses(DataSet d, MapReader map, ImmutableArray<Threat> threats)
    {
        var groups = threats.Where(t => t.Scope.Kind == ScopeKind.Components && !t.Planned && t.Effect != Effect.Corruption && t.Scope.Members.Contains(d.Storage)).ToList();
        if (groups.Count == 0)
        {
            return;
        }

        void Check(string key, int i, Location target, string what)
        {
            if (target.Kind == LocationKind.Component && target.Name != d.Storage
                && groups.FirstOrDefault(t => t.Scope.Members.Contains(target.Name)) is { } shared
                && map.Optional(key) is YamlSequenceNode nodes && i < nodes.Children.Count)
            {
                Ctx.Warning(nodes.Children[i], ScenarioNodes.Item(map.PathOf(key), i), LoaderMessages.CopySharesCommonCause(what, target.Name, shared.Name, d.Storage, shared.Effect == Effect.Destroyed));
            }
        }

        for (int i = 0; i < d.Replications.Length; i++)
        {
            Check("replication", i, d.Replications[i].Target, "replica");
        }

        for (int i = 0; i < d.Backups.Length; i++)
        {
            Check("backups", i, d.Backups[i].Destination, $"backup '{d.Backups[i].Name}'");
        }
    }

    /// <summary>
    /// The events a threat's aftermath adds to a trial. Aftershocks: each window of <c>for</c> hours holds a Poisson number
    /// of further arrivals with mean m = factor × rate × for, and any one of them opens a new window, so a cluster holds
    /// e^m arrivals on average (a geometric number) and clusters start at about the base rate. Raised failures: each
    /// window adds, per component hit, at most for ÷ (MTTF ÷ factor + MTTR) failures and as many repairs.
    /// </summary>
    private void AddAftermathEvents(List<(double Events, string What, YamlNode Node, string Path)> sources, Threat t, MapReader map, ImmutableArray<Component> components, double horizon)
    {
        if (t.Aftermath is not { } aftermath || map.Optional("aftermath") is not { } node)
        {
            return;
        }

        double perYear = t.Schedule is null ? t.RatePerYear : t.Schedule.Recurrence switch
        {
            Recurrence.Daily => 365.25,
            Recurrence.Weekly => 365.25 / 7,
            Recurrence.Monthly => 12,
            Recurrence.Yearly => 1,
            Recurrence.Dates => t.Schedule.Dates.Length,
        };
        double windows = perYear * horizon / SimulationSettings.HoursPerYear;
        string path = map.PathOf("aftermath");
        if (aftermath.Arrivals is { } a)
        {
            double m = a.Factor * t.RatePerYear * a.ForHours / SimulationSettings.HoursPerYear;
            sources.Add((windows * (Math.Exp(Math.Min(m, 700)) - 1), $"the aftershocks of threat '{t.Name}' (each arrival brings e^{m:G3} − 1 more on average)", node, path));
        }

        if (aftermath.Failures is { } f)
        {
            double perWindow = components
                .Where(c => c.Failure is not null && MayHit(t.Scope, c))
                .Sum(c => 2 * f.ForHours / ((c.Failure!.TimeToFailure.Mean / f.Factor) + c.Failure.TimeToRepair.Mean));
            sources.Add((windows * perWindow, $"the raised failure rates after threat '{t.Name}'", node, path));
        }

        // An upper bound: a region's sites are not resolved here, so a region scope counts every component.
        bool MayHit(Scope scope, Component c) => scope.Kind switch
        {
            ScopeKind.Component => c.Name == scope.Name,
            ScopeKind.Components => scope.Members.Contains(c.Name),
            ScopeKind.Site => c.Site == scope.Name,
            ScopeKind.Region => true,
        };
    }
}
