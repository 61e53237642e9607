using System.Collections.Immutable;
using YamlDotNet.RepresentationModel;

namespace DisasterSim.Models.Loading;

/// <summary>
/// The people who do manual recovery work: <c>crews</c> (size, skills, how long a restore keeps its member, absences), a
/// service's <c>priority</c> when work competes for them, and the planner's checks of both.
/// </summary>
internal sealed partial class ScenarioReader
{
    internal static readonly string[] CrewKeys = ["name", "size", "skills", "restore_work", "absent"];
    internal static readonly string[] CrewSkillNames = ["failover", "restore", "rebuild"];
    internal static readonly string[] RestoreWorkChoices = ["whole", "setup"];
    internal static readonly string[] AbsentKeys = ["days_per_year", "block", "dates"];
    internal static readonly string[] DateSpanKeys = ["from", "to"];

    /// <summary>The most members a crew may have: more is a typo (a crew is the people on one rota).</summary>
    internal const int MaxCrewSize = 1000;

    /// <summary>The most a priority may be.</summary>
    internal const int MaxPriority = 1_000_000;

    /// <summary>The longest span of dates one absence may give.</summary>
    private const int MaxAbsentSpanDays = 3660;

    private static readonly ImmutableArray<CrewSkill> DefaultSkills = [CrewSkill.Failover, CrewSkill.Restore];

    private readonly Dictionary<string, MapReader> crewMaps = new(StringComparer.Ordinal);

    private Crew? CrewOf(YamlNode node, string path)
    {
        MapReader? map = Map(node, path, "a crew: { name, size, skills: [failover, restore, rebuild], restore_work: whole|setup, absent: {...} }", CrewKeys);
        if (map is null)
        {
            return null;
        }

        string? name = Name(map, RefKind.Crew);
        if (name is not null)
        {
            crewMaps.TryAdd(name, map);
        }

        long? size = map.Required("size") is { } sizeNode ? Integer(sizeNode, map.PathOf("size"), 1, MaxCrewSize) : null;
        ImmutableArray<CrewSkill>? skills = map.Optional("skills") is { } skillsNode ? Skills(skillsNode, map.PathOf("skills")) : DefaultSkills;
        string? work = map.Optional("restore_work") is { } workNode ? Choice(workNode, map.PathOf("restore_work"), RestoreWorkChoices) : "whole";
        CrewAbsence? absent = null;
        bool absentOk = true;
        if (map.Optional("absent") is { } absentNode)
        {
            absent = Absence(absentNode, map.PathOf("absent"));
            absentOk = absent is not null;
        }

        return name is not null && size is not null && skills is not null && work is not null && absentOk
            ? new Crew(name, (int)size.Value, skills.Value) { RestoreWork = work == "setup" ? RestoreWork.Setup : RestoreWork.Whole, Absent = absent }
            : null;
    }

    private ImmutableArray<CrewSkill>? Skills(YamlNode node, string path)
    {
        YamlSequenceNode? list = Sequence(node, path, "skills, e.g. [failover, restore, rebuild]");
        if (list is null)
        {
            return null;
        }

        if (list.Children.Count == 0)
        {
            Ctx.Error(list, path, LoaderMessages.NoCrewSkills());
            return null;
        }

        var skills = ImmutableArray.CreateBuilder<CrewSkill>();
        bool ok = true;
        for (int i = 0; i < list.Children.Count; i++)
        {
            string itemPath = ScenarioNodes.Item(path, i);
            CrewSkill? skill = Choice(list.Children[i], itemPath, CrewSkillNames) switch
            {
                "failover" => CrewSkill.Failover,
                "restore" => CrewSkill.Restore,
                "rebuild" => CrewSkill.Rebuild,
                _ => null,
            };
            if (skill is not { } s)
            {
                ok = false;
            }
            else if (skills.Contains(s))
            {
                Ctx.Error(list.Children[i], itemPath, LoaderMessages.SkillTwice(CrewSkillNames[(int)s]));
                ok = false;
            }
            else
            {
                skills.Add(s);
            }
        }

        return ok ? skills.ToImmutable() : null;
    }

    private CrewAbsence? Absence(YamlNode node, string path)
    {
        MapReader? map = Map(node, path, "when members are away: { days_per_year: NUMBER, block: DURATION IN DAYS, dates: [DATE, { from: DATE, to: DATE }] }", AbsentKeys);
        if (map is null)
        {
            return null;
        }

        if (map.Optional("days_per_year") is null && map.Optional("dates") is null)
        {
            Ctx.Error(map.Node, path, LoaderMessages.AbsenceWithoutDays());
            return null;
        }

        Quoted? days = Number(map, "days_per_year", required: false, positive: false);
        if (days is { } d && d.Value > 365)
        {
            Ctx.Error(map.Optional("days_per_year")!, map.PathOf("days_per_year"), LoaderMessages.NumberOutOfRange(d.Text, "a number of days from 0 to 365"));
            return null;
        }

        Quoted? block = Duration(map, "block", required: false, positive: true);
        if (block is { } b && (b.Value % 24 != 0 || b.Value > 365 * 24))
        {
            Ctx.Error(map.Optional("block")!, map.PathOf("block"), LoaderMessages.AbsenceBlock(b.Text));
            return null;
        }

        ImmutableArray<DateSpan>? dates = map.Optional("dates") is { } datesNode ? DateSpans(datesNode, map.PathOf("dates")) : [];
        bool ok = (map.Optional("days_per_year") is null || days is not null) && (map.Optional("block") is null || block is not null) && dates is not null;
        return ok ? new CrewAbsence(days?.Value ?? 0, (int)((block?.Value ?? 24) / 24), dates!.Value) : null;
    }

    private ImmutableArray<DateSpan>? DateSpans(YamlNode node, string path)
    {
        YamlSequenceNode? list = Sequence(node, path, "days away, e.g. [2026-12-24, { from: 2026-08-03, to: 2026-08-14 }]");
        if (list is null)
        {
            return null;
        }

        var spans = ImmutableArray.CreateBuilder<DateSpan>();
        bool ok = true;
        for (int i = 0; i < list.Children.Count; i++)
        {
            string itemPath = ScenarioNodes.Item(path, i);
            YamlNode item = list.Children[i];
            if (item is not YamlMappingNode)
            {
                DateTime? day = Date(item, itemPath);
                ok &= day is not null;
                if (day is { } one)
                {
                    spans.Add(new DateSpan(one.Date, one.Date));
                }

                continue;
            }

            MapReader? span = Map(item, itemPath, "a span of days: { from: DATE, to: DATE }", DateSpanKeys);
            DateTime? from = span?.Required("from") is { } f ? Date(f, span.PathOf("from")) : null;
            DateTime? to = span?.Required("to") is { } t ? Date(t, span.PathOf("to")) : null;
            if (from is not { } first || to is not { } last)
            {
                ok = false;
            }
            else if (last.Date < first.Date || (last.Date - first.Date).TotalDays >= MaxAbsentSpanDays)
            {
                Ctx.Error(span!.Optional("to")!, span.PathOf("to"), LoaderMessages.AbsenceSpan(span.Describe("from"), span.Describe("to"), MaxAbsentSpanDays));
                ok = false;
            }
            else
            {
                spans.Add(new DateSpan(first.Date, last.Date));
            }
        }

        return ok ? spans.ToImmutable() : null;
    }

    /// <summary>A service's priority: a whole number, lower first; absent is null (after every service that has one).</summary>
    private (bool Ok, int? Priority) PriorityOf(MapReader map)
    {
        if (map.Optional("priority") is not { } node)
        {
            return (true, null);
        }

        long? value = Integer(node, map.PathOf("priority"), 0, MaxPriority);
        return (value is not null, value is { } v ? (int)v : null);
    }

    /// <summary>
    /// Warnings about people: work no crew can do (it then needs nobody, as without crews), a disaster that needs more restores
    /// at once than there are members to run them while some of those services have no priority, and days away outside the
    /// simulated time.
    /// </summary>
    private void CheckCrews(SimulationSettings simulation, ImmutableArray<Crew> crews, ImmutableArray<Component> components, ImmutableArray<Service> services, ImmutableArray<DataSet> data, ImmutableArray<Threat> threats, ImmutableArray<Site> sites)
    {
        if (crews.IsEmpty)
        {
            return;
        }

        YamlNode crewsNode = crewMaps[crews[0].Name].Node;
        string firstPath = crewMaps[crews[0].Name].Path;
        if (!crews.Any(c => c.Has(CrewSkill.Failover)) && services.FirstOrDefault(s => s.Standby is not null && s.Recovery.Failover?.Mode is FailoverMode.Manual or FailoverMode.Estimate) is { } manual)
        {
            Ctx.Warning(crewsNode, firstPath, LoaderMessages.NoCrewFor("failover", $"the manual failovers of service '{manual.Name}'"));
        }

        if (!crews.Any(c => c.Has(CrewSkill.Restore)) && data.FirstOrDefault(d => !d.Backups.IsEmpty) is { } restored)
        {
            Ctx.Warning(crewsNode, firstPath, LoaderMessages.NoCrewFor("restore", $"the restores of data set '{restored.Name}'"));
        }

        int restorers = crews.Where(c => c.Has(CrewSkill.Restore)).Sum(c => c.Size);
        var siteOf = components.ToDictionary(c => c.Name, c => c.Site, StringComparer.Ordinal);
        var regionOf = sites.ToDictionary(s => s.Name, s => s.Region, StringComparer.Ordinal);
        foreach (Threat t in threats.Where(t => t.Effect == Effect.Destroyed || t.FloodProbability > 0))
        {
            bool Hits(string component) => t.Scope.Kind switch
            {
                ScopeKind.Component => t.Scope.Name == component,
                ScopeKind.Site => t.Scope.Name == siteOf[component],
                ScopeKind.Region => regionOf[siteOf[component]] == t.Scope.Name,
            };

            // A flood destroys whole sites; an outage threat destroys nothing else.
            var lost = services.Where(s => data.Any(d => d.Service == s.Name && (t.Effect == Effect.Destroyed ? Hits(d.Storage) : t.Scope.Kind != ScopeKind.Component && Hits(d.Storage)))).ToList();
            // Services that all have a priority were put in order on purpose: the queue is the plan.
            if (restorers > 0 && lost.Count > restorers && lost.Any(s => s.Priority is null))
            {
                MapReader map = threatMaps[t.Name];
                Ctx.Warning(map.Optional("name")!, map.PathOf("name"), LoaderMessages.MoreRestoresThanCrew(t.Name, lost.Count, string.Join(", ", lost.Take(5).Select(s => s.Name)), restorers));
            }
        }

        var firstDay = simulation.Start.Date;
        var lastDay = simulation.Start.AddHours(simulation.HorizonHours).Date;
        foreach (Crew c in crews)
        {
            if (c.Absent is { } absent && !absent.Dates.IsEmpty && absent.Dates.All(d => d.Last < firstDay || d.First > lastDay))
            {
                MapReader map = crewMaps[c.Name];
                Ctx.Warning(map.Optional("absent")!, map.PathOf("absent") + ".dates", LoaderMessages.AbsenceOutsideHorizon(c.Name, firstDay, lastDay));
            }
        }
    }
}
