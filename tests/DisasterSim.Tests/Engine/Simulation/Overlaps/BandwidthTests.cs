using DisasterSim.Engine.MonteCarlo;
using DisasterSim.Engine.Simulation;
using DisasterSim.Models;
using DisasterSim.Models.Loading;
using static DisasterSim.Tests.Engine.Simulation.Overlaps.OneTrial;

namespace DisasterSim.Tests.Engine.Simulation.Overlaps;

/// <summary>
/// Shared bandwidth with fixed times, every answer computed by hand: restores from one place sharing its throughput, a
/// replica's backlog after its link was down, the seeding of a rebuilt replica, a link slower than the change rate; and
/// the loss at a Poisson-timed disaster against a link that fails on a fixed cycle, inside the 99% interval.
/// </summary>
public sealed class BandwidthTests
{
    private const double Z99 = 2.5758293035489004;

    private static Scenario Load(string yaml)
    {
        var result = ScenarioLoader.Parse(yaml, "bandwidth.yaml");
        Assert.True(result.Success, string.Join("\n", result.Diagnostics));
        return result.Scenario!;
    }

    /// <summary>Two services on one SAN, destroyed at 100 h and back (empty) at 100.5 h, each restored from a NAS.</summary>
    private static Scenario TwoRestores(string nas, double sizeA = 100, double sizeB = 100) => Load($$$"""
        name: shared restore
        simulation: { horizon: 150h }
        regions: [{name: r1}]
        sites: [{name: hq, region: r1}]
        components:
          - {name: san, site: hq, kind: storage, failure: {time_to_failure: 100h, time_to_repair: 30m, effect: destroyed}}
          - {name: nas, site: hq, kind: storage{{{nas}}}}
        services:
          - {name: a, site: hq, requires: [san], recovery: {detection: 0s}}
          - {name: b, site: hq, requires: [san], recovery: {detection: 0s}}
        data:
          - {name: da, service: a, storage: san, size_gb: {{{sizeA}}}, change_rate_gb_per_hour: 1, backups: [{name: n, interval: 1h, destination: {component: nas}, restore: {throughput_gb_per_hour: 100, setup: 0s}}]}
          - {name: db, service: b, storage: san, size_gb: {{{sizeB}}}, change_rate_gb_per_hour: 1, backups: [{name: n, interval: 1h, destination: {component: nas}, restore: {throughput_gb_per_hour: 100, setup: 0s}}]}
        """);

    [Fact]
    public void TwoEqualRestores_FromOnePlace_TakeTwiceAsLong()
    {
        // Alone each restore reads 100 GB at 100 GB/h: 1 h after the SAN is back, 1.5 h down. Sharing the NAS's 100 GB/h,
        // each reads at 50 GB/h: 2 h, 2.5 h down.
        var alone = Run(TwoRestores(nas: ""));
        var shared = Run(TwoRestores(nas: ", restore_throughput_gb_per_hour: 100"));

        Assert.All(alone.Incidents, i => Assert.Equal(1.5, i.DowntimeHours, 9));
        Assert.Equal(2, shared.Incidents.Count);
        Assert.All(shared.Incidents, i => Assert.Equal(2.5, i.DowntimeHours, 9));
        Assert.All(shared.Incidents, i => Assert.Equal(1, i.DataLossHours, 9));
        Assert.Contains(shared.Of(TraceKind.RestoreShared), s => s.Detail == 2 && s.Value == 50);
    }

    [Fact]
    public void SharedThroughput_AboveEachOwn_EachGetsAnEvenShare()
    {
        // 150 GB/h shared by two restores of 100 GB/h each: 75 GB/h each, 100 / 75 = 1.333 h after 100.5 h.
        var trial = Run(TwoRestores(nas: ", restore_throughput_gb_per_hour: 150"));

        Assert.All(trial.Incidents, i => Assert.Equal(0.5 + (100.0 / 75), i.DowntimeHours, 9));
    }

    [Fact]
    public void UnequalRestores_TheShorterEnds_TheLongerSpeedsUp()
    {
        // 100 GB and 200 GB at 50 GB/h each: the first is done after 2 h (down 2.5 h); the second has read 100 GB and reads
        // the other 100 GB alone at 100 GB/h: 1 h more, down 3.5 h.
        var trial = Run(TwoRestores(nas: ", restore_throughput_gb_per_hour: 100", sizeA: 100, sizeB: 200));

        Assert.Equal(2.5, trial.Incidents.Single(i => i.Service == 0).DowntimeHours, 9);
        Assert.Equal(3.5, trial.Incidents.Single(i => i.Service == 1).DowntimeHours, 9);
        Assert.Contains(trial.Of(TraceKind.RestoreShared), s => s.Subject == 1 && s.Detail == 1 && s.Value == 100 && Math.Abs(s.Value2 - 1) < 1e-9);
    }

    /// <summary>One service at hq with a standby at dr; its replica there is shipped over a link (1 GB/h of changes).</summary>
    private static Scenario Linked(string san, string wan, string drSan, double bandwidth, string horizon = "150h") => Load($$$"""
        name: link
        simulation: { horizon: {{{horizon}}} }
        regions: [{name: r1}, {name: r2}]
        sites: [{name: hq, region: r1}, {name: dr, region: r2}]
        components:
          - {name: san, site: hq, kind: storage{{{san}}}}
          - {name: wan, site: hq, kind: network{{{wan}}}}
          - {name: dr-san, site: dr, kind: storage{{{drSan}}}}
          - {name: drh, site: dr, kind: host, requires: [dr-san]}
        services:
          - {name: app, site: hq, requires: [san], standby: {site: dr, requires: [drh]}, recovery: {detection: 0s, failover: {mode: automatic, duration: 0s} } }
        data:
          - {name: db, service: app, storage: san, size_gb: 100, change_rate_gb_per_hour: 1, replication: [{mode: async, to: {component: dr-san}, lag: 0s, link: {bandwidth_gb_per_hour: {{{bandwidth}}}, via: wan}}]}
        """);

    private static string DestroyedAt(double hours) => $", failure: {{time_to_failure: {hours}h, time_to_repair: 1000h, effect: destroyed}}";

    [Fact]
    public void LinkDown_BacklogDrainsAtBandwidthLessChangeRate()
    {
        // The WAN is down 100 h → 110 h: 10 GB behind at 110 h, draining at 2 − 1 = 1 GB/h (in sync at 120 h); at 115 h the
        // replica holds the changes up to 100 + 2 × 5 = 110 h. The SAN is destroyed then: failover onto it loses 5 h.
        var trial = Run(Linked(DestroyedAt(115), ", failure: {time_to_failure: 100h, time_to_repair: 10h}", "", bandwidth: 2));

        var behind = Assert.Single(trial.Of(TraceKind.ReplicaBehind));
        Assert.Equal(110, behind.Time, 9);
        Assert.Equal(10, behind.Value, 9);
        Assert.Equal(10, behind.Value2, 9);
        var incident = Assert.Single(trial.Incidents);
        Assert.Equal(IncidentAction.FailedOver, incident.Action);
        Assert.Equal(5, incident.DataLossHours, 9);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void TwoReplicasAtTheStandby_FailoverPromotesTheNewest_InWhateverOrderTheyAreListed(bool linkedFirst)
    {
        // As in LinkDown_BacklogDrainsAtBandwidthLessChangeRate, the replica behind the link holds the changes up to 110 h
        // when the SAN is destroyed at 115 h; a synchronous replica beside it at the standby holds them all. The failover
        // promotes the synchronous one: nothing lost, whichever is listed first.
        string linked = "{mode: async, to: {component: dr-san}, lag: 0s, link: {bandwidth_gb_per_hour: 2, via: wan}}";
        string sync = "{mode: sync, to: {component: dr-mirror}}";
        var trial = Run(Load($$$"""
            name: two replicas at the standby
            simulation: { horizon: 150h }
            regions: [{name: r1}, {name: r2}]
            sites: [{name: hq, region: r1}, {name: dr, region: r2}]
            components:
              - {name: san, site: hq, kind: storage, failure: {time_to_failure: 115h, time_to_repair: 1000h, effect: destroyed}}
              - {name: wan, site: hq, kind: network, failure: {time_to_failure: 100h, time_to_repair: 10h}}
              - {name: dr-san, site: dr, kind: storage}
              - {name: dr-mirror, site: dr, kind: storage}
              - {name: drh, site: dr, kind: host, requires: [dr-san]}
            services:
              - {name: app, site: hq, requires: [san], standby: {site: dr, requires: [drh]}, recovery: {detection: 0s, failover: {mode: automatic, duration: 0s} } }
            data:
              - {name: db, service: app, storage: san, size_gb: 100, change_rate_gb_per_hour: 1, replication: [{{{(linkedFirst ? linked : sync)}}}, {{{(linkedFirst ? sync : linked)}}}]}
            """));

        var incident = Assert.Single(trial.Incidents);
        Assert.Equal(IncidentAction.FailedOver, incident.Action);
        Assert.Equal(0, incident.DataLossHours, 9);
    }

    [Fact]
    public void LinkDown_BacklogDrained_NothingLost()
    {
        // As above, the SAN destroyed at 125 h: the replica was in sync again at 120 h.
        var trial = Run(Linked(DestroyedAt(125), ", failure: {time_to_failure: 100h, time_to_repair: 10h}", "", bandwidth: 2));

        Assert.Equal(120, Assert.Single(trial.Of(TraceKind.ReplicaCaughtUp)).Time, 9);
        Assert.Equal(0, Assert.Single(trial.Incidents).DataLossHours, 9);
    }

    [Fact]
    public void RebuiltReplica_IsSeededFirst_ThenCatchesUp()
    {
        // The DR array is destroyed at 50 h and back empty at 51 h: seeding 100 GB at 4 GB/h ends at 76 h with the data as
        // of 51 h; the 25 h of changes since drain at 4 − 1 = 3 GB/h. At 80 h it holds 51 + 4 × 4 = 67 h: 13 h lost.
        var trial = Run(Linked(DestroyedAt(80), "", ", failure: {time_to_failure: 50h, time_to_repair: 1h, effect: destroyed}", bandwidth: 4, horizon: "100h"));

        var seeding = Assert.Single(trial.Of(TraceKind.ReplicaSeeding));
        Assert.Equal(51, seeding.Time, 9);
        Assert.Equal(25, seeding.Value2, 9);
        Assert.Equal(76, Assert.Single(trial.Of(TraceKind.ReplicaSeeded)).Time, 9);
        Assert.Equal(25, Assert.Single(trial.Of(TraceKind.ReplicaBehind)).Value, 9);
        Assert.Equal(13, Assert.Single(trial.Incidents).DataLossHours, 9);
    }

    [Fact]
    public void RebuiltReplica_DisasterDuringSeeding_ProtectsNothing()
    {
        // The SAN is destroyed at 70 h, before the seeding ends (76 h): the replica holds nothing, a total loss.
        var trial = Run(Linked(DestroyedAt(70), "", ", failure: {time_to_failure: 50h, time_to_repair: 1h, effect: destroyed}", bandwidth: 4, horizon: "100h"));

        Assert.Empty(trial.Of(TraceKind.ReplicaSeeded));
        var incident = Assert.Single(trial.Incidents);
        Assert.Equal(IncidentAction.RebuiltEmpty, incident.Action);
        Assert.Equal(100, trial.Simulator.TrialLossGb[0], 9);
    }

    [Fact]
    public void LinkSlowerThanChangeRate_FallsBehindFromTheStart()
    {
        // 0.5 GB/h for 1 GB/h of changes: at 100 h the replica holds the changes up to 50 h: 50 h lost.
        var trial = Run(Linked(DestroyedAt(100), "", "", bandwidth: 0.5));

        Assert.Equal(50, Assert.Single(trial.Incidents).DataLossHours, 9);
    }

    [Fact]
    [Trait("Category", "Statistical")]
    public void PoissonDisaster_AgainstALinkDownOnAFixedCycle_LossIsTheIntegralOfTheBacklog()
    {
        // The WAN is down 100-110 h and 210-220 h; after each outage the 10 h backlog drains at 1 GB/h (110-120 h). The SAN is
        // destroyed at the first hit T ~ Exp(λ) of a threat (λ = 0.005 an hour) and stays destroyed: the loss is the backlog
        // b(T) if T < 220 h. E[b(T)] = Σ ∫ λ e^(−λt) b(t) dt, and P(loss > 0) = P(T ∈ [100, 120) ∪ [210, 220)).
        var scenario = Load("""
            name: link cycle
            simulation: { horizon: 220h }
            regions: [{name: r1}, {name: r2}]
            sites: [{name: hq, region: r1}, {name: dr, region: r2}]
            components:
              - {name: san, site: hq, kind: storage}
              - {name: wan, site: hq, kind: network, failure: {time_to_failure: 100h, time_to_repair: 10h}}
              - {name: drh, site: dr, kind: host}
            services:
              - {name: app, site: hq, requires: [san], standby: {site: dr, requires: [drh]}, recovery: {detection: 0s, failover: {mode: automatic, duration: 0s}}}
            data:
              - {name: db, service: app, storage: san, size_gb: 100, change_rate_gb_per_hour: 1, replication: [{mode: async, to: {site: dr}, lag: 0s, link: {bandwidth_gb_per_hour: 2, via: wan}}]}
            threats:
              - {name: array-loss, kind: hardware, rate_per_year: 43.83, scope: {component: san}, effect: destroyed, rebuild: 10000h}
            """);
        double l = 43.83 / SimulationSettings.HoursPerYear;
        double Up(double from, double w) => Math.Exp(-l * from) * (1 - (Math.Exp(-l * w) * (1 + (l * w)))) / l;
        double Down(double from, double w) => Math.Exp(-l * from) * (w - ((1 - Math.Exp(-l * w)) / l));
        double mean = Up(100, 10) + Down(110, 10) + Up(210, 10);
        double p = Math.Exp(-l * 100) - Math.Exp(-l * 120) + Math.Exp(-l * 210) - Math.Exp(-l * 220);

        var result = MonteCarloRunner.Run(scenario, new RunOptions(200_000, 22, 2) { Check = true });

        double[] loss = result.Trials.LossHoursColumn(0);
        double avg = loss.Average();
        double sd = Math.Sqrt(loss.Sum(x => (x - avg) * (x - avg)) / (loss.Length - 1));
        double half = Z99 * sd / Math.Sqrt(loss.Length);
        Assert.True(half < 0.03 * mean, $"half-width {half} too wide for {mean}");
        Assert.InRange(mean, avg - half, avg + half);
        double share = loss.Count(x => x > 0) / (double)loss.Length;
        double halfP = Z99 * Math.Sqrt(p * (1 - p) / loss.Length);
        Assert.InRange(p, share - halfP, share + halfP);
        Assert.All(loss, x => Assert.InRange(x, 0, 10 + 1e-9));
    }
}
