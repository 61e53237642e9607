using DisasterSim.Models;
using DisasterSim.Models.Loading;
using DisasterSim.Models.Variants;
using DisasterSim.Tests.Scenarios;

namespace DisasterSim.Tests.Models.Variants;

/// <summary>The override path syntax: parsing, applying to the YAML tree, and the errors a bad path gets.</summary>
public sealed class VariantLoaderTests
{
    private static readonly string Scenario3 = Path.Combine(ShippedScenarioTests.ScenarioDirectory, "03-hourly-async-dr.yaml");

    private static LoadResult Load(params string[] overrides) =>
        VariantLoader.Load(Scenario3, overrides.Select(ScenarioOverride.Parse).ToList());

    private static Scenario Loaded(params string[] overrides)
    {
        var result = Load(overrides);
        Assert.True(result.Success, string.Join("\n", result.Diagnostics));
        return result.Scenario!;
    }

    [Fact]
    public void ParsePath_NamesIndicesAndKeys_GivesSteps()
    {
        var steps = ScenarioOverride.ParsePath("data[erp-db].backups[0].interval");

        Assert.Equal([new PathStep("data", "erp-db"), new PathStep("backups", "0"), new PathStep("interval", null)], steps);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("data[erp-db", "never closed")]
    [InlineData("data[].x", "selects nothing")]
    [InlineData("threats..rate", "key is missing")]
    [InlineData("threats.", "ends with '.'")]
    [InlineData("data[a]x", "expected '.'")]
    public void ParsePath_Malformed_ThrowsNamingTheProblem(string path, string expected)
    {
        var e = Assert.Throws<FormatException>(() => ScenarioOverride.ParsePath(path));

        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_NoEquals_ThrowsWithExample()
    {
        var e = Assert.Throws<FormatException>(() => ScenarioOverride.Parse("threats[fire].rate_per_year"));

        Assert.Contains("PATH=VALUE", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_BackupIntervalByName_ChangesOnlyThatValue()
    {
        var plain = ShippedScenarioTests.Load("03-hourly-async-dr.yaml");

        var varied = Loaded("data[erp-db].backups[hourly-offsite].interval=24h");

        Assert.Equal(24, varied.DataSets[0].Backups[0].IntervalHours);
        Assert.Equal(1, plain.DataSets[0].Backups[0].IntervalHours);
        Assert.Equal(plain.Threats.Select(t => t.ToString()), varied.Threats.Select(t => t.ToString()));
    }

    [Fact]
    public void Load_ThreatRateAndFlowMapping_AreApplied()
    {
        var varied = Loaded("threats[fire].rate_per_year=0.01", "threats[utility-power].duration={ dist: exponential, mean: 8h }");

        Assert.Equal(0.01, varied.Threats.Single(t => t.Name == "fire").RatePerYear);
        Assert.Equal(Distribution.ExponentialByMean(8), varied.Threats.Single(t => t.Name == "utility-power").Duration);
    }

    [Fact]
    public void Load_IndexSelector_SelectsByPosition()
    {
        var varied = Loaded("threats[4].rate_per_year=0.5");

        Assert.Equal(0.5, varied.Threats[4].RatePerYear);
    }

    [Fact]
    public void Load_UnknownItemName_ErrorListsNamesAndSuggests()
    {
        var result = Load("data[erp-db].backups[hourly].interval=1h");

        var error = Assert.Single(result.Diagnostics);
        Assert.False(result.Success);
        Assert.Contains("no item named 'hourly' in data[erp-db].backups", error.Message, StringComparison.Ordinal);
        Assert.Contains("names: hourly-offsite", error.Message, StringComparison.Ordinal);
        Assert.True(error.Line > 0);
    }

    [Fact]
    public void Load_UnknownKeyOnTheWay_ErrorSuggestsNearKey()
    {
        var result = Load("threat[fire].rate_per_year=0.01");

        var error = Assert.Single(result.Diagnostics);
        Assert.Contains("no key 'threat' at the top of the scenario", error.Message, StringComparison.Ordinal);
        Assert.Contains("Did you mean 'threats'?", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_SelectorOnMapping_ErrorSaysDropTheBrackets()
    {
        var result = Load("simulation[0].trials=5");

        Assert.Contains("is not a list", Assert.Single(result.Diagnostics).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_InvalidValue_ReportedAtTheReplacedValuesPosition()
    {
        string[] lines = File.ReadAllLines(Scenario3);
        int line = Array.FindIndex(lines, l => l.Contains("rate_per_year: 0.0033", StringComparison.Ordinal)) + 1;

        var result = Load("threats[fire].rate_per_year=-1");

        var error = Assert.Single(result.Diagnostics, d => d.Severity == Severity.Error);
        Assert.Equal(line, error.Line);
        Assert.Contains("rate_per_year", error.Path, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_NewKeyOfAMapping_IsAddedAndValidated()
    {
        var result = Load("threats[fire].rate_per_yaer=0.01");

        Assert.False(result.Success);
        Assert.Contains(result.Diagnostics, d => d.Message.Contains("rate_per_yaer", StringComparison.Ordinal));
    }

    [Fact]
    public void VariantSpec_Parse_SplitsNameAndOverrides()
    {
        var spec = VariantSpec.Parse("auto:services[erp].recovery.failover.mode=automatic;services[erp].recovery.failover.after=~");

        Assert.Equal("auto", spec.Name);
        Assert.Equal(2, spec.Overrides.Count);
        Assert.Equal("services[erp].recovery.failover.after", spec.Overrides[1].PathText);
    }

    [Fact]
    public void SweepAxis_Grid_IsEveryCombinationLastFastest()
    {
        var axes = new[] { SweepAxis.Parse("a.x=1,2"), SweepAxis.Parse("b[n].y={ dist: exponential, mean: 1h },3h") };

        var grid = SweepAxis.Grid(axes);

        Assert.Equal(["x=1,y=#1", "x=1,y=3h", "x=2,y=#1", "x=2,y=3h"], grid.Select(g => g.Variant.Name));
        Assert.Equal(["2", "3h"], grid[3].Settings);
        Assert.Equal("{ dist: exponential, mean: 1h }", grid[0].Variant.Overrides[1].ValueText);
    }

    [Fact]
    public void SweepAxis_DuplicateValue_Throws()
    {
        Assert.Throws<FormatException>(() => SweepAxis.Parse("a.x=1,1"));
    }

    [Fact]
    public void Load_FailoverModeToAutomatic_DropsAfterWhichOnlyManualTakes()
    {
        // Scenario 3's failover is manual with after: 30m; automatic with an 'after' is an error of the loader.
        var scenario = Loaded("services[erp].recovery.failover.mode=automatic");

        Assert.Equal(FailoverMode.Automatic, scenario.Services[0].Recovery.Failover!.Mode);
    }

    [Fact]
    public void Load_ReplicationModeToSync_DropsTheLag()
    {
        var scenario = Loaded("data[erp-db].replication[0].mode=sync");

        Assert.Equal(ReplicationMode.Sync, scenario.DataSets[0].Replications[0].Mode);
    }

    [Fact]
    public void SweepAxisWith_LinkedSetting_MovesTogetherInTheGrid()
    {
        var axis = SweepAxis.Parse("data[erp-db].backups[hourly-offsite].interval=1h,24h").With(SweepAxis.Parse("data[erp-db].backups[hourly-offsite].cost_per_year=9000,1200"));

        var grid = SweepAxis.Grid([axis, SweepAxis.Parse("threats[fire].rate_per_year=0.001,0.01")]);

        Assert.Equal(4, grid.Count);
        Assert.Equal(["1h", "9000", "0.001"], grid[0].Settings);
        Assert.Equal(["24h", "1200", "0.01"], grid[3].Settings);
        Assert.Equal("interval=24h,rate_per_year=0.01", grid[3].Variant.Name);
        Assert.Equal(["data[erp-db].backups[hourly-offsite].interval=24h", "data[erp-db].backups[hourly-offsite].cost_per_year=1200", "threats[fire].rate_per_year=0.01"], grid[3].Variant.Overrides.Select(o => o.ToString()));
    }

    [Fact]
    public void SweepAxisWith_DifferentValueCount_ThrowsNamingBoth()
    {
        var e = Assert.Throws<FormatException>(() => SweepAxis.Parse("a.b=1,2").With(SweepAxis.Parse("c.d=1,2,3")));

        Assert.Contains("c.d has 3 values", e.Message, StringComparison.Ordinal);
        Assert.Contains("a.b, has 2", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseGrid_CsvOfPaths_ColumnsMoveTogether()
    {
        var axis = SweepAxis.ParseGrid("# interval and its price\na.interval,a.cost_per_year\n1h,9000\n24h,1200\n", "grid.csv");

        Assert.Equal(["1h", "24h"], axis.Values);
        Assert.Equal(["9000", "1200"], Assert.Single(axis.Linked).Values);
    }

    [Theory]
    [InlineData("a.x,a.y\n1h\n", "grid.csv:2: 1 values for 2 columns")]
    [InlineData("a.x\n", "needs a header")]
    [InlineData("a.x\n1h\n1h\n", "lists a value twice")]
    public void ParseGrid_Malformed_ThrowsNamingTheLine(string text, string expected)
    {
        var e = Assert.Throws<FormatException>(() => SweepAxis.ParseGrid(text, "grid.csv"));

        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }
}
