using System.Collections.Immutable;
using DisasterSim.Engine.Randomness;
using DisasterSim.Models;

namespace DisasterSim.Engine.Simulation;

/// <summary>
/// The crews of a scenario compiled for simulation: members numbered across crews, what each crew does, its absences as
/// day numbers, and per service what a restore is expected to keep a member busy for (for the estimate policy). Absent
/// (null) when the scenario has no crew, so that unlimited people cost nothing.
/// </summary>
public sealed class CrewPlan
{
    private readonly long _startDay;
    private readonly double _startHourOfDay;

    private CrewPlan(Scenario scenario, SimulationModel model)
    {
        var start = scenario.Simulation.Start;
        _startDay = start.Date.Ticks / TimeSpan.TicksPerDay;
        _startHourOfDay = start.TimeOfDay.TotalHours;
        var crews = ImmutableArray.CreateBuilder<CompiledCrew>();
        var crewOf = ImmutableArray.CreateBuilder<int>();
        foreach (var c in scenario.Crews)
        {
            crews.Add(new CompiledCrew(c.Name, crewOf.Count, c.Size, c.Has(CrewSkill.Failover), c.Has(CrewSkill.Restore), c.Has(CrewSkill.Rebuild), c.RestoreWork)
            {
                Absent = c.Absent is { } a ? Absence(a, c.Name) : null,
            });
            crewOf.AddRange(Enumerable.Repeat(crews.Count - 1, c.Size));
        }

        Crews = crews.ToImmutable();
        CrewOfMember = crewOf.ToImmutable();
        Failover = Crews.Any(c => c.Failover);
        Restore = Crews.Any(c => c.Restore);
        Rebuild = Crews.Any(c => c.Rebuild);

        // A restore is expected to take the fastest backup of its slowest data set: the whole of it, or its setup.
        var setupOnly = Crews.FirstOrDefault(c => c.Restore)?.RestoreWork == RestoreWork.Setup;
        RestoreEstimate = [.. model.ServiceDataSets.Select(sets => sets
            .Select(d => model.DataSets[d].Backups.Select(b => setupOnly ? b.RestoreSetupHours : b.RestoreHours).DefaultIfEmpty(0).Min())
            .DefaultIfEmpty(0).Max())];
    }

    /// <summary>Gets the crews, in scenario order.</summary>
    public ImmutableArray<CompiledCrew> Crews { get; }

    /// <summary>Gets, per member (numbered crew after crew), its crew.</summary>
    public ImmutableArray<int> CrewOfMember { get; }

    /// <summary>Gets the number of members of every crew together.</summary>
    public int Members => CrewOfMember.Length;

    /// <summary>Gets whether some crew does manual failovers (else they need nobody).</summary>
    public bool Failover { get; }

    /// <summary>Gets whether some crew does restores (else they need nobody).</summary>
    public bool Restore { get; }

    /// <summary>Gets whether some crew does rebuilds (else they need nobody).</summary>
    public bool Rebuild { get; }

    /// <summary>Gets, per service, how long a restore of its data is expected to keep a member (for the estimate policy).</summary>
    public ImmutableArray<double> RestoreEstimate { get; }

    /// <summary>Compiles the crews of a scenario; null without any.</summary>
    public static CrewPlan? Compile(Scenario scenario, SimulationModel model) => scenario.Crews.IsEmpty ? null : new CrewPlan(scenario, model);

    /// <summary>Gets whether some crew does <paramref name="work"/>.</summary>
    internal bool Handles(CrewWork work) => work switch
    {
        CrewWork.Failover => Failover,
        CrewWork.Restore => Restore,
        CrewWork.Rebuild => Rebuild,
    };

    /// <summary>The calendar day (days since 0001-01-01, a Monday) at trial hour <paramref name="hours"/>.</summary>
    public long DayAt(double hours) => _startDay + (long)Math.Floor((_startHourOfDay + hours) / 24);

    /// <summary>The trial hour at which calendar day <paramref name="day"/> begins.</summary>
    public double StartOfDay(long day) => ((day - _startDay) * 24.0) - _startHourOfDay;

    private static CompiledAbsence Absence(CrewAbsence a, string crew)
    {
        var spans = a.Dates.Select(d => (First: d.First.Ticks / TimeSpan.TicksPerDay, Last: d.Last.Ticks / TimeSpan.TicksPerDay)).OrderBy(d => d.First).ToArray();
        return new CompiledAbsence(a.DaysPerYear / 365.25, a.BlockDays, [.. spans.Select(s => s.First)], [.. spans.Select(s => s.Last)], RandomStreams.SourceKey($"crew:{crew}:absent"));
    }
}

/// <summary>A crew ready for simulation: members <paramref name="FirstMember"/> to <paramref name="FirstMember"/> + <paramref name="Size"/> − 1.</summary>
public sealed record CompiledCrew(string Name, int FirstMember, int Size, bool Failover, bool Restore, bool Rebuild, RestoreWork RestoreWork)
{
    /// <summary>Gets when its members are away; null when they never are.</summary>
    public CompiledAbsence? Absent { get; init; }

    /// <summary>Gets whether its members do <paramref name="work"/>.</summary>
    internal bool Does(CrewWork work) => work switch
    {
        CrewWork.Failover => Failover,
        CrewWork.Restore => Restore,
        CrewWork.Rebuild => Rebuild,
    };
}

/// <summary>A crew's absences ready for simulation.</summary>
/// <param name="Probability">The chance a member is away in one block: days per year / 365.25.</param>
/// <param name="BlockDays">Days per block, blocks counted from 0001-01-01 (a Monday), so 7-day blocks are Monday to Sunday.</param>
/// <param name="FirstDays">The first day of each span of dates every member is away, ascending.</param>
/// <param name="LastDays">The last day of each span, in the same order.</param>
/// <param name="Stream">The source key of the drawn absences (a hash per member and block, no stream).</param>
public sealed record CompiledAbsence(double Probability, int BlockDays, ImmutableArray<long> FirstDays, ImmutableArray<long> LastDays, ulong Stream)
{
    /// <summary>Gets whether calendar day <paramref name="day"/> is a listed day away.</summary>
    public bool Listed(long day)
    {
        for (int i = 0; i < FirstDays.Length && FirstDays[i] <= day; i++)
        {
            if (day <= LastDays[i])
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>A kind of work that needs a crew member.</summary>
internal enum CrewWork : byte
{
    /// <summary>A manual or estimate failover, for its duration.</summary>
    Failover,

    /// <summary>A restore: the whole of it, or its setup.</summary>
    Restore,

    /// <summary>A threat's rebuild, for its lead time.</summary>
    Rebuild,
}
