using DisasterSim.Engine.MonteCarlo;
using DisasterSim.Engine.Simulation;
using DisasterSim.Models;
using DisasterSim.Models.Loading;
using static DisasterSim.Tests.Engine.Simulation.Overlaps.OneTrial;
using static DisasterSim.Tests.Engine.Simulation.ScenarioBuilder;

namespace DisasterSim.Tests.Engine.Simulation;

/// <summary>
/// Offsite vaults filled by a courier, grandfather-father-son retention tiers, and backups that go on while the data lives at
/// the standby: fixed times with answers computed by hand, and closed forms checked on many trials. Trials start on
/// Thursday 2026-01-01 00:00, so the first Mondays are hour 96 (Jan 5) and hour 264 (Jan 12).
/// </summary>
public sealed class VaultTests
{
    private const double Z99 = 2.5758293035489004;

    /// <summary>Nightly snapshots on the array itself (size 1,000 GB, a 10 h restore); a courier takes Monday's to a vault.</summary>
    private static Scenario SnapshotsAndVault(double sanRepair, string vault = "vault: { pickup: { every: week, weekday: mon, at: \"00:00\" }, transit: 4h, retrieval: 1d }") =>
        Load($$"""
            name: vault
            simulation: { horizon: 400h }
            regions: [{ name: r1 }]
            sites: [{ name: hq, region: r1 }]
            components:
              - { name: san, site: hq, kind: storage, failure: { time_to_failure: 266h, time_to_repair: {{sanRepair}}h, effect: destroyed } }
            services: [{ name: app, site: hq, requires: [san], recovery: { detection: 0s } }]
            data:
              - name: db
                service: app
                storage: san
                size_gb: 1000
                change_rate_gb_per_hour: 1
                backups:
                  - { name: snap, interval: 1d, destination: { component: san }, restore: { throughput_gb_per_hour: 100 }, {{vault}} }
            """);

    [Fact]
    public void Vault_NewerCopyStillInTransit_RestoresTheOlderVaultCopyAfterItsRetrieval()
    {
        // The array and its snapshots are destroyed at 266 h, back (empty) at 267 h. Monday's pickup at 264 h (the job of
        // 264 h) is on the road until 268 h: the vault holds the pickup of 96 h. Loss 266 − 96 = 170 h; the restore waits
        // for the 1 d retrieval, then 10 h: up at 267 + 34 = 301 h, 35 h down.
        var trial = Run(SnapshotsAndVault(sanRepair: 1));

        var incident = Assert.Single(trial.Incidents);
        Assert.Equal(IncidentAction.Restored, incident.Action);
        Assert.Equal(170, incident.DataLossHours, 9);
        Assert.Equal(35, incident.DowntimeHours, 9);
        var job = Assert.Single(trial.Of(TraceKind.BackupJob));
        Assert.Equal(RecoveryPoint.VaultTraceCode(0), job.Detail);
        Assert.Equal(96, job.Value, 9);
        var retrieval = Assert.Single(trial.Of(TraceKind.VaultRetrieval));
        Assert.Equal(24, retrieval.Value, 9);
        Assert.Equal(96, retrieval.Value2, 9);
        var transit = Assert.Single(trial.Of(TraceKind.VaultInTransit));
        Assert.Equal(268, transit.Value, 9);
        Assert.Equal(264, transit.Value2, 9);
    }

    [Fact]
    public void Vault_CopyArrivedBeforeTheRestore_IsUsed()
    {
        // Back at 269 h: the pickup of 264 h arrived at 268 h. Loss 2 h; up at 269 + 34 = 303 h, 37 h down.
        var trial = Run(SnapshotsAndVault(sanRepair: 3));

        var incident = Assert.Single(trial.Incidents);
        Assert.Equal(2, incident.DataLossHours, 9);
        Assert.Equal(37, incident.DowntimeHours, 9);
        Assert.Empty(trial.Of(TraceKind.VaultInTransit));
    }

    [Fact]
    public void Vault_Without_EveryCopyDiesWithTheArray_TotalLoss()
    {
        var trial = Run(SnapshotsAndVault(sanRepair: 1, vault: "cost_per_year: 0"));

        var incident = Assert.Single(trial.Incidents);
        Assert.True(incident.TotalLoss);
        Assert.Equal(1000, incident.DataLossHours, 9);
    }

    [Fact]
    public void Vault_RetentionOfOneWeek_TheOlderCopyHadExpired_TotalLoss()
    {
        // The pickup of 96 h arrived at 100 h. Kept a week, it is there until 268 h, after the incident's start (266 h), which
        // freezes expiry; kept 5 d, it expired at 220 h and nothing is left.
        var kept = Run(SnapshotsAndVault(1, "vault: { pickup: { every: week, weekday: mon, at: \"00:00\" }, transit: 4h, retrieval: 1d, retention: 1w }"));
        var expired = Run(SnapshotsAndVault(1, "vault: { pickup: { every: week, weekday: mon, at: \"00:00\" }, transit: 4h, retrieval: 1d, retention: 5d }"));

        Assert.Equal(170, Assert.Single(kept.Incidents).DataLossHours, 9);
        Assert.True(Assert.Single(expired.Incidents).TotalLoss);
    }

    /// <summary>Hourly jobs to a NAS that is down from 60 h to 250 h; the array is destroyed at 200 h, back at 201 h.</summary>
    private static Scenario NasDownForDays(string retention) => Load($$"""
        name: tiers
        simulation: { horizon: 300h }
        regions: [{ name: r1 }]
        sites: [{ name: hq, region: r1 }]
        components:
          - { name: san, site: hq, kind: storage, failure: { time_to_failure: 200h, time_to_repair: 1h, effect: destroyed } }
          - { name: nas, site: hq, kind: storage, failure: { time_to_failure: 60h, time_to_repair: 190h } }
        services: [{ name: app, site: hq, requires: [san], recovery: { detection: 0s } }]
        data:
          - name: db
            service: app
            storage: san
            size_gb: 100
            change_rate_gb_per_hour: 0.5
            backups:
              - { name: hourly, interval: 1h, destination: { component: nas }, restore: { throughput_gb_per_hour: 100 }, retention: {{retention}} }
        """);

    [Fact]
    public void Tiers_KeepTheNewestGoodJobOfEachDay_AfterThePlainRetentionExpired()
    {
        // Every job from 60 h on failed (the NAS was down). The job of 59 h ended 141 h before the incident: 12 h of plain
        // retention had let it go, but it is the newest good job of Saturday 3 January, which the daily tier keeps. The
        // restore waits for the NAS (back at 250 h): 200 − 59 = 141 h lost, up at 251 h, 51 h down.
        var trial = Run(NasDownForDays("{ all: 12h, daily: 3 }"));

        var incident = Assert.Single(trial.Incidents);
        Assert.Equal(141, incident.DataLossHours, 9);
        Assert.Equal(51, incident.DowntimeHours, 9);
        var job = Assert.Single(trial.Of(TraceKind.BackupJob));
        Assert.Equal(59, job.Value, 9);
        Assert.Equal(1, job.Value2, 9);
    }

    [Fact]
    public void Tiers_Without_ThePlainRetentionAloneLeavesNothing_RebuiltEmpty()
    {
        // The same with retention 12h: nothing is left, the data set is rebuilt empty at 201 h (100 GB / 0.5 GB/h = 200 h).
        var incident = Assert.Single(Run(NasDownForDays("12h")).Incidents);

        Assert.True(incident.TotalLoss);
        Assert.Equal(200, incident.DataLossHours, 9);
        Assert.Equal(1, incident.DowntimeHours, 9);
    }

    /// <summary>
    /// The primary's array is destroyed at 100 h (for good); failover onto the replica at dr; dr's array is destroyed at
    /// 200 h and back, empty, at 300 h.
    /// </summary>
    private static Scenario LongStayAtTheStandby(params Backup[] backups) => new ScenarioBuilder().Horizon(400)
        .Component("hq-san", failure: Every(100, 2000, Effect.Destroyed), kind: "storage")
        .Component("dr-san", site: "dr", failure: Every(200, 100, Effect.Destroyed), kind: "storage")
        .Component("drh", site: "dr", requires: All("dr-san"))
        .Service("app", All("hq-san"), detection: Fixed(0), standby: new Standby("dr", All("drh")), failover: new Failover(FailoverMode.Automatic, 0, Fixed(0.25)))
        .Data("db", "app", "hq-san", sizeGb: 100, rate: 1, backups: backups, replicas: [new Replication(ReplicationMode.Async, new Location(LocationKind.Component, "dr-san"), Fixed(0))])
        .Build();

    private static readonly Backup Nightly = Backup(24, 0, Location.Offsite, throughput: 100, setup: 0);

    [Theory]
    [InlineData(BackupRunsAt.Primary, 103.75)]
    [InlineData(BackupRunsAt.Both, 8)]
    public void RunsAt_JobsGoOnAtTheStandby_TheSecondDisasterLosesOnlySinceTheLastJobThere(BackupRunsAt runsAt, double loss)
    {
        // Running at dr from 100.25 h. Jobs at the primary only: the newest is that of 96 h (clock 96); the live data at
        // 200 h is at 199.75: 103.75 h lost. Jobs wherever the data lives: the job of 192 h ran at dr (clock 191.75): 8 h.
        // dr is back at 300 h; restore 1 h after a 0.25 h failover: 101.25 h down either way.
        var trial = Run(LongStayAtTheStandby(Nightly with { RunsAt = runsAt }));

        var second = trial.Incidents[1];
        Assert.Equal(IncidentAction.FailedOverAndRestored, second.Action);
        Assert.Equal(loss, second.DataLossHours, 9);
        Assert.Equal(101.25, second.DowntimeHours, 9);
        if (runsAt == BackupRunsAt.Both)
        {
            // The trace says the job ran while the data lived at the standby (+10).
            Assert.Equal(10, Assert.Single(trial.Of(TraceKind.BackupJob)).Value2, 9);
        }
    }

    [Fact]
    public void RunsAt_StandbyPolicyBesideThePrimaryOne_TheNewestOfBothIsRestored()
    {
        var trial = Run(LongStayAtTheStandby(Nightly, Nightly with { Name = "dr-nightly", RunsAt = BackupRunsAt.Standby }));

        var second = trial.Incidents[1];
        Assert.Equal(8, second.DataLossHours, 9);
        var job = Assert.Single(trial.Of(TraceKind.BackupJob));
        Assert.Equal(1, job.Detail);
        Assert.Equal(192, job.Value, 9);
        Assert.Equal(10, job.Value2, 9);
    }

    [Theory]
    [InlineData(100, "{ daily: 10 }", 24)]
    [InlineData(400, "{ daily: 7, weekly: 8 }", 168)]
    public void Tiers_RansomwareWithAFixedDwell_LossBeyondTheDwellIsHalfTheTiersPeriod(double dwell, string tiers, double period)
    {
        // Hourly jobs kept only by a tier whose daily (or weekly) copies the dwell outlives. The clean copy is the newest of
        // the period before the infection's (the last job of a period is at its last hour), or of the infection's own period
        // if the infection came in its last hour: with u the infection's time within its period, uniform on [0, P), the
        // loss beyond the dwell is u + 1 for u < P − 1, else u − (P − 1): mean P / 2. Keeping every copy gives 1 / 2.
        var scenario = Load($$"""
            name: gfs
            regions: [{ name: r1 }]
            sites: [{ name: hq, region: r1 }]
            components: [{ name: san, site: hq, kind: storage }]
            services: [{ name: app, site: hq, requires: [san], recovery: { detection: 0s } }]
            data:
              - { name: db, service: app, storage: san, size_gb: 100, change_rate_gb_per_hour: 1, backups: [{ name: hourly, interval: 1h, destination: offsite, restore: { throughput_gb_per_hour: 1000 }, retention: {{tiers}} }] }
            threats: [{ name: ransomware, kind: cyber, rate_per_year: 0.5, scope: { site: hq }, effect: corruption, dwell: {{dwell}}h, cleanup: 1h }]
            """);
        const int trials = 20_000;

        var result = MonteCarloRunner.Run(scenario, new RunOptions(trials, 5, 2));

        // Trials with one infection only: given one Poisson arrival its time is uniform, and a second infection hidden
        // while the first is restored would be rewound by that restore (it loses less than its dwell).
        var beyond = result.Incidents.GroupBy(i => i.Trial).Where(g => g.Count() == 1).Select(g => g.Single().DataLossHours - dwell).ToArray();
        Assert.True(beyond.Length > 5_000);
        AssertMean(beyond, period / 2);
        Assert.DoesNotContain(result.Incidents, i => i.TotalLoss);
    }

    [Fact]
    public void Vault_WeeklyPickups_MeanLossIsHalfAWeekPlusTheTransitNotYetOver_MeanDowntimeAddsTheRetrieval()
    {
        // The array and its nightly snapshots are destroyed at a uniform time; the restore starts 2 h later (the rebuild),
        // from the newest pickup that has arrived. With u the time since Monday 00:00 (the pickup, holding that night's job),
        // the copy is that pickup's if u + 2 ≥ 6 (the transit), else the previous one's: loss u + 168 × [u < 4], mean
        // 84 + 4 = 88 h. Downtime: 2 h + an exponential retrieval of mean 24 h + 1 h of restore: mean 27 h.
        var scenario = Load("""
            name: courier
            regions: [{ name: r1 }]
            sites: [{ name: hq, region: r1 }]
            components: [{ name: san, site: hq, kind: storage }]
            services: [{ name: app, site: hq, requires: [san], recovery: { detection: 0s } }]
            data:
              - name: db
                service: app
                storage: san
                size_gb: 100
                change_rate_gb_per_hour: 1
                backups:
                  - name: snap
                    interval: 1d
                    destination: { component: san }
                    restore: { throughput_gb_per_hour: 100 }
                    vault: { pickup: { every: week, weekday: mon, at: "00:00" }, transit: 6h, retrieval: { dist: exponential, mean: 24h } }
            threats: [{ name: fire, kind: fire, rate_per_year: 1, scope: { component: san }, effect: destroyed, rebuild: 2h }]
            """);
        const int trials = 20_000;

        var result = MonteCarloRunner.Run(scenario, new RunOptions(trials, 9, 2));

        AssertMean(result.Incidents.Select(i => i.DataLossHours).ToArray(), 88);
        AssertMean(result.Incidents.Select(i => i.DowntimeHours).ToArray(), 27);
    }

    [Fact]
    public void RunsAt_StandbyPolicy_WhileLivingAtTheStandby_MeanLossIsHalfTheInterval()
    {
        // The primary's array is destroyed in the first hour for good; the service runs at dr from then on. dr's array is
        // destroyed at uniform times (back after 1 h): restored from the newest nightly job taken at dr: mean loss 12 h. The
        // first such loss of each trial: the restore puts the data in a working copy of the site, which a later loss of the
        // array no longer destroys.
        var scenario = new ScenarioBuilder()
            .Component("hq-san", failure: Every(1, 1e6, Effect.Destroyed), kind: "storage")
            .Component("dr-san", site: "dr", kind: "storage")
            .Component("drh", site: "dr", requires: All("dr-san"))
            .Service("app", All("hq-san"), detection: Fixed(0), standby: new Standby("dr", All("drh")), failover: new Failover(FailoverMode.Automatic, 0, Fixed(0)))
            .Data("db", "app", "hq-san", sizeGb: 10, rate: 1, backups: [Nightly with { RunsAt = BackupRunsAt.Standby }], replicas: [new Replication(ReplicationMode.Async, new Location(LocationKind.Component, "dr-san"), Fixed(0))])
            .Threat("dr-fire", 2, new Scope(ScopeKind.Component, "dr-san"), Effect.Destroyed, Fixed(1))
            .Build();
        const int trials = 10_000;

        var result = MonteCarloRunner.Run(scenario, new RunOptions(trials, 4, 2));

        var atStandby = result.Incidents.Where(i => i.StartHours > 2).GroupBy(i => i.Trial).Select(g => g.First().DataLossHours).ToArray();
        Assert.True(atStandby.Length > 8_000);
        AssertMean(atStandby, 12);
    }

    private static void AssertMean(double[] values, double expected)
    {
        double mean = values.Average();
        double sd = Math.Sqrt(values.Sum(x => (x - mean) * (x - mean)) / (values.Length - 1));
        double half = Z99 * sd / Math.Sqrt(values.Length);
        Assert.InRange(expected, mean - half, mean + half);
    }

    private static Scenario Load(string yaml)
    {
        var loaded = ScenarioLoader.Parse(yaml, "vault.yaml");
        Assert.True(loaded.Scenario is not null, string.Join("\n", loaded.Diagnostics));
        return loaded.Scenario;
    }
}
