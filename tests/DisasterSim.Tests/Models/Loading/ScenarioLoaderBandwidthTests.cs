using DisasterSim.Models;
using DisasterSim.Models.Loading;

namespace DisasterSim.Tests.Models.Loading;

/// <summary>Shared restore throughputs and replication links: read, refused at their path with their value, warned of.</summary>
public sealed class ScenarioLoaderBandwidthTests
{
    private const string Clean = """
        name: bandwidth
        regions: [{ name: r1 }, { name: r2 }]
        sites: [{ name: hq, region: r1 }, { name: dr, region: r2, restore_throughput_gb_per_hour: 400 }]
        components:
          - { name: san, site: hq, kind: storage }
          - { name: wan, site: hq, kind: network }
          - { name: nas, site: hq, kind: storage, restore_throughput_gb_per_hour: 200 }
        services:
          - { name: app, site: hq, requires: [san], recovery: { detection: 5m } }
        data:
          - name: db
            service: app
            storage: san
            size_gb: 100
            change_rate_gb_per_hour: 1
            backups:
              - { name: nightly, interval: 1d, destination: { component: nas }, restore: { throughput_gb_per_hour: 100 } }
              - { name: weekly, interval: 7d, destination: offsite, restore: { throughput_gb_per_hour: 50 } }
              - { name: dr, interval: 1d, destination: { site: dr }, restore: { throughput_gb_per_hour: 50 } }
            replication:
              - { mode: async, to: { site: dr }, lag: 1m, link: { bandwidth_gb_per_hour: 5, via: wan } }
        offsite: { restore_throughput_gb_per_hour: 300 }
        """;

    [Fact]
    public void Load_Clean_ReadsEveryThroughputAndTheLink()
    {
        var result = ScenarioLoader.Parse(Clean, "bandwidth.yaml");

        Assert.True(result.Success, string.Join("\n", result.Diagnostics));
        Assert.Empty(result.Diagnostics);
        var s = result.Scenario!;
        Assert.Equal(300, s.OffsiteRestoreThroughputGbPerHour);
        Assert.Equal(400, s.Sites.Single(x => x.Name == "dr").RestoreThroughputGbPerHour);
        Assert.Null(s.Sites.Single(x => x.Name == "hq").RestoreThroughputGbPerHour);
        Assert.Equal(200, s.Components.Single(c => c.Name == "nas").RestoreThroughputGbPerHour);
        Assert.Equal(new ReplicationLink(5, "wan"), s.DataSets[0].Replications[0].Link);
    }

    /// <summary>Replaced text, replacement, severity, path, text the message must contain.</summary>
    public static TheoryData<string, string, Severity, string, string> Cases => new()
    {
        { "bandwidth_gb_per_hour: 5,", "bandwidth_gb_per_hour: -5,", Severity.Error, "data[0].replication[0].link.bandwidth_gb_per_hour", "'-5' is out of range; expected a finite number > 0" },
        { "bandwidth_gb_per_hour: 5,", "bandwith_gb_per_hour: 5,", Severity.Error, "data[0].replication[0].link.bandwith_gb_per_hour", "unknown key 'bandwith_gb_per_hour' (did you mean 'bandwidth_gb_per_hour'?)" },
        { "via: wan", "via: wna", Severity.Error, "data[0].replication[0].link.via", "unknown component 'wna' (did you mean 'wan'?)" },
        { "mode: async, to: { site: dr }, lag: 1m,", "mode: sync, to: { site: dr },", Severity.Error, "data[0].replication[0].link", "a synchronous replica has no link of its own" },
        { "bandwidth_gb_per_hour: 5,", "bandwidth_gb_per_hour: 1e-12,", Severity.Error, "data[0].replication[0].link.bandwidth_gb_per_hour", "seeding the replica with 100 GB at 1E-12 GB an hour would take 1.141E+10 years" },
        { "restore_throughput_gb_per_hour: 200", "restore_throughput_gb_per_hour: 0", Severity.Error, "components[2].restore_throughput_gb_per_hour", "'0' is out of range; expected a finite number > 0" },
        { "region: r2, restore_throughput_gb_per_hour: 400", "region: r2, restore_throughput_gb_per_hr: 400", Severity.Error, "sites[1].restore_throughput_gb_per_hr", "(did you mean 'restore_throughput_gb_per_hour'?)" },
        { "offsite: { restore_throughput_gb_per_hour: 300 }", "offsite: 300", Severity.Error, "offsite", "expected a mapping (the offsite location: { restore_throughput_gb_per_hour: NUMBER }), found the text '300'" },
        { "offsite: { restore_throughput_gb_per_hour: 300 }", "offsite: { restore_throughput_gb_per_hour: nan }", Severity.Error, "offsite.restore_throughput_gb_per_hour", "'nan'" },
        { "bandwidth_gb_per_hour: 5,", "bandwidth_gb_per_hour: 0.25,", Severity.Warning, "data[0].replication[0].link.bandwidth_gb_per_hour", "the link's bandwidth '0.25' GB an hour is less than the 1 GB an hour at which data set 'db' changes" },
        { "{ name: san, site: hq, kind: storage }", "{ name: san, site: hq, kind: storage, restore_throughput_gb_per_hour: 10 }", Severity.Warning, "components[0].restore_throughput_gb_per_hour", "no backup reads its restores from component 'san'" },
        { "{ name: hq, region: r1 }", "{ name: hq, region: r1, restore_throughput_gb_per_hour: 10 }", Severity.Warning, "sites[0].restore_throughput_gb_per_hour", "no backup reads its restores from site 'hq'" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Load_BadOrDoubtfulBandwidth_OneLocatedDiagnostic(string find, string replace, Severity severity, string path, string message)
    {
        Assert.Contains(find, Clean, StringComparison.Ordinal);

        var result = ScenarioLoader.Parse(Clean.Replace(find, replace, StringComparison.Ordinal), "bandwidth.yaml");

        var found = result.Diagnostics.Where(d => d.Path == path && d.Message.Contains(message, StringComparison.Ordinal)).ToList();
        Assert.True(found.Count == 1, $"expected one diagnostic at {path} containing \"{message}\"; got:\n{string.Join("\n", result.Diagnostics)}");
        Assert.Equal(severity, found[0].Severity);
        Assert.Equal(severity == Severity.Error, !result.Success);
    }
}
