using System.Globalization;
using DisasterSim.Engine.Simulation;
using DisasterSim.Engine.Tracing;
using DisasterSim.Models;

namespace DisasterSim.Cli.Output;

/// <summary>The timeline's lines about crews: work that waits for a member, a member who takes it, a member free again.</summary>
public static partial class TraceFormatter
{
    private static Line CrewLine(Scenario scenario, TraceEntry entry, string kind)
    {
        var step = entry.Step;
        switch (step.Kind)
        {
            case TraceKind.CrewQueued:
            {
                string priority = step.Value >= int.MaxValue ? "no priority" : string.Create(CultureInfo.InvariantCulture, $"priority {step.Value}");
                string ahead = step.Value2 == 0 ? "first in line" : string.Create(CultureInfo.InvariantCulture, $"{step.Value2} ahead of it");
                var (entity, name, work) = Work(scenario, step.Subject, step.Detail & 3);
                int skilled = scenario.Crews.Where(c => c.Has((CrewSkill)(step.Detail & 3))).Sum(c => c.Size);
                string away = step.Detail >> 2 == 0 ? "" : string.Create(CultureInfo.InvariantCulture, $", {step.Detail >> 2} of {skilled} with it away");
                return new(entry, kind, entity, name, step.Value, step.Value2, $"{work} waits for a crew member with the skill '{Skill(step.Detail & 3)}' ({priority}, {ahead}{away})");
            }

            case TraceKind.CrewAssigned:
            {
                var (entity, name, work) = Work(scenario, step.Subject, step.Detail & 3);
                string waited = step.Value > 0 ? $" after waiting {Hours(step.Value)}" : "";
                return new(entry, kind, entity, name, step.Value, 0, $"{Member(scenario, step.Detail >> 2)} starts {work}{waited}");
            }

            case TraceKind.CrewReleased:
            {
                string work = step.Value2 >= 0 && step.Value2 < scenario.Services.Length
                    ? Work(scenario, (int)step.Value2, step.Detail).Text
                    : "a rebuild";
                return new(entry, kind, "crew", CrewName(scenario, step.Subject), step.Value, 0, $"{Member(scenario, step.Subject)} is free: {work} took {Hours(step.Value)} of their time");
            }

            default:
                throw new ArgumentOutOfRangeException(nameof(entry), step.Kind, "not a crew step");
        }
    }

    private static (string Entity, string Name, string Text) Work(Scenario scenario, int subject, int work) => work switch
    {
        0 => ("service", scenario.Services[subject].Name, $"the manual failover of '{scenario.Services[subject].Name}'"),
        1 => ("service", scenario.Services[subject].Name, $"the restore of '{scenario.Services[subject].Name}'"),
        _ => ("threat", scenario.Threats[subject].Name, $"the rebuild after '{scenario.Threats[subject].Name}'"),
    };

    private static string Skill(int work) => work switch
    {
        0 => "failover",
        1 => "restore",
        _ => "rebuild",
    };

    /// <summary>A member, numbered crew after crew from 0, as a person reads it: crew 'ops' member 2 (of 3).</summary>
    private static string Member(Scenario scenario, int member) => MemberAt(scenario, member) is var (crew, index)
        ? string.Create(CultureInfo.InvariantCulture, $"crew '{crew.Name}' member {index + 1} (of {crew.Size})")
        : string.Create(CultureInfo.InvariantCulture, $"crew member {member}");

    private static string CrewName(Scenario scenario, int member) => MemberAt(scenario, member)?.Crew.Name ?? "";

    private static (Crew Crew, int Index)? MemberAt(Scenario scenario, int member)
    {
        foreach (var crew in scenario.Crews)
        {
            if (member < crew.Size)
            {
                return (crew, member);
            }

            member -= crew.Size;
        }

        return null;
    }
}
