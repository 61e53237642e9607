using DisasterSim.Engine.Simulation;
using DisasterSim.Models;
using static DisasterSim.Tests.Engine.Simulation.ScenarioBuilder;

namespace DisasterSim.Tests.Engine.Simulation;

/// <summary>
/// Each recovery path with fixed distributions, so every number is computed by hand. Component failure
/// processes with fixed times to failure and repair give events at known times.
/// </summary>
public sealed class RecoveryPathTests
{
    private static (List<IncidentRecord> Incidents, List<DataLossRecord> Losses, TrialSimulator Simulator) RunOne(Scenario scenario)
    {
        var sink = new Sink();
        var simulator = new TrialSimulator(SimulationModel.Compile(scenario), seed: 7);
        simulator.Run(0, sink);
        return (sink.Incidents, sink.Losses, simulator);
    }

    private static FailureProcess Every(double upHours, double downHours, Effect effect = Effect.Outage) =>
        new(Fixed(upHours), Fixed(downHours), effect);

    [Fact]
    public void Outage_NoStandby_WaitsForPrimary_DowntimeIsOutage()
    {
        // Power fails at 100 h for 5 h, again at 205 h; detection 1 h; horizon 300 h.
        var scenario = new ScenarioBuilder().Horizon(300)
            .Component("power", failure: Every(100, 5))
            .Service("app", All("power"), detection: Fixed(1))
            .Build();

        var (incidents, losses, simulator) = RunOne(scenario);

        Assert.Equal([100.0, 205.0], incidents.Select(i => i.StartHours));
        Assert.All(incidents, i => Assert.Equal(5, i.DowntimeHours, 12));
        Assert.All(incidents, i => Assert.Equal(IncidentAction.WaitedForPrimary, i.Action));
        Assert.Empty(losses);
        Assert.Equal(10, simulator.TrialDowntime[0], 12);
        Assert.Equal(2, simulator.TrialIncidents[0]);
    }

    [Fact]
    public void Outage_ShorterThanDetection_SelfRecovered()
    {
        var scenario = new ScenarioBuilder().Horizon(150)
            .Component("power", failure: Every(100, 0.5))
            .Service("app", All("power"), detection: Fixed(1))
            .Build();

        var (incidents, _, _) = RunOne(scenario);

        var incident = Assert.Single(incidents);
        Assert.False(incident.Detected);
        Assert.Equal(IncidentAction.SelfRecovered, incident.Action);
        Assert.Equal(0.5, incident.DowntimeHours, 12);
    }

    [Fact]
    public void Outage_AtHorizonEnd_YearCountsOnlyItsShare_IncidentCountsWhole()
    {
        var scenario = new ScenarioBuilder().Horizon(103)
            .Component("power", failure: Every(100, 5))
            .Service("app", All("power"))
            .Build();

        var (incidents, _, simulator) = RunOne(scenario);

        Assert.Equal(5, Assert.Single(incidents).DowntimeHours, 12);
        Assert.Equal(3, simulator.TrialDowntime[0], 12);
    }

    [Fact]
    public void StorageDestroyed_RestoresNewestOffsiteBackup_AfterRebuild_SkippingJobHitByOutage()
    {
        // Power to the SAN fails at 30 h for 1 h: the backup job [30, 32] fails. The SAN is destroyed at 40 h
        // and replaced by 50 h. The newest good backup is the job [6, 8]: 34 h later, less the hour the service was down and
        // accepted no changes, 33 h of changes are lost. Restore: 2 h setup + 100 GB / 50 GB/h
        // = 4 h, from 50 h to 54 h: the incident lasts 14 h.
        var scenario = new ScenarioBuilder().Horizon(60)
            .Component("power", failure: Every(30, 1))
            .Component("san", failure: Every(40, 10, Effect.Destroyed), requires: All("power"), kind: "storage")
            .Service("app", All("san"), detection: Fixed(1))
            .Data("db", "app", "san", sizeGb: 100, rate: 2, backups: [Backup(24, 2, Location.Offsite, offset: 6)])
            .Build();

        var (incidents, losses, simulator) = RunOne(scenario);

        Assert.Equal(2, incidents.Count);
        Assert.Equal(1, incidents[0].DowntimeHours, 12);
        var fire = incidents[1];
        Assert.Equal(40, fire.StartHours, 12);
        Assert.Equal(IncidentAction.Restored, fire.Action);
        Assert.Equal(14, fire.DowntimeHours, 12);
        Assert.Equal(33, fire.DataLossHours, 12);
        Assert.Equal(66, fire.DataLossGb, 12);
        var loss = Assert.Single(losses);
        Assert.Equal(33, loss.LossHours, 12);
        Assert.Equal(15, simulator.TrialDowntime[0], 12);
        Assert.Equal(33, simulator.TrialLossHours[0], 12);
    }

    [Fact]
    public void StorageDestroyed_BackupOnSameComponent_TotalLoss_RebuiltEmpty()
    {
        var scenario = new ScenarioBuilder().Horizon(60)
            .Component("san", failure: Every(40, 10, Effect.Destroyed), kind: "storage")
            .Service("app", All("san"), detection: Fixed(1))
            .Data("db", "app", "san", sizeGb: 100, rate: 2, backups: [Backup(24, 2, new Location(LocationKind.Component, "san"))])
            .Build();

        var (incidents, losses, _) = RunOne(scenario);

        var incident = Assert.Single(incidents);
        Assert.True(incident.TotalLoss);
        Assert.Equal(IncidentAction.RebuiltEmpty, incident.Action);
        Assert.Equal(10, incident.DowntimeHours, 12);
        Assert.Equal(100, incident.DataLossGb, 12);
        Assert.Equal(50, Assert.Single(losses).LossHours, 12);
    }

    [Fact]
    public void StorageDestroyed_SyncMirrorOnSameSite_NoIncidentNoLoss()
    {
        var scenario = new ScenarioBuilder().Horizon(60)
            .Component("san-a", failure: Every(40, 10, Effect.Destroyed), kind: "storage")
            .Component("san-b", kind: "storage")
            .Service("app", new RequireAtLeast(1, [new RequireComponent("san-a"), new RequireComponent("san-b")]))
            .Data("db", "app", "san-a", replicas: [new Replication(ReplicationMode.Sync, new Location(LocationKind.Component, "san-b"), null)])
            .Build();

        var (incidents, losses, _) = RunOne(scenario);

        Assert.Empty(incidents);
        Assert.Empty(losses);
    }

    private static ScenarioBuilder WithStandby(FailoverMode mode, double after, double failoverHours) => new ScenarioBuilder().Horizon(40)
        .Component("power", failure: Every(10, 20))
        .Component("dr-host", site: "dr")
        .Service(
            "app",
            All("power"),
            detection: Fixed(1),
            standby: new Standby("dr", All("dr-host")),
            failover: new Failover(mode, after, Fixed(failoverHours)))
        .Data("db", "app", "power", rate: 4, replicas: [new Replication(ReplicationMode.Async, new Location(LocationKind.Site, "dr"), Fixed(0.25))]);

    [Fact]
    public void AutomaticFailover_AsyncReplica_DowntimeIsDetectionPlusFailover_LossIsLag()
    {
        // Down at 10 h, detected 11 h, failover 0.5 h: running at the standby at 11.5 h; the lag of 0.25 h is lost.
        var (incidents, losses, _) = RunOne(WithStandby(FailoverMode.Automatic, 0, 0.5).Build());

        var incident = Assert.Single(incidents);
        Assert.Equal(IncidentAction.FailedOver, incident.Action);
        Assert.Equal(1.5, incident.DowntimeHours, 12);
        Assert.Equal(0.25, incident.DataLossHours, 12);
        Assert.Equal(1.0, incident.DataLossGb, 12);
        Assert.Single(losses);
    }

    [Fact]
    public void ManualFailover_WaitsFailoverAfterSinceDetection()
    {
        // Detected at 11 h, decision at 13 h, running at the standby at 13.5 h.
        var (incidents, _, _) = RunOne(WithStandby(FailoverMode.Manual, 2, 0.5).Build());

        Assert.Equal(3.5, Assert.Single(incidents).DowntimeHours, 12);
    }

    [Fact]
    public void ManualFailover_PrimaryBackBeforeDecision_WaitsForPrimary()
    {
        // The decision would come at 11 + 25 = 36 h; the primary is back at 30 h.
        var (incidents, losses, _) = RunOne(WithStandby(FailoverMode.Manual, 25, 0.5).Build());

        var incident = Assert.Single(incidents);
        Assert.Equal(IncidentAction.WaitedForPrimary, incident.Action);
        Assert.Equal(20, incident.DowntimeHours, 12);
        Assert.Empty(losses);
    }

    [Fact]
    public void Failover_PrimaryBackWhileFailingOver_FailoverAbandoned_NoLoss()
    {
        // Failover started at 11 h would end at 41 h; the primary is back at 30 h.
        var (incidents, losses, _) = RunOne(WithStandby(FailoverMode.Automatic, 0, 30).Build());

        var incident = Assert.Single(incidents);
        Assert.Equal(IncidentAction.WaitedForPrimary, incident.Action);
        Assert.Equal(20, incident.DowntimeHours, 12);
        Assert.Equal(0, incident.DataLossHours);
        Assert.Empty(losses);
    }

    [Fact]
    public void Failover_NoReplicaAtStandby_RestoresBackupThere()
    {
        // Down at 10 h; detected 11 h; at the standby at 11.5 h; restore 2 h + 100 GB / 50 GB/h = 4 h: up at 15.5 h.
        // Newest offsite backup started at 8 h (jobs every 4 h, 1 h long): 2 h lost.
        var scenario = new ScenarioBuilder().Horizon(40)
            .Component("power", failure: Every(10, 20))
            .Component("dr-host", site: "dr")
            .Service("app", All("power"), detection: Fixed(1), standby: new Standby("dr", All("dr-host")), failover: new Failover(FailoverMode.Automatic, 0, Fixed(0.5)))
            .Data("db", "app", "power", sizeGb: 100, rate: 1, backups: [Backup(4, 1, Location.Offsite)])
            .Build();

        var (incidents, _, _) = RunOne(scenario);

        var incident = Assert.Single(incidents);
        Assert.Equal(IncidentAction.FailedOverAndRestored, incident.Action);
        Assert.Equal(5.5, incident.DowntimeHours, 12);
        Assert.Equal(2, incident.DataLossHours, 12);
    }

    private sealed class Sink : ITrialSink
    {
        public List<IncidentRecord> Incidents { get; } = [];

        public List<DataLossRecord> Losses { get; } = [];

        public void OnIncident(in IncidentRecord incident) => Incidents.Add(incident);

        public void OnDataLoss(in DataLossRecord loss) => Losses.Add(loss);
    }
}
