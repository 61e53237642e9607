using DisasterSim.Engine.Simulation;
using DisasterSim.Models;
using DisasterSim.Models.Loading;

namespace DisasterSim.Tests.Engine.Simulation.Overlaps;

/// <summary>
/// People are finite, with fixed times so that every answer is computed by hand: restores that queue for a crew by priority,
/// a member held only for a restore's setup, a manual failover that waits for a member, a member away on a listed day, and
/// the day shift that takes over a night response. The simulation starts on Thursday 2026-01-01 00:00, so hour 100 is
/// Monday 2026-01-05 04:00.
/// </summary>
public sealed class CrewOverlapTests
{
    /// <summary>
    /// Three services at hq, each on its own SAN, every SAN destroyed at 100 h and back (empty) at 100.5 h; each restores
    /// 100, 200 or 300 GB at 100 GB/h from the 99 h backup. Priorities: b first, then c, then a.
    /// </summary>
    internal static string ThreeRestores(string crews, double setupHours = 0)
    {
        string data = string.Concat(new[] { ("a", 100), ("b", 200), ("c", 300) }.Select(x =>
            $"  - {{ name: {x.Item1}-db, service: {x.Item1}, storage: {x.Item1}-san, size_gb: {x.Item2}, change_rate_gb_per_hour: 1, "
            + $"backups: [{{ name: hourly, interval: 1h, destination: offsite, restore: {{ throughput_gb_per_hour: 100, setup: {setupHours}h }} }}] }}\n"));
        string sans = string.Concat(new[] { "a", "b", "c" }.Select(x =>
            $"  - {{ name: {x}-san, site: hq, kind: storage, failure: {{ time_to_failure: 100h, time_to_repair: 30m, effect: destroyed }} }}\n"));
        return $$"""
            name: three restores
            simulation: { horizon: 150h }
            regions: [{ name: r }]
            sites: [{ name: hq, region: r }]
            components:
            {{sans}}services:
              - { name: a, site: hq, priority: 3, recovery: { detection: 0s } }
              - { name: b, site: hq, priority: 1, recovery: { detection: 0s } }
              - { name: c, site: hq, priority: 2, recovery: { detection: 0s } }
            data:
            {{data}}{{crews}}
            """;
    }

    private static OneTrial Run(string yaml)
    {
        var result = ScenarioLoader.Parse(yaml, "crews.yaml");
        Assert.True(result.Success, string.Join("\n", result.Diagnostics));
        return OneTrial.Run(result.Scenario!);
    }

    private static double[] Downtimes(OneTrial trial) => [.. trial.Incidents.OrderBy(i => i.Service).Select(i => i.DowntimeHours)];

    [Theory]
    // One member: b 100.5-102.5, c 102.5-105.5, a 105.5-106.5.
    [InlineData(1, 6.5, 2.5, 5.5)]
    // Two: b and c start at 100.5; a takes the member b frees at 102.5 and is up at 103.5; c is up at 103.5.
    [InlineData(2, 3.5, 2.5, 3.5)]
    // Three: nobody waits, as without crews.
    [InlineData(3, 1.5, 2.5, 3.5)]
    public void Restores_QueueForTheCrewByPriority(int size, double a, double b, double c)
    {
        var trial = Run(ThreeRestores($"crews: [{{ name: ops, size: {size}, skills: [restore] }}]"));

        Assert.Equal([a, b, c], Downtimes(trial), (x, y) => Math.Abs(x - y) < 1e-9);
        Assert.All(trial.Incidents, i => Assert.Equal(1, i.DataLossHours, 9));
        Assert.Equal(size < 3 ? 3 - size : 0, trial.Of(TraceKind.CrewQueued).Count());
        Assert.Equal(3, trial.Of(TraceKind.CrewAssigned).Count());
        Assert.Equal(3, trial.Of(TraceKind.CrewReleased).Count());
    }

    [Fact]
    public void Restores_WithoutCrews_NobodyWaits()
    {
        var trial = Run(ThreeRestores(""));

        Assert.Equal([1.5, 2.5, 3.5], Downtimes(trial), (x, y) => Math.Abs(x - y) < 1e-9);
        Assert.Empty(trial.Of(TraceKind.CrewQueued));
        Assert.Empty(trial.Of(TraceKind.CrewAssigned));
    }

    [Theory]
    // Each restore has a 1 h setup: a 2 h, b 3 h, c 4 h. Held for the setup only, the one member starts b at 100.5,
    // c at 101.5 and a at 102.5: b up at 103.5, c at 105.5, a at 104.5.
    [InlineData("setup", 4.5, 3.5, 5.5)]
    // Held for the whole restore: b 100.5-103.5, c 103.5-107.5, a 107.5-109.5.
    [InlineData("whole", 9.5, 3.5, 7.5)]
    public void RestoreWork_SetupFreesTheMemberWhenTheBytesFlow(string work, double a, double b, double c)
    {
        var trial = Run(ThreeRestores($"crews: [{{ name: ops, size: 1, skills: [restore], restore_work: {work} }}]", setupHours: 1));

        Assert.Equal([a, b, c], Downtimes(trial), (x, y) => Math.Abs(x - y) < 1e-9);
        // Released in the order b, c, a: each after its setup, or after its whole restore.
        double[] held = work == "setup" ? [1, 1, 1] : [3, 4, 2];
        Assert.Equal(held, trial.Of(TraceKind.CrewReleased).Select(r => r.Value), (x, y) => Math.Abs(x - y) < 1e-9);
    }

    [Fact]
    public void RestoreWork_Setup_WithARestoreThroughputShared_FreesTheMemberAfterEachSetup()
    {
        // The offsite place gives 100 GB/h to all restores together. b: setup 100.5-101.5, then alone at 100 GB/h; c: setup
        // 101.5-102.5, then b and c at 50 each (b has 100 GB left); a: setup 102.5-103.5, then three at 33.3 (b 50 GB left,
        // c 250): b done at 105, then a (50 left) and c (200 left) at 50 each: a done at 106; c alone, 150 GB: done at 107.5.
        var trial = Run(ThreeRestores("offsite: { restore_throughput_gb_per_hour: 100 }\ncrews: [{ name: ops, size: 1, skills: [restore], restore_work: setup }]", setupHours: 1));

        Assert.Equal([6.0, 5.0, 7.5], Downtimes(trial), (x, y) => Math.Abs(x - y) < 1e-9);
        Assert.Equal([100.5, 101.5, 102.5], trial.Of(TraceKind.CrewAssigned).Select(x => x.Time));
        Assert.All(trial.Of(TraceKind.CrewReleased), r => Assert.Equal(1, r.Value, 9));
    }

    [Fact]
    public void Absence_OnAListedDay_WorkWaitsForTheNextDay()
    {
        // The only member is away on Monday 2026-01-05 (hours 96-120): the restores queued at 100.5 start at 120, by priority.
        var trial = Run(ThreeRestores("crews: [{ name: ops, size: 1, skills: [restore], absent: { dates: [2026-01-05] } }]"));

        // b 120-122, c 122-125, a 125-126.
        Assert.Equal([26, 22, 25], Downtimes(trial), (x, y) => Math.Abs(x - y) < 1e-9);
        var first = trial.Of(TraceKind.CrewAssigned).First();
        Assert.Equal(120, first.Time, 9);
        Assert.Equal(19.5, first.Value, 9);
    }

    /// <summary>
    /// Two services on one host at hq, down from 100 h to 150 h (an outage, no data lost), each with a manual failover of 2 h
    /// to its own host at dr and a replica there.
    /// </summary>
    private static string TwoFailovers(string crews) => $$"""
        name: two failovers
        simulation: { horizon: 200h }
        regions: [{ name: r }]
        sites: [{ name: hq, region: r }, { name: dr, region: r }]
        components:
          - { name: host, site: hq, kind: host, failure: { time_to_failure: 100h, time_to_repair: 50h } }
          - { name: san, site: hq, kind: storage }
          - { name: dr1, site: dr, kind: host }
          - { name: dr2, site: dr, kind: host }
        services:
          - { name: web, site: hq, requires: [host], priority: 2, standby: { site: dr, requires: [dr1] }, recovery: { detection: 0s, failover: { mode: manual, duration: 2h } } }
          - { name: erp, site: hq, requires: [host], priority: 1, standby: { site: dr, requires: [dr2] }, recovery: { detection: 0s, failover: { mode: manual, duration: 2h } } }
        data:
          - { name: web-db, service: web, storage: san, size_gb: 10, change_rate_gb_per_hour: 1, replication: [{ mode: sync, to: { site: dr } }] }
          - { name: erp-db, service: erp, storage: san, size_gb: 10, change_rate_gb_per_hour: 1, replication: [{ mode: sync, to: { site: dr } }] }
        {{crews}}
        """;

    [Fact]
    public void ManualFailover_WaitsForAMember_MoreUrgentFirst()
    {
        // One member: erp (priority 1) fails over 100-102, web 102-104.
        var trial = Run(TwoFailovers("crews: [{ name: ops, size: 1, skills: [failover] }]"));

        Assert.Equal([4.0, 2.0], Downtimes(trial), (x, y) => Math.Abs(x - y) < 1e-9);
        Assert.All(trial.Incidents, i => Assert.Equal(IncidentAction.FailedOver, i.Action));
        var queued = Assert.Single(trial.Of(TraceKind.CrewQueued));
        Assert.Equal(0, queued.Subject);
        Assert.Equal(2, queued.Value);
    }

    [Fact]
    public void ManualFailover_CrewWithoutTheSkill_NeedsNobody()
    {
        var trial = Run(TwoFailovers("crews: [{ name: dba, size: 1, skills: [restore] }]"));

        Assert.Equal([2.0, 2.0], Downtimes(trial), (x, y) => Math.Abs(x - y) < 1e-9);
        Assert.Empty(trial.Of(TraceKind.CrewAssigned));
    }

    /// <summary>
    /// One service whose SAN is destroyed at 100 h (Monday 04:00) and back at 100.5 h; a 1 h restore. Nights: a person
    /// acts 12 h after detection; business hours (from 08:00): 1 h.
    /// </summary>
    private static string NightRestore(bool takeOver) => $$"""
        name: night restore
        simulation: { horizon: 150h }
        regions: [{ name: r }]
        sites: [{ name: hq, region: r }]
        components:
          - { name: san, site: hq, kind: storage, failure: { time_to_failure: 100h, time_to_repair: 30m, effect: destroyed } }
        calendar:
          response: { business_hours: 1h, nights: 12h, weekends: 24h }
          business_hours_take_over: {{(takeOver ? "true" : "false")}}
        services:
          - { name: app, site: hq, recovery: { detection: 0s } }
        data:
          - { name: db, service: app, storage: san, size_gb: 100, change_rate_gb_per_hour: 1, backups: [{ name: hourly, interval: 1h, destination: offsite, restore: { throughput_gb_per_hour: 100 } }] }
        """;

    [Theory]
    // The night response would act at 112 h (16:00); the day shift starts at 104 h (08:00) and acts an hour later, at 105 h:
    // restore 105-106, 6 h down.
    [InlineData(true, 6, 12)]
    // Without it the night response stands: restore 112-113, 13 h down.
    [InlineData(false, 13, 0)]
    public void BusinessHoursTakeOver_EndsANightResponseAtTheDayShift(bool takeOver, double downtime, double cutShort)
    {
        var trial = Run(NightRestore(takeOver));

        Assert.Equal(downtime, Assert.Single(trial.Incidents).DowntimeHours, 9);
        var detected = Assert.Single(trial.Of(TraceKind.Detected));
        Assert.Equal(downtime - 1, detected.Value, 9);
        Assert.Equal(cutShort, detected.Value2, 9);
    }
}
