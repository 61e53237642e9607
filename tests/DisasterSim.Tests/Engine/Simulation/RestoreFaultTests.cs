using DisasterSim.Engine.MonteCarlo;
using DisasterSim.Engine.Simulation;
using DisasterSim.Models;
using static DisasterSim.Tests.Engine.Simulation.Overlaps.OneTrial;
using static DisasterSim.Tests.Engine.Simulation.ScenarioBuilder;

namespace DisasterSim.Tests.Engine.Simulation;

/// <summary>
/// Backups and restores that fail: copies that do not restore (the next older usable copy is tried, each attempt costing its
/// setup), jobs that fail, setup and throughput that vary, silent chain breaks found by restore tests or by a failed restore,
/// and copies ransomware reaches. Fixed cases are computed by hand; random ones against the closed form, within 99%.
/// </summary>
public sealed class RestoreFaultTests
{
    private const double Z99 = 2.576;

    /// <summary>A SAN destroyed at <paramref name="at"/> h and back, empty, half an hour later; the horizon just after.</summary>
    private static ScenarioBuilder SanLostAt(double at, params Backup[] backups) => new ScenarioBuilder().Horizon(at + 10)
        .Component("san", failure: Every(at, 0.5, Effect.Destroyed), kind: "storage")
        .Service("app", All("san"), detection: Fixed(0))
        .Data("db", "app", "san", sizeGb: 100, rate: 1, backups: backups);

    private static Backup Hourly => Backup(1, 0, Location.Offsite, throughput: 100, setup: 0) with { Name = "hourly" };

    private static Backup Daily => Backup(24, 0, Location.Offsite, throughput: 50, setup: 0) with { Name = "daily" };

    private static RunResult Many(Scenario scenario, int trials) => MonteCarloRunner.Run(scenario, new RunOptions(trials, 11, 1));

    private static void AssertProportion(double expected, int hits, int n, string what)
    {
        double half = Z99 * Math.Sqrt(expected * (1 - expected) / n);
        Assert.True(Math.Abs((hits / (double)n) - expected) <= half, $"{what}: {hits}/{n} = {hits / (double)n:F4}, expected {expected:F4} ± {half:F4}");
    }

    [Fact]
    public void EveryHourlyCopyFailsToRestore_OlderOnesAreTriedEachAtItsCost_UntilTheDailyCopyWins()
    {
        // The SAN is destroyed at 100.5 h and back at 101 h. Copies of the hourly policy never restore (1 h each); the daily
        // policy's restore (2 h) works. Tried: hourly 100, 99, 98, 97 and 96 (equal to the daily 96 in position, faster),
        // each failing after its hour; then the daily 96 h job: 101 + 5 + 2 = 108 h. Down 7.5 h, 4.5 h of changes lost.
        var trial = Run(SanLostAt(100.5, Hourly with { RestoreFailureProbability = 1 }, Daily).Build());

        var incident = Assert.Single(trial.Incidents);
        Assert.Equal(IncidentAction.Restored, incident.Action);
        Assert.Equal(7.5, incident.DowntimeHours, 9);
        Assert.Equal(4.5, incident.DataLossHours, 9);
        Assert.Equal([100.0, 99, 98, 97, 96], trial.Of(TraceKind.RestoreFailed).Select(s => s.Value));
        Assert.All(trial.Of(TraceKind.RestoreFailed), s => Assert.Equal(0, s.Value2));
        Assert.Equal(5, trial.Of(TraceKind.RestoreRetried).Count());
    }

    [Fact]
    public void EveryHourlyJobFails_TheDailyCopyIsRestoredAtOnce()
    {
        // A job that fails reports it: the operator never tries it. The daily 96 h job restores from 101 h to 103 h.
        var trial = Run(SanLostAt(100.5, Hourly with { FailureProbability = 1 }, Daily).Build());

        var incident = Assert.Single(trial.Incidents);
        Assert.Equal(2.5, incident.DowntimeHours, 9);
        Assert.Equal(4.5, incident.DataLossHours, 9);
        Assert.Empty(trial.Of(TraceKind.RestoreFailed));
    }

    [Fact]
    public void EveryCopyFails_RetentionEnds_RebuiltEmpty()
    {
        // Copies kept two days (expiry frozen at 100.5 h): jobs 100 h back to 53 h are tried (48 restores of 1 h, from 101 h to
        // 149 h), then none is left: the data set is rebuilt empty at 149 h.
        var trial = Run(SanLostAt(100.5, Hourly with { RestoreFailureProbability = 1, RetentionHours = 48 }).Build());

        var incident = Assert.Single(trial.Incidents);
        Assert.Equal(IncidentAction.RebuiltEmpty, incident.Action);
        Assert.True(incident.TotalLoss);
        Assert.Equal(48, trial.Of(TraceKind.RestoreFailed).Count());
        Assert.Equal(48.5, incident.DowntimeHours, 9);
    }

    [Fact]
    public void CopyFailureProbability_LossIsTheGeometricMixtureOfOlderCopies()
    {
        // Daily jobs, each copy failing to restore with p = 0.3 on its own. The SAN is lost at 1000.5 h: the newest copy is the
        // 984 h job. G copies fail first, G geometric: P(G = g) = p^g (1 − p). Loss 16.5 + 24 G h; down 0.5 + 2 (G + 1) h.
        const double p = 0.3;
        const int n = 4000;
        var result = Many(SanLostAt(1000.5, Daily with { RestoreFailureProbability = p }).Build(), n);

        Assert.Equal(n, result.Incidents.Count);
        var g = result.Incidents.Select(i => (i.DataLossHours - 16.5) / 24).ToList();
        Assert.All(result.Incidents.Zip(g), x => Assert.Equal(0.5 + (2 * (x.Second + 1)), x.First.DowntimeHours, 6));
        Assert.All(g, x => Assert.Equal(Math.Round(x), x, 6));
        AssertProportion(1 - p, g.Count(x => Math.Round(x) == 0), n, "first copy restores");
        AssertProportion(p * (1 - p), g.Count(x => Math.Round(x) == 1), n, "second copy restores");

        // Mean of G: p / (1 − p), variance p / (1 − p)².
        double mean = p / (1 - p);
        double half = Z99 * Math.Sqrt(p / ((1 - p) * (1 - p)) / n);
        Assert.InRange(g.Average(), mean - half, mean + half);
    }

    [Fact]
    public void VaryingSetupAndThroughput_MeanRestoreTimeIsMeanSetupPlusSizeTimesMeanInverseThroughput()
    {
        // Setup exponential with mean 2 h (variance 4); throughput uniform on [25, 100] GB/h: E[100 / T] = 100 ln 4 / 75,
        // E[(100 / T)²] = 10⁴ (1/25 − 1/100) / 75 = 4. Down 0.5 h + the restore.
        const int n = 4000;
        var daily = Daily with { RestoreSetup = Exp(2), RestoreThroughput = Distribution.Uniform(25, 100), RestoreSetupHours = 2, RestoreThroughputGbPerHour = 62.5 };
        var result = Many(SanLostAt(1000.5, daily).Build(), n);

        var restore = result.Incidents.Select(i => i.DowntimeHours - 0.5).ToList();
        double transfer = 100 * Math.Log(4) / 75;
        double mean = 2 + transfer;
        double sd = Math.Sqrt(4 + (4 - (transfer * transfer)));
        Assert.InRange(restore.Average(), mean - (Z99 * sd / Math.Sqrt(n)), mean + (Z99 * sd / Math.Sqrt(n)));
        Assert.All(restore, r => Assert.True(r >= 1 - 1e-9, $"a restore of {r} h is faster than the fastest transfer"));
        Assert.All(result.Incidents, i => Assert.Equal(16.5, i.DataLossHours, 9));
    }

    [Fact]
    public void ChainBreaksFoundByDailyTests_KnownBadJobsAreSkipped_LossIsGeometric()
    {
        // Breaks at λ = 100 a year; a test restore at every job time finds a break at the end of the first job it spoiled,
        // and the fix takes 12 h: each break spoils exactly one job, which is known bad when tested. Job k is spoiled with
        // q = 1 − exp(−24 λ / 8766), independently. The 984 h job is the newest at 1000.5 h; G known-bad jobs are skipped:
        // loss 16.5 + 24 G, no restore fails, down 0.5 + 2 h always.
        const int n = 4000;
        var daily = Daily with { ChainBreaks = new ChainBreaks(100, 12), RestoreTest = new RestoreTest(24, 0) };
        var result = Many(SanLostAt(1000.5, daily).Build(), n);

        double q = 1 - Math.Exp(-24 * 100 / SimulationSettings.HoursPerYear);
        var g = result.Incidents.Select(i => Math.Round((i.DataLossHours - 16.5) / 24)).ToList();
        Assert.All(result.Incidents, i => Assert.Equal(2.5, i.DowntimeHours, 9));
        AssertProportion(1 - q, g.Count(x => x == 0), n, "newest job good");
        AssertProportion(q * (1 - q), g.Count(x => x == 1), n, "one job skipped");
    }

    [Fact]
    public void UntestedChain_BreakFoundOnlyByTheFailedRestore_ThenTheLastJobBeforeItIsRestored()
    {
        // Breaks at λ = 1 a year, no tests, the trial starting with the chain known good. If the first break X comes before the
        // 984 h job, that job fails to restore (2 h), which finds the break: the last job before X is restored (2 h more).
        // P(X < 984) = 1 − exp(−984 λ / 8766).
        const int n = 4000;
        var daily = Daily with { ChainBreaks = new ChainBreaks(1, 0) };
        var result = Many(SanLostAt(1000.5, daily).Build(), n);

        var failedFirst = result.Incidents.Where(i => Math.Abs(i.DowntimeHours - 4.5) < 1e-9).ToList();
        Assert.All(result.Incidents, i => Assert.True(Math.Abs(i.DowntimeHours - 2.5) < 1e-9 || Math.Abs(i.DowntimeHours - 4.5) < 1e-9, $"{i.DowntimeHours} h"));
        Assert.All(failedFirst, i => Assert.True(i.DataLossHours > 16.5 + 1e-9));
        AssertProportion(1 - Math.Exp(-984 / SimulationSettings.HoursPerYear), failedFirst.Count, n, "newest job spoiled");
    }

    private static Scenario Ransomware(BackupExposure nasExposure) => new ScenarioBuilder()
        .Component("san", kind: "storage")
        .Component("nas", kind: "storage")
        .Service("app", All("san"))
        .Data("db", "app", "san", sizeGb: 100, rate: 1, backups:
        [
            Backup(1, 0, new Location(LocationKind.Component, "nas"), throughput: 100, setup: 0) with { Name = "nas", Exposure = nasExposure },
            Daily with { Exposure = BackupExposure.Immutable },
        ])
        .Threat("ransomware", 1, new Scope(ScopeKind.Site, "hq"), Effect.Corruption, Fixed(48), t => t with { Dwell = Fixed(240) })
        .Build();

    [Fact]
    public void Ransomware_OnlineNasCopiesEncrypted_TheImmutableDailyCopyBeforeTheInfectionIsRestored()
    {
        // Infection 240 h before detonation. The NAS holds hourly copies; online, the detonation encrypts all of them: the
        // newest daily job before the infection is restored after the 48 h clean-up (2 h): loss in (240, 264], down 50 h.
        // Out of reach (immutable), the hourly job before the infection is restored (1 h): loss in (240, 241], down 49 h.
        var online = Many(Ransomware(BackupExposure.Online), 300).Incidents.GroupBy(i => i.Trial).Select(g => g.First()).Where(i => i.StartHours > 300).ToList();
        var immutable = Many(Ransomware(BackupExposure.Immutable), 300).Incidents.GroupBy(i => i.Trial).Select(g => g.First()).Where(i => i.StartHours > 300).ToList();

        Assert.NotEmpty(online);
        Assert.All(online, i => Assert.InRange(i.DataLossHours, 240, 264));
        Assert.Contains(online, i => i.DataLossHours > 241 + 1e-9);
        Assert.All(immutable, i => Assert.InRange(i.DataLossHours, 240, 241));

        // A second attack during the clean-up or the restore (rate 1 a year: under 1% of incidents) makes it start over.
        AssertMostlyExactly(50, online);
        AssertMostlyExactly(49, immutable);

        static void AssertMostlyExactly(double hours, List<IncidentRecord> incidents)
        {
            Assert.All(incidents, i => Assert.True(i.DowntimeHours >= hours - 1e-9, $"{i.DowntimeHours} h"));
            Assert.True(incidents.Count(i => Math.Abs(i.DowntimeHours - hours) < 1e-9) >= 0.97 * incidents.Count);
        }
    }
}
