using System.Text.RegularExpressions;
using DisasterSim.Cli;
using DisasterSim.Tests.Scenarios;

namespace DisasterSim.Tests.Cli;

/// <summary>run --precision end to end on a shipped scenario: batches until the statistic is precise, the files of a plain run of as many trials.</summary>
public sealed partial class RunPrecisionTests : IDisposable
{
    private static readonly string Scenario3 = Path.Combine(ShippedScenarioTests.ScenarioDirectory, "03-hourly-async-dr.yaml");
    private readonly string _root = Path.Combine(Path.GetTempPath(), "disastersim-precision-" + Guid.NewGuid().ToString("N"));
    private readonly StringWriter _stdout = new();
    private readonly StringWriter _stderr = new();

    public RunPrecisionTests() => Directory.CreateDirectory(_root);

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

    [Theory]
    [InlineData("downtime.p95", "5%")]
    [InlineData("downtime", "3%")]
    [InlineData("rto[erp].p99", "0.05h")]
    public void Run_Precision_ConvergesWithTheFilesOfAPlainRunOfThatManyTrials(string metric, string precision)
    {
        int code = Invoke("run", Scenario3, "--precision", precision, "--precision-metric", metric, "--trials", "500", "--max-trials", "50000", "-t", "2", "--out", Out("p"));

        Assert.True(code == ExitCodes.Success, _stderr.ToString());
        var match = Converged().Match(_stderr.ToString());
        Assert.True(match.Success, _stderr.ToString());
        Assert.Equal("converged", match.Groups[1].Value);
        string trials = match.Groups[2].Value;
        Assert.Contains($"95% CI half-width of {DisasterSim.Engine.Comparison.PrecisionStatistic.Parse(metric)} within", _stderr.ToString(), StringComparison.Ordinal);
        Assert.True(long.Parse(trials, System.Globalization.CultureInfo.InvariantCulture) > 500, "the first batch alone should not be precise enough here");

        Assert.Equal(ExitCodes.Success, Invoke("run", Scenario3, "--trials", trials, "-t", "1", "--out", Out("plain")));
        foreach (string file in new[] { "summary.csv", "trials.csv", "incidents.csv", "metadata.json" })
        {
            Assert.True(File.ReadAllBytes(Path.Combine(Out("p"), file)).SequenceEqual(File.ReadAllBytes(Path.Combine(Out("plain"), file))), file + " differs");
        }
    }

    [Fact]
    public void Run_UnreachablePrecision_SaysNotConvergedAndStopsAtMaxTrials()
    {
        int code = Invoke("run", Scenario3, "--precision", "0.01%", "--trials", "300", "--max-trials", "700", "--summary-only", "--out", Out("n"));

        Assert.True(code == ExitCodes.Success, _stderr.ToString());
        var match = Converged().Match(_stderr.ToString());
        Assert.Equal("NOT converged", match.Groups[1].Value);
        Assert.Equal("700", match.Groups[2].Value);
        Assert.Contains("\"trials\": 700", File.ReadAllText(Path.Combine(Out("n"), "metadata.json")), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--shard", "0/2", "--shard")]
    [InlineData("--trials-from", "10", "--trials-from")]
    [InlineData("--resume", null, "--resume")]
    public void Run_PrecisionWithFixedTrials_UsageErrorNamingTheOption(string option, string? value, string named)
    {
        string[] args = value is null
            ? ["run", Scenario3, "--precision", "2%", option, "--out", Out("x")]
            : ["run", Scenario3, "--precision", "2%", option, value, "--out", Out("x")];

        Assert.Equal(ExitCodes.UsageError, Invoke(args));
        Assert.Contains($"--precision cannot be combined with {named}", _stderr.ToString(), StringComparison.Ordinal);
        Assert.False(Directory.Exists(Out("x")));
    }

    [Theory]
    [InlineData("--precision-metric", "downtime.p97", "p97")]
    [InlineData("--precision-metric", "uptime", "uptime")]
    [InlineData("--precision-metric", "rto[nope].p99", "nope")]
    [InlineData("--precision", "0%", "0%")]
    [InlineData("--max-trials", "1", "--max-trials must be at least 2; got 1")]
    public void Run_BadPrecisionOption_UsageErrorNamingTheValue(string option, string value, string named)
    {
        string[] args = option == "--precision" ? ["run", Scenario3, option, value] : ["run", Scenario3, "--precision", "2%", option, value, "--out", Out("x")];

        Assert.Equal(ExitCodes.UsageError, Invoke(args));
        Assert.Contains(named, _stderr.ToString(), StringComparison.Ordinal);
    }

    private string Out(string name) => Path.Combine(_root, name);

    private int Invoke(params string[] args) => Program.Run(args, _stdout, _stderr);

    [GeneratedRegex(@"Precision: (converged|NOT converged) after (\d+) trials")]
    private static partial Regex Converged();
}
