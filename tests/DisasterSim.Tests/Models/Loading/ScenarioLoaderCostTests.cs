using DisasterSim.Models;
using DisasterSim.Models.Loading;

namespace DisasterSim.Tests.Models;

/// <summary>The cost keys: service and data set penalties, protection costs where the protection lives, other costs, currency.</summary>
public sealed class ScenarioLoaderCostTests
{
    // Lines 1-4; cases append from line 5.
    private const string Base = "name: x\nregions: [{ name: gulf }]\nsites: [{ name: hq, region: gulf }, { name: dr, region: gulf }]\ncomponents: [{ name: host, site: hq, kind: host }, { name: san, site: hq, kind: storage }]\n";

    // Lines 5-8.
    private const string Service = "services:\n  - name: erp\n    site: hq\n    recovery: { detection: 5m }\n";

    // Lines 9-14.
    private const string Data = "data:\n  - name: db\n    service: erp\n    storage: san\n    size_gb: 10\n    change_rate_gb_per_hour: 1\n";

    private const string Costed = """
        name: costed
        currency: EUR
        other_costs:
          - { name: monitoring, per_year: 1200 }
          - { name: dr-tests, per_year: 0 }
        regions: [{ name: gulf }]
        sites: [{ name: hq, region: gulf }, { name: dr, region: gulf }]
        components: [{ name: host, site: hq, kind: host }, { name: san, site: hq, kind: storage }, { name: dr-host, site: dr, kind: host }]
        services:
          - name: erp
            site: hq
            requires: [host, san]
            costs: { outage_per_hour: 20000, per_incident: 5000 }
            standby: { site: dr, requires: [dr-host], cost_per_year: 120000 }
            recovery: { detection: 5m }
        data:
          - name: db
            service: erp
            storage: san
            size_gb: 10
            change_rate_gb_per_hour: 1
            costs: { loss_per_hour: 1000, loss_per_gb: 2.5 }
            backups:
              - { name: nightly, interval: 1d, destination: offsite, restore: { throughput_gb_per_hour: 10 }, cost_per_year: 3000 }
            replication:
              - { mode: async, to: { site: dr }, lag: 5m, cost_per_year: 1.5e4 }
        """;

    public static TheoryData<string, string, string, string, int> Cases => new()
    {
        { "negative outage penalty", Base + Service + "    costs: { outage_per_hour: -1 }\n", "services[0].costs.outage_per_hour", "'-1' is out of range; expected a finite number >= 0", 9 },
        { "infinite incident penalty", Base + Service + "    costs: { per_incident: .inf }\n", "services[0].costs.per_incident", "'.inf' is out of range", 9 },
        { "misspelt service cost key", Base + Service + "    costs: { outage_per_hr: 10 }\n", "services[0].costs.outage_per_hr", "(did you mean 'outage_per_hour'?)", 9 },
        { "service costs not a mapping", Base + Service + "    costs: 20000\n", "services[0].costs", "expected a mapping (a service's costs", 9 },
        { "NaN loss penalty", Base + Service + Data + "    costs: { loss_per_hour: .nan }\n", "data[0].costs.loss_per_hour", "'.nan' is out of range", 15 },
        { "money with a currency sign", Base + Service + Data + "    costs: { loss_per_gb: $5 }\n", "data[0].costs.loss_per_gb", "'$5' is not a valid number", 15 },
        { "misspelt data cost key", Base + Service + Data + "    costs: { loss_per_hours: 5 }\n", "data[0].costs.loss_per_hours", "(did you mean 'loss_per_hour'?)", 15 },
        { "negative backup cost", Base + Service + Data + "    backups:\n      - { name: b, interval: 1h, destination: offsite, restore: { throughput_gb_per_hour: 10 }, cost_per_year: -3000 }\n", "data[0].backups[0].cost_per_year", "'-3000' is out of range", 16 },
        { "misspelt replication cost", Base + Service + Data + "    replication:\n      - { mode: sync, to: { site: dr }, cost_per_yer: 10 }\n", "data[0].replication[0].cost_per_yer", "(did you mean 'cost_per_year'?)", 16 },
        { "standby cost not a number", Base + "services:\n  - name: erp\n    site: hq\n    standby: { site: dr, cost_per_year: lots }\n    recovery: { detection: 5m }\n", "services[0].standby.cost_per_year", "'lots' is not a valid number", 8 },
        { "other cost without per_year", Base + "other_costs:\n  - { name: insurance }\n", "other_costs[0]", "missing required key 'per_year'", 6 },
        { "other cost negative", Base + "other_costs:\n  - { name: insurance, per_year: -5 }\n", "other_costs[0].per_year", "'-5' is out of range", 6 },
        { "misspelt other_costs", Base + "other_cost: []\n", "other_cost", "(did you mean 'other_costs'?)", 5 },
    };

    [Fact]
    public void Parse_AllCostKeys_AttachesCostsWhereTheProtectionLives()
    {
        LoadResult result = ScenarioLoader.Parse(Costed, "costed.yaml");

        Assert.True(result.Success, string.Join("\n", result.Diagnostics));
        Scenario s = result.Scenario!;
        Assert.Equal("EUR", s.Currency);
        Assert.Equal(new[] { new OtherCost("monitoring", 1200), new OtherCost("dr-tests", 0) }, s.OtherCosts.ToArray());
        Assert.Equal(new ServiceCosts(20000, 5000), s.Services[0].Costs);
        Assert.Equal(120000, s.Services[0].Standby!.CostPerYear);
        Assert.Equal(new DataSetCosts(1000, 2.5), s.DataSets[0].Costs);
        Assert.Equal(3000, s.DataSets[0].Backups[0].CostPerYear);
        Assert.Equal(15000, s.DataSets[0].Replications[0].CostPerYear);
    }

    [Fact]
    public void Parse_NoCostKeys_EverythingFreeAndNoCurrency()
    {
        LoadResult result = ScenarioLoader.Parse(Base + Service + Data, "free.yaml");

        Assert.True(result.Success, string.Join("\n", result.Diagnostics));
        Scenario s = result.Scenario!;
        Assert.Null(s.Currency);
        Assert.Empty(s.OtherCosts);
        Assert.Equal(ServiceCosts.None, s.Services[0].Costs);
        Assert.Equal(DataSetCosts.None, s.DataSets[0].Costs);
    }

    [Fact]
    public void Parse_PartialServiceCosts_MissingOneIsZero()
    {
        LoadResult result = ScenarioLoader.Parse(Base + Service + "    costs: { per_incident: 700 }\n", "partial.yaml");

        Assert.True(result.Success, string.Join("\n", result.Diagnostics));
        Assert.Equal(new ServiceCosts(0, 700), result.Scenario!.Services[0].Costs);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Parse_BrokenCost_ReportsPathValueAndLine(string caseName, string yaml, string path, string contains, int line)
    {
        LoadResult result = ScenarioLoader.Parse(yaml, "broken.yaml");

        Assert.False(result.Success, caseName);
        string all = string.Join("\n", result.Diagnostics);
        Diagnostic? d = result.Diagnostics.FirstOrDefault(x => x.Path == path && x.Message.Contains(contains, StringComparison.Ordinal));
        Assert.True(d is not null, $"{caseName}: no diagnostic at '{path}' containing \"{contains}\"; got:\n{all}");
        Assert.Equal(Severity.Error, d.Severity);
        Assert.True(line == d.Line, $"{caseName}: expected line {line}, got {d}");
    }
}
