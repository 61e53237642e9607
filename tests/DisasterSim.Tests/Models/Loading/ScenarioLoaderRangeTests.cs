using DisasterSim.Engine.MonteCarlo;
using DisasterSim.Engine.Statistics;
using DisasterSim.Models.Loading;

namespace DisasterSim.Tests.Models.Loading;

/// <summary>Values that would make NaN or Infinity in a run are refused at load, each at its line and path with its value.</summary>
public sealed class ScenarioLoaderRangeTests
{
    // One service with one data set, one threat and one backup; each case replaces one value.
    private const string Template = """
        name: ranges
        regions: [{ name: gulf }, { name: inland }]
        sites: [{ name: hq, region: gulf }, { name: dr, region: inland }, { name: vault, region: inland }]
        components: [{ name: host, site: hq, kind: host }, { name: san, site: hq, kind: storage }]
        services:
          - name: SERVICE
            site: hq
            requires: [host, san]
            costs: { outage_per_hour: OUTAGE, per_incident: 100 }
            recovery: { detection: 5m }
        data:
          - name: db
            service: SERVICE
            storage: san
            size_gb: SIZE
            change_rate_gb_per_hour: CHANGE
            costs: { loss_per_hour: 1000, loss_per_gb: 10 }
            backups:
              - { name: nightly, interval: 1d, destination: { site: vault }, restore: { throughput_gb_per_hour: THROUGHPUT } }
            replication:
              - { mode: async, to: { site: dr }, lag: LAG }
        threats:
          - { name: power, kind: power, rate_per_year: 0.5, scope: { site: hq }, effect: outage, duration: DURATION }
        """;

    private static readonly Dictionary<string, string> Defaults = new()
    {
        ["SERVICE"] = "erp", ["OUTAGE"] = "20000", ["SIZE"] = "500", ["CHANGE"] = "1", ["THROUGHPUT"] = "100", ["LAG"] = "5m", ["DURATION"] = "2d",
    };

    public static TheoryData<string, string, string, string> Cases => new()
    {
        { "LAG", "{ dist: lognormal, mu: 700, sigma: 50 }", "data[0].replication[0].lag", "the lognormal distribution's mean is infinite, more than 1,000,000 years, the most a duration may reach; check its parameters and their units" },
        { "LAG", "{ dist: lognormal, median: 1h, p90: " + new string('9', 300) + "y }", "data[0].replication[0].lag.p90", "is longer than 1,000,000 years, the longest duration a scenario may state (so that sums of durations stay finite); check the value and its unit" },
        { "LAG", "{ dist: lognormal, median: 100h, p90: 25y }", "data[0].replication[0].lag", "the lognormal distribution's 99.9th percentile is 1.137E+10 hours, more than 1,000,000 years" },
        { "LAG", "1" + new string('0', 300) + "y", "data[0].replication[0].lag", "is longer than 1,000,000 years, the longest duration a scenario may state" },
        { "LAG", "{ dist: gamma, shape: 1e-18, mean: 1h }", "data[0].replication[0].lag", "the gamma distribution's 99.9th percentile is 3.161E+10 hours" },
        { "LAG", "{ dist: weibull, shape: 0.01, scale: 1h }", "data[0].replication[0].lag", "the weibull distribution's mean is 9.333E+157 hours" },
        { "DURATION", "{ dist: exponential, mean: 999999y }", "threats[0].duration", "the exponential distribution's 99.9th percentile is 6.055E+10 hours" },
        { "OUTAGE", "1e308", "services[0].costs.outage_per_hour", "'1e308' is larger than 1e15, the largest number a scenario may state (so that costs and sums of a run stay finite); check the value and its unit" },
        { "SIZE", "1e308", "data[0].size_gb", "'1e308' is larger than 1e15" },
        { "CHANGE", "1e308", "data[0].change_rate_gb_per_hour", "'1e308' is larger than 1e15" },
        { "THROUGHPUT", "1e-300", "data[0].backups[0].restore.throughput_gb_per_hour", "restoring 500 GB from backup 'nightly' at 1E-300 GB an hour would take 5.704E+298 years, more than the 1,000,000 years any duration may last; check the throughput and its unit (GB per hour)" },
        { "SERVICE", "erp\\0x", "services[0].name", "the name 'erp<U+0000>x' holds U+0000, a control character, at character 4; names may hold no control, line-break or bidirectional formatting characters: remove it" },
        { "SERVICE", "erp\\u202Egnp.exe", "services[0].name", "the name 'erp<U+202E>gnp.exe' holds U+202E, a bidirectional formatting character, which makes a name display as another, at character 4" },
        { "SERVICE", "erp\\nx", "services[0].name", "holds U+000A, a control character, at character 4" },
        { "SERVICE", new string('s', 201), "services[0].name", "is 201 characters long; names are limited to 200 (they are written into every row of the CSV files): shorten it" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Parse_ValueThatWouldMakeNaNOrInfinity_LocatedErrorNamingPathAndValue(string key, string value, string path, string message)
    {
        string yaml = Scenario((key, key == "SERVICE" && value.Contains('\\', StringComparison.Ordinal) ? "\"" + value + "\"" : value));

        LoadResult result = ScenarioLoader.Parse(yaml, "ranges.yaml");

        Assert.False(result.Success);
        var error = Assert.Single(result.Diagnostics, d => d.Severity == Severity.Error && d.Path == path);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.True(error.Line > 1, error.ToString());
    }

    [Fact]
    public void Run_EveryValueAtTheEdgeOfItsRange_EveryStatisticFinite()
    {
        // Prices and size at 10^15, a change rate at its floor, a lag and threats lasting near the limit: the products they
        // make (an outage of thousands of hours priced at 10^15 an hour, losses priced at 10^15) stay finite, squares too.
        string yaml = Scenario(
            ("OUTAGE", "1e15"),
            ("SIZE", "1e15"),
            ("THROUGHPUT", "1e15"),
            ("CHANGE", "1e-9"),
            ("LAG", "{ dist: exponential, mean: 100000y }"),
            ("DURATION", "999999y")).Replace("loss_per_hour: 1000, loss_per_gb: 10", "loss_per_hour: 1e15, loss_per_gb: 1e15", StringComparison.Ordinal)
            + "\n  - { name: fire, kind: fire, rate_per_year: 0.5, scope: { site: hq }, effect: destroyed, rebuild: 999999y }\n";
        LoadResult loaded = ScenarioLoader.Parse(yaml, "edge.yaml");
        Assert.True(loaded.Success, string.Join("\n", loaded.Diagnostics));

        var result = MonteCarloRunner.Run(loaded.Scenario!, new RunOptions(3000, 7, 2));

        var summaries = result.Services.SelectMany(s => new[] { s.DowntimePerTrial, s.DowntimePerIncident })
            .Concat(result.DataSets.SelectMany(d => new[] { d.LossHoursPerTrial, d.LossHoursPerIncident, d.LossGbPerTrial, d.LossGbPerIncident }))
            .Concat([result.Costs.Total, result.Costs.Penalties, result.Costs.Protection]);
        foreach (Summary s in summaries)
        {
            Assert.All(new[] { s.Mean, s.MeanCiLow, s.MeanCiHigh, s.StdDev, s.P50, s.P99, s.P999, s.Max }, v => Assert.True(double.IsFinite(v), s.ToString()));
        }

        Assert.True(result.Costs.Total.Max > 1e18, "the edge values did not reach the outputs");
    }

    private static string Scenario(params (string Key, string Value)[] values)
    {
        var all = new Dictionary<string, string>(Defaults);
        foreach (var (key, value) in values)
        {
            all[key] = value;
        }

        string yaml = Template;
        foreach (var (key, value) in all)
        {
            yaml = yaml.Replace(key, value, StringComparison.Ordinal);
        }

        return yaml;
    }
}
