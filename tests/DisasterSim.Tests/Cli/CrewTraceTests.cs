using DisasterSim.Cli.Output;
using DisasterSim.Engine.Tracing;
using DisasterSim.Models.Loading;
using DisasterSim.Tests.Engine.Simulation.Overlaps;

namespace DisasterSim.Tests.Cli;

/// <summary>The timeline's crew lines, on the hand-computed trial of three restores and one member away on Monday 2026-01-05.</summary>
public sealed class CrewTraceTests
{
    [Fact]
    public void WriteText_RestoresQueuedWhileTheMemberIsAway_SayWhoWaitsWhyAndForHowLong()
    {
        string yaml = CrewOverlapTests.ThreeRestores("crews: [{ name: ops, size: 1, skills: [restore], absent: { dates: [2026-01-05] } }]");
        var scenario = ScenarioLoader.Parse(yaml, "crews.yaml").Scenario!;
        using var writer = new StringWriter();

        TraceFormatter.WriteText(writer, TrialTrace.Run(scenario, seed: 1, trial: 0), quietComponents: true);

        string text = writer.ToString();
        // a asks first (nobody ahead), b overtakes it by priority, c goes between them.
        Assert.Contains("the restore of 'a' waits for a crew member with the skill 'restore' (priority 3, first in line, 1 of 1 with it away)", text, StringComparison.Ordinal);
        Assert.Contains("the restore of 'b' waits for a crew member with the skill 'restore' (priority 1, first in line, 1 of 1 with it away)", text, StringComparison.Ordinal);
        Assert.Contains("the restore of 'c' waits for a crew member with the skill 'restore' (priority 2, 1 ahead of it, 1 of 1 with it away)", text, StringComparison.Ordinal);
        Assert.Contains("2026-01-06T00:00:00  crew 'ops' member 1 (of 1) starts the restore of 'b' after waiting 19.5 h", text, StringComparison.Ordinal);
        Assert.Contains("2026-01-06T02:00:00  crew 'ops' member 1 (of 1) is free: the restore of 'b' took 2 h of their time", text, StringComparison.Ordinal);
        Assert.Contains("2026-01-06T06:00:00  crew 'ops' member 1 (of 1) is free: the restore of 'a' took 1 h of their time", text, StringComparison.Ordinal);
    }
}
