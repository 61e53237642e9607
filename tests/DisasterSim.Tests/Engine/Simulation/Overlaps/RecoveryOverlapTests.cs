using DisasterSim.Engine.MonteCarlo;
using DisasterSim.Engine.Simulation;
using DisasterSim.Models;
using DisasterSim.Models.Loading;
using static DisasterSim.Tests.Engine.Simulation.Overlaps.OneTrial;
using static DisasterSim.Tests.Engine.Simulation.ScenarioBuilder;

namespace DisasterSim.Tests.Engine.Simulation.Overlaps;

/// <summary>
/// Disasters that overlap recoveries, with fixed times so that every answer is computed by hand: the estimate policy
/// after a destroyed array, a standby destroyed while in use, a replica that was down, a restore whose target or source
/// fails, storage the service does not name, backup destinations that are down, and the latest of several causes.
/// </summary>
public sealed class RecoveryOverlapTests
{
    private static readonly Location Offsite = Location.Offsite;

    private static Location AtSite(string site) => new(LocationKind.Site, site);

    private static Location On(string component) => new(LocationKind.Component, component);

    private static Replication Async(Location to, double lag) => new(ReplicationMode.Async, to, Fixed(lag));

    private static Scenario EstimateAfterSanLoss(bool replica) => new ScenarioBuilder().Horizon(150)
        .Component("san", failure: Every(100, 0.5, Effect.Destroyed), kind: "storage")
        .Component("drh", site: "dr")
        .Service("app", All("san"), detection: Fixed(0), standby: new Standby("dr", All("drh")), failover: new Failover(FailoverMode.Estimate, 0, Fixed(1)))
        .Data("db", "app", "san", sizeGb: 100, rate: 1, backups: [Backup(1, 0, Offsite, throughput: 100, setup: 0)], replicas: replica ? [Async(AtSite("dr"), 1.0 / 60)] : null)
        .Build();

    [Fact]
    public void EstimateFailover_SanDestroyedWithReplicaAtStandby_FailsOverAtOnce()
    {
        // At 100 h the SAN is destroyed (back, empty, at 100.5 h). Staying: 0.5 h until it is back, then a 1 h restore
        // (100 GB at 100 GB/h from the 99 h backup): 1.5 h. Going: the 1 h failover onto the replica. The operator fails over
        // at once: up at the standby at 101 h, the replica's minute of lag lost; back home at once (no failback policy).
        var trial = Run(EstimateAfterSanLoss(replica: true));

        var incident = Assert.Single(trial.Incidents);
        Assert.Equal(IncidentAction.FailedOver, incident.Action);
        Assert.Equal(1, incident.DowntimeHours, 9);
        Assert.Equal(1.0 / 60, incident.DataLossHours, 9);
        Assert.Single(trial.Of(TraceKind.FailedBack));
    }

    [Fact]
    public void EstimateFailover_SanDestroyedWithoutReplica_RestoresAsSoonAsNoCauseIsLeft()
    {
        // Going would cost the 1 h failover and a 1 h restore at the standby (2 h), more than staying (1.5 h): the operator
        // waits. The SAN is back at 100.5 h, no cause is left, and the restore runs at once: up at 101.5 h, 1 h of changes lost.
        var trial = Run(EstimateAfterSanLoss(replica: false));

        var incident = Assert.Single(trial.Incidents);
        Assert.Equal(IncidentAction.Restored, incident.Action);
        Assert.Equal(1.5, incident.DowntimeHours, 9);
        Assert.Equal(1, incident.DataLossHours, 9);
    }

    [Fact]
    public void EstimateFailover_TheIssueScenario_EveryIncidentResolvedWithinHours()
    {
        const string yaml = """
            name: estimate after a SAN loss
            simulation: { horizon: 5y, trials: 400, seed: 3 }
            regions: [{name: r1}, {name: r2}]
            sites: [{name: hq, region: r1}, {name: dr, region: r2}]
            components: [{name: san, site: hq, kind: storage}, {name: drh, site: dr, kind: host}]
            services: [{name: app, site: hq, requires: [san], standby: {site: dr, requires: [drh]}, recovery: {detection: 0s, failover: {mode: estimate, duration: 1h}}}]
            data: [{name: db, service: app, storage: san, size_gb: 100, change_rate_gb_per_hour: 1, replication: [{mode: async, to: {site: dr}, lag: 1m}], backups: [{name: b, interval: 1h, destination: offsite, restore: {throughput_gb_per_hour: 100}}]}]
            threats: [{name: san-fail, kind: hw, rate_per_year: 2, scope: {component: san}, effect: destroyed, rebuild: 30m}]
            """;
        var scenario = ScenarioLoader.Parse(yaml, "estimate.yaml").Scenario!;

        var result = MonteCarloRunner.Run(scenario, new RunOptions(400, 3, 1));

        // About ten incidents a trial, each a 1 h failover (two SAN losses within the same hour merge into one).
        Assert.True(result.Incidents.Count > 3000);
        Assert.DoesNotContain(result.Incidents, i => i.Action == IncidentAction.Unresolved);
        Assert.All(result.Incidents, i => Assert.InRange(i.DowntimeHours, 0.999, 2.5));
    }

    private static Scenario StandbyBurnsToo(double hqRebuild) => new ScenarioBuilder().Horizon(400)
        .Component("hq-san", failure: Every(100, hqRebuild, Effect.Destroyed), kind: "storage")
        .Component("dr-san", site: "dr", failure: Every(200, 100, Effect.Destroyed), kind: "storage")
        .Component("drh", site: "dr", requires: All("dr-san"))
        .Service("app", All("hq-san"), detection: Fixed(0), standby: new Standby("dr", All("drh")), failover: new Failover(FailoverMode.Automatic, 0, Fixed(0.25)))
        .Data("db", "app", "hq-san", sizeGb: 100, rate: 1, backups: [Backup(24, 0, Offsite, throughput: 100, setup: 0)], replicas: [Async(On("dr-san"), 0)])
        .Build();

    [Fact]
    public void DestroyedReplica_PrimaryStillDown_RestoredFromBackupAtTheRebuiltStandby_ChangesMadeThereLost()
    {
        // 100 h: the primary's SAN is destroyed; failover onto the replica, nothing lost, running at dr from 100.25 h.
        // 200 h: dr's SAN (the live data now) is destroyed. L = 100 + 99.75 = 199.75 h of changes. dr is rebuilt at 300 h,
        // empty: failover there again and restore the newest backup, the job of 96 h (no job ran while the data was away from
        // the primary): 103.75 h lost, 1 h restore, up at 301.25 h.
        var trial = Run(StandbyBurnsToo(hqRebuild: 2000));

        Assert.Equal(2, trial.Incidents.Count);
        Assert.Equal(0, trial.Incidents[0].DataLossHours, 9);
        var second = trial.Incidents[1];
        Assert.Equal(IncidentAction.FailedOverAndRestored, second.Action);
        Assert.Equal(101.25, second.DowntimeHours, 9);
        Assert.Equal(103.75, second.DataLossHours, 9);
        Assert.Equal(103.75, trial.Simulator.TrialLossHours[0], 9);
    }

    [Fact]
    public void DestroyedReplica_PrimaryRebuiltFirst_RestoredThereFromBackup_ChangesMadeAtTheStandbyLost()
    {
        // As above, but the primary's SAN is back (empty) at 250 h, before dr: the restore runs there, 250 h → 251 h.
        var trial = Run(StandbyBurnsToo(hqRebuild: 150));

        var second = trial.Incidents[1];
        Assert.Equal(IncidentAction.Restored, second.Action);
        Assert.Equal(51, second.DowntimeHours, 9);
        Assert.Equal(103.75, second.DataLossHours, 9);
    }

    [Fact]
    public void AsyncReplicaDownBeforeTheDisaster_FailoverLosesEverythingSinceItWentDown()
    {
        // dr's power is out from 145.6 h to 245.6 h: its replica stops at 145.6 h. The primary's SAN is destroyed at 241.8 h;
        // the failover waits for dr, starts at 245.6 h and ends at 245.85 h. The replica never caught up (its source was
        // gone): 241.8 − 145.6 = 96.2 h of changes lost.
        var scenario = new ScenarioBuilder().Horizon(300)
            .Component("dr-power", site: "dr", failure: Every(145.6, 100), kind: "power")
            .Component("dr-san", site: "dr", requires: All("dr-power"), kind: "storage")
            .Component("drh", site: "dr", requires: All("dr-power"))
            .Component("hq-san", failure: Every(241.8, 1000, Effect.Destroyed), kind: "storage")
            .Service("app", All("hq-san"), detection: Fixed(0), standby: new Standby("dr", All("drh")), failover: new Failover(FailoverMode.Automatic, 0, Fixed(0.25)))
            .Data("db", "app", "hq-san", sizeGb: 100, rate: 1, replicas: [Async(On("dr-san"), 0)])
            .Build();

        var incident = Assert.Single(Run(scenario).Incidents);

        Assert.Equal(IncidentAction.FailedOver, incident.Action);
        Assert.Equal(245.85 - 241.8, incident.DowntimeHours, 9);
        Assert.Equal(96.2, incident.DataLossHours, 9);
    }

    [Fact]
    public void RestoreTargetDestroyedAgain_RestoreStartsOver()
    {
        // The SAN is destroyed at 60 h, back at 70 h; the 100 h restore (1,000 GB at 10 GB/h, from the 48 h job) would end at
        // 170 h, but the SAN is destroyed again at 130 h: back at 140 h, the restore starts over from the same job and ends at
        // 240 h. No failure is drawn past the 150 h horizon. The data was rewound once: 12 h lost.
        var scenario = new ScenarioBuilder().Horizon(150)
            .Component("san", failure: Every(60, 10, Effect.Destroyed), kind: "storage")
            .Service("app", All("san"), detection: Fixed(0))
            .Data("db", "app", "san", sizeGb: 1000, rate: 1, backups: [Backup(24, 0, Offsite, throughput: 10, setup: 0)])
            .Build();

        var trial = Run(scenario);

        var incident = Assert.Single(trial.Incidents);
        Assert.Equal(180, incident.DowntimeHours, 9);
        Assert.Equal(12, incident.DataLossHours, 9);
        Assert.Single(trial.Of(TraceKind.RestoreRestarted));
        Assert.Equal(90, trial.Simulator.TrialDowntime[0], 9);
    }

    [Fact]
    public void RestoreTargetLosesPower_RestorePausesAndResumes()
    {
        // The restore runs from 70 h; power is out from 100 h to 110 h, with 70 h of work left: it ends at 180 h.
        var scenario = new ScenarioBuilder().Horizon(125)
            .Component("power", failure: Every(100, 10), kind: "power")
            .Component("san", failure: Every(60, 10, Effect.Destroyed), requires: All("power"), kind: "storage")
            .Service("app", All("san"), detection: Fixed(0))
            .Data("db", "app", "san", sizeGb: 1000, rate: 1, backups: [Backup(24, 0, Offsite, throughput: 10, setup: 0)])
            .Build();

        var trial = Run(scenario);

        Assert.Equal(120, Assert.Single(trial.Incidents).DowntimeHours, 9);
        Assert.Equal(70, Assert.Single(trial.Of(TraceKind.RestorePaused)).Value, 9);
        Assert.Equal(70, Assert.Single(trial.Of(TraceKind.RestoreResumed)).Value, 9);
    }

    [Fact]
    public void StorageNotInRequires_ItsDestructionStopsTheServiceUntilRebuiltAndRestored()
    {
        // The service names only its host; its data's SAN is destroyed at 100 h and rebuilt at 200 h. The service cannot run
        // without its data: down from 100 h, restore 2 h from the 96 h job: up at 202 h, 4 h lost.
        var scenario = new ScenarioBuilder().Horizon(250)
            .Component("host")
            .Component("san", failure: Every(100, 100, Effect.Destroyed), kind: "storage")
            .Service("app", All("host"), detection: Fixed(1))
            .Data("db", "app", "san", sizeGb: 100, rate: 1, backups: [Backup(24, 0, Offsite, throughput: 50, setup: 0)])
            .Build();

        var incident = Assert.Single(Run(scenario).Incidents);

        Assert.Equal(IncidentAction.Restored, incident.Action);
        Assert.Equal(102, incident.DowntimeHours, 9);
        Assert.Equal(4, incident.DataLossHours, 9);
    }

    [Fact]
    public void StorageNotInRequires_ItsOutageIsAnIncident()
    {
        var scenario = new ScenarioBuilder().Horizon(170)
            .Component("host")
            .Component("san", failure: Every(100, 50), kind: "storage")
            .Service("app", All("host"), detection: Fixed(1))
            .Data("db", "app", "san", backups: [Backup(24, 0, Offsite)])
            .Build();

        var incident = Assert.Single(Run(scenario).Incidents);

        Assert.Equal(IncidentAction.WaitedForPrimary, incident.Action);
        Assert.Equal(50, incident.DowntimeHours, 9);
        Assert.Equal(0, incident.DataLossHours);
    }

    [Fact]
    public void BackupDestinationDownDuringTheJob_JobFails()
    {
        // The NAS is down from 90 h to 100 h: the job of 96 h fails; the SAN is destroyed at 100.5 h. The newest copy is the
        // job of 72 h: 28.5 h lost; rebuilt at 110.5 h, restored in 1 h.
        var scenario = new ScenarioBuilder().Horizon(150)
            .Component("nas", failure: Every(90, 10), kind: "storage")
            .Component("san", failure: Every(100.5, 10, Effect.Destroyed), kind: "storage")
            .Service("app", All("san"), detection: Fixed(0))
            .Data("db", "app", "san", sizeGb: 100, rate: 1, backups: [Backup(24, 2, On("nas"), throughput: 100, setup: 0)])
            .Build();

        var incident = Assert.Single(Run(scenario).Incidents);

        Assert.Equal(28.5, incident.DataLossHours, 9);
        Assert.Equal(11, incident.DowntimeHours, 9);
    }

    [Fact]
    public void BackupDestinationDownAtRestoreTime_RestoreWaitsForIt()
    {
        // The SAN is destroyed at 110 h and back at 111 h; the newest copy, the 96 h job, sits on the NAS, which is down from
        // 100 h to 130 h. The restore waits for it: 130 h → 131 h, 14 h lost (not a total loss).
        var scenario = new ScenarioBuilder().Horizon(150)
            .Component("nas", failure: Every(100, 30), kind: "storage")
            .Component("san", failure: Every(110, 1, Effect.Destroyed), kind: "storage")
            .Service("app", All("san"), detection: Fixed(0))
            .Data("db", "app", "san", sizeGb: 100, rate: 1, backups: [Backup(24, 2, On("nas"), throughput: 100, setup: 0)])
            .Build();

        var trial = Run(scenario);

        var incident = Assert.Single(trial.Incidents);
        Assert.False(incident.TotalLoss);
        Assert.Equal(14, incident.DataLossHours, 9);
        Assert.Equal(21, incident.DowntimeHours, 9);
        Assert.Single(trial.Of(TraceKind.RestorePaused));
    }

    [Fact]
    public void EstimateFailover_LongOutageArrivesDuringABlip_JudgedByTheLatestCause()
    {
        // A 2 h blip of the host at 100 h; at 101 h a 200 h power outage. Detected at 100.5 h: 1.5 h left, less than the 1 h
        // failover plus 1 h margin: wait, reassess at 101.5 h: 199.5 h left: fail over, up at the standby at 102.5 h.
        var scenario = new ScenarioBuilder().Horizon(200)
            .Component("host", failure: Every(100, 2))
            .Component("power", failure: Every(101, 200), kind: "power")
            .Component("drh", site: "dr")
            .Service("app", All("host", "power"), detection: Fixed(0.5), standby: new Standby("dr", All("drh")), failover: new Failover(FailoverMode.Estimate, 0, Fixed(1)) { MarginHours = 1 })
            .Build();

        var trial = Run(scenario);

        var incident = Assert.Single(trial.Incidents);
        Assert.Equal(IncidentAction.FailedOver, incident.Action);
        Assert.Equal(2.5, incident.DowntimeHours, 9);
        var estimates = trial.Of(TraceKind.Estimated).ToArray();
        Assert.Equal([1.5, 199.5], estimates.Select(e => e.Value2));
    }

    [Fact]
    public void ReplicaFollowsThroughOtherDataEvents_FailoverLosesOnlyItsLag()
    {
        // A backup NAS goes down and up at 50 h and 60 h (events that move the data copies); the replica keeps following.
        // The primary's host fails at 100 h: failover at 100 h, done at 100.25 h; the replica, whose source (the SAN) stayed
        // up, had caught up: nothing lost.
        var scenario = new ScenarioBuilder().Horizon(150)
            .Component("nas", failure: Every(50, 10), kind: "storage")
            .Component("san", kind: "storage")
            .Component("host", failure: Every(100, 100))
            .Component("drh", site: "dr")
            .Service("app", All("host", "san"), detection: Fixed(0), standby: new Standby("dr", All("drh")), failover: new Failover(FailoverMode.Automatic, 0, Fixed(0.25)))
            .Data("db", "app", "san", sizeGb: 100, rate: 1, backups: [Backup(24, 0, On("nas"))], replicas: [Async(AtSite("dr"), 0.1)])
            .Build();

        var incident = Assert.Single(Run(scenario).Incidents);

        Assert.Equal(IncidentAction.FailedOver, incident.Action);
        Assert.Equal(0, incident.DataLossHours, 9);
    }
}
