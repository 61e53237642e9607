using DisasterSim.Models;
using DisasterSim.Models.Loading;

namespace DisasterSim.Tests.Models.Loading;

/// <summary>Retention tiers, vaults and backups at the standby in the language: what they read, and each mistake located.</summary>
public sealed class VaultLoaderTests
{
    private const string Clean = """
        name: vaults
        regions: [{ name: gulf }, { name: north }]
        sites:
          - { name: hq, region: gulf }
          - { name: dr, region: north }
        components:
          - { name: hq-san, site: hq, kind: storage }
          - { name: nas, site: hq, kind: storage }
          - { name: dr-host, site: dr, kind: host }
        services:
          - name: erp
            site: hq
            requires: [hq-san]
            standby: { site: dr, requires: [dr-host] }
            recovery: { detection: 5m, failover: { mode: manual, after: 30m, duration: 15m } }
        data:
          - name: erp-db
            service: erp
            storage: hq-san
            size_gb: 100
            change_rate_gb_per_hour: 1
            replication: [{ mode: async, to: { site: dr }, lag: 1m }]
            backups:
              - name: nightly
                interval: 1d
                destination: { component: nas }
                retention: { all: 2d, daily: 14, weekly: 8, monthly: 12 }
                restore: { throughput_gb_per_hour: 50 }
                vault: { pickup: { every: week, weekday: fri, at: "18:00" }, transit: 1d, retrieval: { dist: uniform, min: 4h, max: 1d }, retention: 1y, cost_per_year: 1200 }
              - { name: dr-nightly, interval: 1d, destination: offsite, runs_at: standby, restore: { throughput_gb_per_hour: 50 } }
        threats:
          - { name: fire, kind: fire, rate_per_year: 0.003, scope: { site: hq }, effect: destroyed, rebuild: 30d }

        """;

    [Fact]
    public void Load_TiersVaultAndStandbyPolicy_ReadAsWritten()
    {
        var result = ScenarioLoader.Parse(Clean, "vaults.yaml");

        Assert.True(result.Success, string.Join("\n", result.Diagnostics));
        Assert.DoesNotContain(result.Diagnostics, d => d.Severity == Severity.Warning);
        var nightly = result.Scenario!.DataSets[0].Backups[0];
        Assert.Equal(new RetentionTiers(14, 8, 12, 0), nightly.RetentionTiers);
        Assert.Equal(48, nightly.RetentionHours);
        Assert.Equal(BackupRunsAt.Primary, nightly.RunsAt);
        var vault = nightly.Vault!;
        Assert.Equal(Recurrence.Weekly, vault.Pickup.Recurrence);
        Assert.Equal(DayOfWeek.Friday, vault.Pickup.Weekday);
        Assert.Equal(24, vault.TransitHours);
        Assert.Equal(14, vault.Retrieval.Mean, 9);
        Assert.Equal(SimulationSettings.HoursPerYear, vault.RetentionHours);
        Assert.Equal(1200, vault.CostPerYear);
        Assert.Equal(BackupRunsAt.Standby, result.Scenario.DataSets[0].Backups[1].RunsAt);
    }

    /// <summary>Case, replaced text, replacement, severity, expected path, text the message must contain, expected line.</summary>
    public static TheoryData<string, string, string, Severity, string, string, int> Cases => new()
    {
        { "vault key typo", "transit: 1d,", "tranist: 1d,", Severity.Error, "data[0].backups[0].vault.tranist", "'tranist' (did you mean 'transit'?)", 29 },
        { "vault without pickup", "pickup: { every: week, weekday: fri, at: \"18:00\" }, ", "", Severity.Error, "data[0].backups[0].vault", "missing required key 'pickup'", 29 },
        { "vault without retrieval", "retrieval: { dist: uniform, min: 4h, max: 1d }, ", "", Severity.Error, "data[0].backups[0].vault", "missing required key 'retrieval'", 29 },
        { "pickup weekday typo", "weekday: fri,", "weekday: fry,", Severity.Error, "data[0].backups[0].vault.pickup.weekday", "'fry'", 29 },
        { "vault not a mapping", "vault: { pickup: { every: week, weekday: fri, at: \"18:00\" }, transit: 1d, retrieval: { dist: uniform, min: 4h, max: 1d }, retention: 1y, cost_per_year: 1200 }", "vault: iron-mountain", Severity.Error, "data[0].backups[0].vault", "'iron-mountain'", 29 },
        { "negative vault cost", "cost_per_year: 1200", "cost_per_year: -5", Severity.Error, "data[0].backups[0].vault.cost_per_year", "'-5'", 29 },
        { "tier key typo", "weekly: 8,", "weekley: 8,", Severity.Error, "data[0].backups[0].retention.weekley", "(did you mean 'weekly'?)", 27 },
        { "tier count negative", "daily: 14,", "daily: -1,", Severity.Error, "data[0].backups[0].retention.daily", "'-1'", 27 },
        { "tier count too large", "monthly: 12 }", "monthly: 10001 }", Severity.Error, "data[0].backups[0].retention.monthly", "'10001'", 27 },
        { "tier count not an integer", "daily: 14,", "daily: 1.5,", Severity.Error, "data[0].backups[0].retention.daily", "'1.5'", 27 },
        { "empty tiers", "retention: { all: 2d, daily: 14, weekly: 8, monthly: 12 }", "retention: {}", Severity.Error, "data[0].backups[0].retention", "retention tiers list nothing", 27 },
        { "runs_at typo", "runs_at: standby", "runs_at: standbye", Severity.Error, "data[0].backups[1].runs_at", "'standbye' is not allowed here (did you mean 'standby'?)", 30 },
        { "runs_at without a standby", "    standby: { site: dr, requires: [dr-host] }\n    recovery: { detection: 5m, failover: { mode: manual, after: 30m, duration: 15m } }", "    recovery: { detection: 5m }", Severity.Error, "data[0].backups[1].runs_at", "needs a standby, but service 'erp' has none", 29 },
        { "vault retention shorter than the pickups", "retention: 1y, cost", "retention: 2d, cost", Severity.Warning, "data[0].backups[0].vault.retention", "shorter than the time between pickups (about 7d)", 29 },
        { "retention shorter than a ransomware dwell", "rebuild: 30d }", "rebuild: 30d }\n  - { name: ransomware, kind: cyber, rate_per_year: 0.2, scope: { site: hq }, effect: corruption, dwell: 2y, cleanup: 2d }", Severity.Warning, "data[0].backups[0].retention", "less than the mean dwell 2y of threat 'ransomware'", 27 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Load_Mistake_ReportsLocatedDiagnostic(string name, string find, string replace, Severity severity, string path, string message, int line)
    {
        Assert.Contains(find, Clean, StringComparison.Ordinal);
        string yaml = Clean.Replace(find, replace, StringComparison.Ordinal);

        var result = ScenarioLoader.Parse(yaml, "vaults.yaml");

        string all = string.Join("\n", result.Diagnostics);
        var d = result.Diagnostics.FirstOrDefault(x => x.Path == path && x.Message.Contains(message, StringComparison.Ordinal));
        Assert.True(d is not null, $"{name}: no diagnostic at '{path}' containing \"{message}\"; got:\n{all}");
        Assert.Equal(severity, d.Severity);
        Assert.True(line == d.Line, $"{name}: expected line {line}, got {d}");
        Assert.Equal(severity == Severity.Error, !result.Success);
    }

    [Fact]
    public void Load_RetentionKeepsLongerThanTheDwell_NoWarning()
    {
        // Twelve monthly copies outlast a mean dwell of six months.
        string yaml = Clean.Replace("rebuild: 30d }", "rebuild: 30d }\n  - { name: ransomware, kind: cyber, rate_per_year: 0.2, scope: { site: hq }, effect: corruption, dwell: 180d, cleanup: 2d }", StringComparison.Ordinal);

        var result = ScenarioLoader.Parse(yaml, "vaults.yaml");

        Assert.True(result.Success, string.Join("\n", result.Diagnostics));
        // The NAS is inside the attack's scope with no exposure stated: that warning is about reach, not retention.
        Assert.DoesNotContain(result.Diagnostics, d => d.Severity == Severity.Warning && !d.Message.Contains("its exposure is not stated", StringComparison.Ordinal));
    }
}
