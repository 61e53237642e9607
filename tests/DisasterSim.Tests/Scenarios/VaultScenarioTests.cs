using DisasterSim.Engine.MonteCarlo;
using DisasterSim.Engine.Simulation;
using DisasterSim.Models;

namespace DisasterSim.Tests.Scenarios;

/// <summary>The shipped vault and standby-backup scenarios show what their header comments say.</summary>
public sealed class VaultScenarioTests
{
    private static List<IncidentRecord> Incidents(Scenario scenario, string cause, long trials = 20_000)
    {
        int t = scenario.Threats.ToList().FindIndex(x => x.Name == cause);
        var result = MonteCarloRunner.Run(scenario, new RunOptions(trials, 2026, 2));
        return [.. result.Incidents.Where(i => i.CauseKind == CauseKind.Threat && i.CauseIndex == t)];
    }

    private static Scenario WithoutBackup(Scenario scenario, Func<Backup, Backup?> change) => scenario with
    {
        DataSets = [.. scenario.DataSets.Select(d => d with { Backups = [.. d.Backups.Select(change).OfType<Backup>()] })],
    };

    [Fact]
    public void TapeVault_RansomwareRarelyATotalLoss_WithoutTheVaultOftenIs()
    {
        var scenario = ShippedScenarioTests.Load("18-tape-vault.yaml");

        var with = Incidents(scenario, "ransomware");
        var without = Incidents(WithoutBackup(scenario, b => b with { Vault = null }), "ransomware");

        double share(List<IncidentRecord> xs) => (double)xs.Count(i => i.TotalLoss) / xs.Count;
        Assert.True(with.Count > 2_000);
        Assert.True(share(with) < 0.01, $"with the vault: {share(with)}");
        Assert.True(share(without) > 0.3, $"without: {share(without)}");
    }

    [Fact]
    public void TapeVault_AFireLosesDaysNotEverything()
    {
        // Fires made frequent to see many: every one restores from the vault, nearly always at most a week and a half old
        // (more when a second fire follows the first before the courier has taken a new tape, or ransomware was hiding).
        var scenario = ShippedScenarioTests.Load("18-tape-vault.yaml");
        scenario = scenario with { Threats = [.. scenario.Threats.Select(t => t.Name == "fire" ? t with { RatePerYear = 1 } : t)] };

        var fires = Incidents(scenario, "fire", 2_000);

        Assert.True(fires.Count > 1_000);
        Assert.DoesNotContain(fires, i => i.TotalLoss);
        Assert.True(fires.Count(i => i.DataLossHours > 11 * 24) < fires.Count / 100);
    }

    [Fact]
    public void StandbyBackups_AnArrayFailureDuringTheStayNearlyAlwaysLosesADayAtMost()
    {
        // The DR array made to fail often, so that many failures fall during stays at the standby.
        var scenario = ShippedScenarioTests.Load("19-standby-backups.yaml");
        scenario = scenario with { Threats = [.. scenario.Threats.Select(t => t.Name == "dr-array-failure" ? t with { RatePerYear = 3 } : t)] };

        var with = Incidents(scenario, "dr-array-failure");
        var without = Incidents(WithoutBackup(scenario, b => b.RunsAt == BackupRunsAt.Standby ? null : b), "dr-array-failure");

        Assert.True(with.Count > 300);
        Assert.DoesNotContain(with, i => i.TotalLoss);
        Assert.True(with.Count(i => i.DataLossHours > 30) < with.Count / 100);
        Assert.True(without.Count(i => i.TotalLoss) > without.Count / 5, $"{without.Count(i => i.TotalLoss)} of {without.Count}");
    }
}
