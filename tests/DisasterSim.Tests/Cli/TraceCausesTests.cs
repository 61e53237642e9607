using DisasterSim.Cli.Output;
using DisasterSim.Engine.Tracing;
using DisasterSim.Models.Loading;

namespace DisasterSim.Tests.Cli;

/// <summary>The trace lines that explain common causes: raised rates and a generator failing while running.</summary>
public sealed class TraceCausesTests
{
    private const string Yaml = """
        name: stressed
        simulation: { horizon: 1y, start: 2026-01-05 }
        regions: [{ name: r1 }]
        sites: [{ name: hq, region: r1 }]
        components:
          - { name: utility, site: hq, kind: power, backup_power: { ups_runtime: 15m, generator: { start_failure_probability: 0, fuel_runtime: 48h, refuel: always, running_time_to_failure: 5h } } }
          - { name: host, site: hq, kind: host, requires: [utility], failure: { time_to_failure: 100h, time_to_repair: 1h } }
        services: [{ name: app, site: hq, requires: [host], recovery: { detection: 0s } }]
        threats:
          - { name: swap, kind: maintenance, schedule: { dates: [2026-01-05 10:00] }, scope: { component: host }, effect: outage, duration: 10h, aftermath: { failures: { factor: 2, for: 30h } } }
          - { name: grid, kind: utility, rate_per_year: 3, scope: { component: utility }, effect: outage, duration: 100h, aftermath: { arrivals: { factor: 4, for: 1w } } }
        """;

    [Fact]
    public void WriteText_RaisedRatesAndRunningGenerator_SayWhatHappens()
    {
        var scenario = ScenarioLoader.Parse(Yaml, "stressed.yaml").Scenario!;
        using var writer = new StringWriter();

        TraceFormatter.WriteText(writer, TrialTrace.Run(scenario, seed: 1, trial: 0));

        string text = writer.ToString();
        Assert.Contains("20.000  2026-01-05T20:00:00  aftermath of 'swap': what it hit in component host fails 2× as often until 50.000 h (its age runs 2× as fast)", text, StringComparison.Ordinal);
        Assert.Matches(@"aftershocks: threat 'grid' strikes 4× as often until \d+\.\d{3} h", text);
        Assert.Contains("utility feed of 'utility' lost: the generator started but fails after running 5 h; power lost 5.25 h after the cut", text, StringComparison.Ordinal);
    }
}
