using System.Collections.Immutable;

namespace DisasterSim.Models;

/// <summary>A kind of manual work a crew member can do.</summary>
public enum CrewSkill
{
    /// <summary>A manual or estimate failover (not an automatic one, nor a planned switchover or failback).</summary>
    Failover,

    /// <summary>A restore from a copy, at the primary or at the standby.</summary>
    Restore,

    /// <summary>Rebuilding what a threat destroyed (its <c>rebuild</c>, or a flood's).</summary>
    Rebuild,
}

/// <summary>How long a restore keeps the crew member who starts it.</summary>
public enum RestoreWork
{
    /// <summary>The whole restore: the person runs it from start to end (and verifies it).</summary>
    Whole,

    /// <summary>Only the restore's setup (recall, provision, start): then the member is free while the bytes flow.</summary>
    Setup,
}

/// <summary>
/// People who do manual recovery work: a team of <see cref="Size"/> interchangeable members with the same skills. Each member
/// does one piece of work at a time; work that finds nobody free waits in a queue, by service priority and then arrival.
/// Without any crew, people are unlimited.
/// </summary>
/// <param name="Name">Unique among crews.</param>
/// <param name="Size">How many members. Range: 1-1000.</param>
/// <param name="Skills">The work its members do.</param>
public sealed record Crew(string Name, int Size, ImmutableArray<CrewSkill> Skills)
{
    /// <summary>Gets how long a restore keeps its member.</summary>
    public RestoreWork RestoreWork { get; init; } = RestoreWork.Whole;

    /// <summary>Gets when members are away (holidays, leave); null when they are always there.</summary>
    public CrewAbsence? Absent { get; init; }

    /// <summary>Gets whether its members do <paramref name="skill"/>.</summary>
    public bool Has(CrewSkill skill) => Skills.Contains(skill);
}

/// <summary>
/// When members of a crew are away. Each member is away on each block of <see cref="BlockDays"/> calendar days with
/// probability <see cref="DaysPerYear"/> / 365.25 (independently, drawn per trial), and every member on each of
/// <see cref="Dates"/>. A member away cannot start work; work already started is finished.
/// </summary>
/// <param name="DaysPerYear">Mean days a year each member is away. Range: [0, 365].</param>
/// <param name="BlockDays">Length of one absence, whole days (7: whole weeks, Monday to Sunday). Range: 1-365.</param>
/// <param name="Dates">Days every member is away (a team holiday; for a key person, a crew of one).</param>
public sealed record CrewAbsence(double DaysPerYear, int BlockDays, ImmutableArray<DateSpan> Dates);

/// <summary>Whole calendar days from <paramref name="First"/> to <paramref name="Last"/>, both included.</summary>
public readonly record struct DateSpan(DateTime First, DateTime Last);
