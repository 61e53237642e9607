using DisasterSim.Cli.Commands;
using DisasterSim.Cli;
using DisasterSim.Cli.Output;
using DisasterSim.Tests.Scenarios;

namespace DisasterSim.Tests.Cli;

/// <summary>compare, sweep and batch end to end on a shipped scenario with few trials.</summary>
public sealed class ComparisonCommandTests : IDisposable
{
    private static readonly string Scenario3 = Path.Combine(ShippedScenarioTests.ScenarioDirectory, "03-hourly-async-dr.yaml");
    private readonly string _root = Path.Combine(Path.GetTempPath(), "disastersim-compare-" + Guid.NewGuid().ToString("N"));
    private readonly StringWriter _stdout = new();
    private readonly StringWriter _stderr = new();

    public ComparisonCommandTests() => Directory.CreateDirectory(_root);

    private string Out(string name) => Path.Combine(_root, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }

    [Fact]
    public void Compare_Variants_WritesFilesAndIdenticalVariantDiffersByZero()
    {
        int code = Invoke("compare", Scenario3, "-n", "1500", "-t", "2", "--out", Out("c"),
            "--variant", "same:data[erp-db].backups[hourly-offsite].interval=1h",
            "--variant", "no-repl:data[erp-db].replication=[]");

        Assert.True(code == ExitCodes.Success, _stderr.ToString());
        foreach (string file in new[] { "compare.csv", "exceedance.csv", "exceedance-downtime.svg", "exceedance-downtime.png", "exceedance-loss.svg", "histogram-downtime.png", "histogram-loss.svg", "difference-downtime_erp_.png", "metadata.json" })
        {
            Assert.True(File.Exists(Path.Combine(Out("c"), file)), file);
        }

        var rows = ReadCsv(Path.Combine(Out("c"), "compare.csv"));
        Assert.Equal(ComparisonOutputs.CompareColumns, rows[0]);
        int metric = Column(rows, "metric");
        int name = Column(rows, "name");
        int per = Column(rows, "per");
        int variant = Column(rows, "variant");
        int diff = Column(rows, "diff_mean");
        int significant = Column(rows, "significant");
        var downtime = rows.Skip(1).Where(r => r[metric] == "downtime" && r[name] == "erp" && r[per] == "trial").ToDictionary(r => r[variant]);
        Assert.Equal("", downtime["baseline"][diff]);
        Assert.Equal("0", downtime["same"][diff]);
        Assert.Equal("0", downtime["same"][significant]);
        Assert.Equal("1", downtime["no-repl"][significant]);
        Assert.True(double.Parse(downtime["no-repl"][diff], System.Globalization.CultureInfo.InvariantCulture) > 0);
        Assert.Contains("Holm", _stdout.ToString(), StringComparison.Ordinal);
        string metadata = File.ReadAllText(Path.Combine(Out("c"), "metadata.json"));
        Assert.Contains("\"no-repl\"", metadata, StringComparison.Ordinal);
        Assert.Contains("data[erp-db].replication=[]", metadata, StringComparison.Ordinal);
        Assert.DoesNotContain(_root, metadata, StringComparison.Ordinal);
    }

    [Fact]
    public void Compare_ThreadCount_DoesNotChangeTheFiles()
    {
        string[] args = ["compare", Scenario3, "-n", "1200", "--variant", "nightly:data[erp-db].backups[hourly-offsite].interval=24h"];

        Assert.Equal(ExitCodes.Success, Invoke([.. args, "-t", "1", "--out", Out("t1")]));
        Assert.Equal(ExitCodes.Success, Invoke([.. args, "-t", "2", "--out", Out("t2")]));

        foreach (string file in Directory.GetFiles(Out("t1")).Select(f => Path.GetFileName(f)))
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(Out("t1"), file)), File.ReadAllBytes(Path.Combine(Out("t2"), file)));
        }
    }

    [Fact]
    public void Compare_BadVariantPath_ExitsInvalidScenarioWithPreciseError()
    {
        int code = Invoke("compare", Scenario3, "-n", "100", "--out", Out("bad"), "--variant", "x:data[erp-db].backups[nightly].interval=1h");

        Assert.Equal(ExitCodes.InvalidScenario, code);
        string error = _stderr.ToString();
        Assert.Contains("variant x:", error, StringComparison.Ordinal);
        Assert.Contains("no item named 'nightly' in data[erp-db].backups", error, StringComparison.Ordinal);
        Assert.Contains("hourly-offsite", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Out("bad")));
    }

    [Fact]
    public void Compare_OneFileWithoutVariants_IsAUsageError()
    {
        Assert.Equal(ExitCodes.UsageError, Invoke("compare", Scenario3));
        Assert.Contains("at least two scenario files", _stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Compare_Precision_ReportsConvergence()
    {
        int code = Invoke("compare", Scenario3, Scenario3, "-n", "500", "--precision", "50%", "--max-trials", "2000", "--out", Out("p"));

        Assert.True(code == ExitCodes.Success, _stderr.ToString());
        Assert.Contains("Precision: converged after 500 trials", _stderr.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--precision", "abc")]
    [InlineData("--precision", "0%")]
    [InlineData("--precision-metric", "rto")]
    [InlineData("--trials", "1")]
    public void Compare_BadOption_IsAUsageError(string option, string value)
    {
        Assert.Equal(ExitCodes.UsageError, Invoke("compare", Scenario3, Scenario3, option, value));
    }

    [Fact]
    public void Sweep_Grid_OneRowPerCombinationWithParetoAndCheapest()
    {
        int code = Invoke("sweep", Scenario3, "-n", "1500", "--out", Out("s"),
            "--set", "services[erp].recovery.failover.after=15m,2h",
            "--set", "data[erp-db].replication[0].lag={ dist: lognormal, median: 30s, p90: 5m },{ dist: lognormal, median: 5m, p90: 30m }",
            "--target", "rto.p95<=1d", "--target", "rpo.p99<=1d");

        Assert.True(code == ExitCodes.Success, _stderr.ToString());
        var rows = ReadCsv(Path.Combine(Out("s"), "sweep.csv"));
        Assert.Equal(5, rows.Count);
        Assert.Equal(["after=15m,lag=#1", "after=15m,lag=#2", "after=2h,lag=#1", "after=2h,lag=#2"], rows.Skip(1).Select(r => r[0]));
        Assert.Equal("{ dist: lognormal, median: 5m, p90: 30m }", rows[2][2]);
        Assert.Equal("services[erp].recovery.failover.after", rows[0][1]);
        Assert.Equal(1, rows.Skip(1).Count(r => r[Column(rows, "cheapest_meeting_targets")] == "1"));
        Assert.Equal(1, rows.Skip(1).Count(r => r[Column(rows, "lowest_total_cost")] == "1"));
        Assert.All(rows.Skip(1), r => Assert.Equal("1", r[Column(rows, "meets_targets")]));

        // A slower replica loses more on every failover and changes no downtime: dominated. Failing over later trades
        // downtime for data (waiting for the primary loses nothing), so both decision times stay on the front.
        int front = Column(rows, "pareto_front");
        Assert.Equal(["1", "0", "1", "0"], rows.Skip(1).Select(r => r[front]));
        Assert.True(File.Exists(Path.Combine(Out("s"), "pareto-rto.p95-rpo.p95.png")));
        Assert.Contains("Cheapest variant meeting every target: after=", _stdout.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Sweep_WithAndModeChange_LinkedSettingsAndAfterDroppedForAutomatic()
    {
        // Automatic failover takes no 'after': the override drops it, so mode can be swept alone.
        int code = Invoke("sweep", Scenario3, "-n", "500", "--out", Out("w"),
            "--set", "data[erp-db].backups[hourly-offsite].interval=1h,24h",
            "--with", "data[erp-db].backups[hourly-offsite].cost_per_year=9000,1200",
            "--set", "services[erp].recovery.failover.mode=manual,automatic");

        Assert.True(code == ExitCodes.Success, _stderr.ToString());
        var rows = ReadCsv(Path.Combine(Out("w"), "sweep.csv"));
        int price = Column(rows, "data[erp-db].backups[hourly-offsite].cost_per_year");
        int protection = Column(rows, "protection_cost_annual");
        Assert.Equal(["9000", "9000", "1200", "1200"], rows.Skip(1).Select(r => r[price]));
        Assert.Equal(["149000", "149000", "141200", "141200"], rows.Skip(1).Select(r => r[protection]));
        string metadata = File.ReadAllText(Path.Combine(Out("w"), "metadata.json"));
        Assert.Contains("\"--with\",\n    \"data[erp-db].backups[hourly-offsite].cost_per_year=9000,1200\"", metadata, StringComparison.Ordinal);
    }

    [Fact]
    public void Sweep_WithBeforeAnySet_UsageErrorSaysSo()
    {
        int code = Invoke("sweep", Scenario3, "--with", "threats[fire].rate_per_year=0.1,0.2");

        Assert.Equal(ExitCodes.UsageError, code);
        Assert.Contains("has no --set before it", _stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Sensitivity_OneAtATime_BaselineIsThePlainRunAndAnUnchangedValueMovesNothing()
    {
        // rate_per_year of the fire at its own value (0.0033) on the low side: the same scenario, so the difference is exactly 0.
        int code = Invoke("sensitivity", Scenario3, "-n", "800", "--out", Out("t"), "--metric", "downtime",
            "--vary", "threats[fire].rate_per_year=0.0033,0.05",
            "--vary", "services[erp].recovery.failover.after=5m,4h");

        Assert.True(code == ExitCodes.Success, _stderr.ToString());
        var rows = ReadCsv(Path.Combine(Out("t"), "sensitivity.csv"));
        Assert.Equal(SensitivityCommand.Columns, rows[0]);
        Assert.Equal(5, rows.Count);
        int mean = Column(rows, "mean");
        int baseline = Column(rows, "baseline_mean");
        int diff = Column(rows, "diff_mean");
        Assert.Equal(["threats[fire].rate_per_year", "low", "0.0033"], rows[1][..3]);
        Assert.Equal("0", rows[1][diff]);
        Assert.Equal(rows[1][baseline], rows[1][mean]);
        Assert.True(double.Parse(rows[2][diff], System.Globalization.CultureInfo.InvariantCulture) > 0, "more fires, more downtime");
        Assert.True(double.Parse(rows[4][diff], System.Globalization.CultureInfo.InvariantCulture) > 0, "a later failover, more downtime");

        Assert.Equal(ExitCodes.Success, Invoke("run", Scenario3, "-n", "800", "--out", Out("plain"), "--no-progress"));
        var summary = ReadCsv(Path.Combine(Out("plain"), "summary.csv"));
        Assert.Equal(rows[1][baseline], summary[1][Column(summary, "mean")]);
        Assert.True(File.Exists(Path.Combine(Out("t"), "tornado.png")));
    }

    [Fact]
    public void Sensitivity_ThreeValues_UsageErrorAsksForLowAndHigh()
    {
        int code = Invoke("sensitivity", Scenario3, "--vary", "threats[fire].rate_per_year=0.001,0.01,0.1");

        Assert.Equal(ExitCodes.UsageError, code);
        Assert.Contains("give exactly two, the low and the high", _stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Sweep_ImpossibleTarget_SaysNoVariantMeetsIt()
    {
        int code = Invoke("sweep", Scenario3, "-n", "500", "--out", Out("none"), "--set", "threats[fire].rate_per_year=0.0033,0.01", "--target", "rto.p99<=1m");

        Assert.Equal(ExitCodes.Success, code);
        Assert.Contains("No variant meets every target", _stdout.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Sweep_UnknownEntityInTarget_IsAUsageError()
    {
        int code = Invoke("sweep", Scenario3, "-n", "100", "--out", Out("u"), "--set", "threats[fire].rate_per_year=0.01", "--target", "rto[crm].p95<=4h");

        Assert.Equal(ExitCodes.UsageError, code);
        Assert.Contains("no service named 'crm'; services: erp", _stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Batch_Directory_WritesCombinedSummaryAndSubfolders()
    {
        string input = Out("in");
        Directory.CreateDirectory(input);
        File.Copy(Scenario3, Path.Combine(input, "a.yaml"));
        File.Copy(Path.Combine(ShippedScenarioTests.ScenarioDirectory, "02-nightly-offsite.yaml"), Path.Combine(input, "b.yaml"));
        File.WriteAllText(Path.Combine(input, "notes.txt"), "not a scenario");

        int code = Invoke("batch", input, "-n", "300", "--out", Out("b"));

        Assert.True(code == ExitCodes.Success, _stderr.ToString());
        var rows = ReadCsv(Path.Combine(Out("b"), "summary.csv"));
        Assert.Equal(["scenario", .. CsvOutputs.SummaryColumns], rows[0]);
        Assert.Equal(["a", "b"], rows.Skip(1).Select(r => r[0]).Distinct());
        Assert.True(File.Exists(Path.Combine(Out("b"), "a", "trials.csv")));
        Assert.True(File.Exists(Path.Combine(Out("b"), "b", "exceedance.csv")));
    }

    [Fact]
    public void Sweep_Race_SaysEachVariantsTrialsAndWhyItWasDropped()
    {
        int code = Invoke("sweep", Scenario3, "--race", "-n", "2000", "--max-trials", "32000", "--out", Out("r"),
            "--set", "services[erp].recovery.failover.after=15m,2h",
            "--set", "data[erp-db].replication[0].lag=30s,4h",
            "--target", "rto.p95<=4h", "--target", "rpo.p95<=1h");

        Assert.True(code == ExitCodes.Success, _stderr.ToString());
        var rows = ReadCsv(Path.Combine(Out("r"), "sweep.csv"));
        int race = Column(rows, "race");
        int trials = Column(rows, "trials");
        int cheapest = Column(rows, "cheapest_meeting_targets");
        var byName = rows.Skip(1).ToDictionary(r => r[0]);
        Assert.Equal("kept", byName["after=15m,lag=30s"][race]);
        Assert.Equal("1", byName["after=15m,lag=30s"][cheapest]);
        Assert.StartsWith("dropped: costs more than after=15m,lag=30s", byName["after=2h,lag=30s"][race], StringComparison.Ordinal);
        Assert.StartsWith("dropped: fails rpo.p95<=1h", byName["after=15m,lag=4h"][race], StringComparison.Ordinal);
        Assert.All(rows.Skip(1).Where(r => r[race] != "kept"), r => Assert.True(long.Parse(r[trials], System.Globalization.CultureInfo.InvariantCulture) < 32_000));
        Assert.Contains("Race: decided", _stderr.ToString(), StringComparison.Ordinal);
        Assert.Contains("raced on common random numbers", _stdout.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Sweep_TargetsWithPrecision_RaceByDefault()
    {
        int code = Invoke("sweep", Scenario3, "-n", "1000", "--max-trials", "4000", "--precision", "50%", "--out", Out("p"),
            "--set", "services[erp].recovery.failover.after=15m,2h", "--target", "rto.p95<=4h");

        Assert.True(code == ExitCodes.Success, _stderr.ToString());
        Assert.Contains("Race:", _stderr.ToString(), StringComparison.Ordinal);
        Assert.Contains("race", File.ReadLines(Path.Combine(Out("p"), "sweep.csv")).First(), StringComparison.Ordinal);
    }

    [Fact]
    public void Sweep_RaceAndNoRace_IsAUsageError()
    {
        Assert.Equal(ExitCodes.UsageError, Invoke("sweep", Scenario3, "--race", "--no-race", "--set", "services[erp].recovery.failover.after=15m,2h"));

        Assert.Contains("--race and --no-race contradict each other", _stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Batch_NoMatch_ExitsInvalidScenario()
    {
        Assert.Equal(ExitCodes.InvalidScenario, Invoke("batch", Path.Combine(_root, "nothing-*.yaml"), "--out", Out("n")));
        Assert.Contains("matches no scenario file", _stderr.ToString(), StringComparison.Ordinal);
    }

    private static int Column(List<string[]> rows, string name) => CsvTable.Column(rows, name);

    private static List<string[]> ReadCsv(string path) => CsvTable.Read(path);

    private int Invoke(params string[] args) => Program.Run(args, _stdout, _stderr);
}
