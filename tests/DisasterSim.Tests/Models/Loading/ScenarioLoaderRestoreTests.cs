using DisasterSim.Models;
using DisasterSim.Models.Loading;

namespace DisasterSim.Tests.Models.Loading;

/// <summary>
/// The keys of backups and restores that fail: read into the model, refused with the path and the value when wrong, and the
/// planner's warnings (copies ransomware can reach, a chain nobody tests, tests with nothing to find).
/// </summary>
public sealed class ScenarioLoaderRestoreTests
{
    private const string Clean = """
        name: restores
        regions: [{ name: r }]
        sites: [{ name: hq, region: r }]
        components:
          - { name: san, site: hq, kind: storage }
          - { name: nas, site: hq, kind: storage }
        services:
          - { name: erp, site: hq, requires: [san], recovery: { detection: 5m } }
        data:
          - name: db
            service: erp
            storage: san
            size_gb: 500
            change_rate_gb_per_hour: 1
            backups:
              - name: nightly
                interval: 1d
                destination: offsite
                failure_probability: 0.02
                exposure: immutable
                chain_breaks: { rate_per_year: 2, fix: 1d }
                restore_test: { every: 30d, offset: 12h }
                restore: { throughput_gb_per_hour: { dist: uniform, min: 50, max: 150 }, setup: { dist: lognormal, median: 2h, p90: 6h }, failure_probability: 0.05 }
        threats:
          - { name: ransomware, kind: ransomware, rate_per_year: 0.1, scope: { site: hq }, effect: corruption, dwell: 10d, cleanup: 2d }
        """;

    [Fact]
    public void Parse_EveryKey_ReadIntoTheBackup_NoDiagnostic()
    {
        var result = ScenarioLoader.Parse(Clean, "restores.yaml");

        Assert.True(result.Success, string.Join("\n", result.Diagnostics));
        Assert.Empty(result.Diagnostics);
        Backup b = result.Scenario!.DataSets[0].Backups[0];
        Assert.Equal(0.02, b.FailureProbability);
        Assert.Equal(BackupExposure.Immutable, b.Exposure);
        Assert.Equal(new ChainBreaks(2, 24), b.ChainBreaks);
        Assert.Equal(new RestoreTest(720, 12), b.RestoreTest);
        Assert.Equal(0.05, b.RestoreFailureProbability);
        Assert.Equal(DistributionKind.Uniform, b.RestoreThroughput!.Kind);
        Assert.Equal(100, b.RestoreThroughputGbPerHour, 9);
        Assert.Equal(DistributionKind.LogNormal, b.RestoreSetup!.Kind);
        Assert.Equal(b.RestoreSetup.Mean, b.RestoreSetupHours, 9);
    }

    /// <summary>Replaced text, replacement, expected path, text the message must contain.</summary>
    public static TheoryData<string, string, string, string> Errors => new()
    {
        { "exposure: immutable", "exposure: nearline", "data[0].backups[0].exposure", "'nearline'" },
        { "failure_probability: 0.02", "failure_probability: 1.5", "data[0].backups[0].failure_probability", "'1.5'" },
        { "failure_probability: 0.02", "failure_probability: 1", "data[0].backups[0].failure_probability", "the chance that a job fails is 1, more than 0.99" },
        { "failure_probability: 0.05", "failure_probability: 0.995", "data[0].backups[0].restore.failure_probability", "the chance that a copy fails to restore is 0.995, more than 0.99" },
        { "rate_per_year: 2,", "rate_per_year: 5000,", "data[0].backups[0].chain_breaks.rate_per_year", "'5000' breaks a year is more than 1,000" },
        { "offset: 12h", "offset: 40d", "data[0].backups[0].restore_test.offset", "'40d'" },
        { "every: 30d", "every: 0s", "data[0].backups[0].restore_test.every", "'0s'" },
        { "min: 50, max: 150", "min: 0, max: 150", "data[0].backups[0].restore.throughput_gb_per_hour", "this uniform throughput can come close to 0 GB an hour" },
        { "{ dist: lognormal, median: 2h, p90: 6h }", "{ dist: lognormal, median: 2h, p90: 1h }", "data[0].backups[0].restore.setup", "p90" },
        { "setup: {", "setpu: {", "data[0].backups[0].restore.setpu", "did you mean 'setup'" },
        { "chain_breaks: { rate_per_year: 2, fix: 1d }", "chain_breaks: { rate_per_year: 2, fixx: 1d }", "data[0].backups[0].chain_breaks.fixx", "did you mean 'fix'" },
        { "exposure: immutable", "exposre: immutable", "data[0].backups[0].exposre", "did you mean 'exposure'" },
    };

    [Theory]
    [MemberData(nameof(Errors))]
    public void Parse_BadValue_LocatedErrorNamingPathAndValue(string find, string replace, string path, string message)
    {
        Assert.Contains(find, Clean, StringComparison.Ordinal);

        var result = ScenarioLoader.Parse(Clean.Replace(find, replace, StringComparison.Ordinal), "restores.yaml");

        Assert.False(result.Success);
        var error = Assert.Single(result.Diagnostics, d => d.Severity == Severity.Error && d.Path == path);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.True(error.Line > 1, error.ToString());
    }

    /// <summary>Replaced text, replacement, expected path, text the warning must contain.</summary>
    public static TheoryData<string, string, string, string> Warnings => new()
    {
        { "destination: offsite\n        failure_probability: 0.02\n        exposure: immutable", "destination: { component: nas }\n        failure_probability: 0.02\n        exposure: online", "data[0].backups[0].exposure", "backup 'nightly' is reachable by ransomware 'ransomware' (exposure online, and component nas lies in its scope)" },
        { "exposure: immutable", "exposure: online", "data[0].backups[0].exposure", "(exposure online, and the data it protects lies in its scope): its detonation encrypts every copy of it" },
        { "destination: offsite\n        failure_probability: 0.02\n        exposure: immutable", "destination: { component: nas }\n        failure_probability: 0.02", "data[0].backups[0].destination", "its exposure is not stated, so its copies are taken to be out of the attack's reach" },
        { "        restore_test: { every: 30d, offset: 12h }\n", "", "data[0].backups[0].chain_breaks", "breaks silently 2 times a year and nothing tests it" },
        { "        chain_breaks: { rate_per_year: 2, fix: 1d }\n", "", "data[0].backups[0].restore_test", "it has no chain_breaks: they change nothing" },
    };

    [Theory]
    [MemberData(nameof(Warnings))]
    public void Parse_PlanningMistake_OneLocatedWarning(string find, string replace, string path, string message)
    {
        Assert.Contains(find, Clean, StringComparison.Ordinal);

        var result = ScenarioLoader.Parse(Clean.Replace(find, replace, StringComparison.Ordinal), "restores.yaml");

        Assert.True(result.Success, string.Join("\n", result.Diagnostics));
        var warning = Assert.Single(result.Diagnostics);
        Assert.Equal(Severity.Warning, warning.Severity);
        Assert.Equal(path, warning.Path);
        Assert.Contains(message, warning.Message, StringComparison.Ordinal);
    }
}
