using DisasterSim.Cli;
using DisasterSim.Cli.Output;
using DisasterSim.Engine.Tracing;
using DisasterSim.Tests.Engine.Tracing;
using DisasterSim.Tests.Scenarios;

namespace DisasterSim.Tests.Cli;

public sealed class TraceCommandTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "disastersim-trace-" + Guid.NewGuid().ToString("N"));

    public static TheoryData<string> Cultures => ["", "de-DE"];

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Theory]
    [MemberData(nameof(Cultures))]
    public void WriteText_HandBuiltTrial_MatchesGolden(string culture)
    {
        using var scope = new CultureScope(culture);
        using var writer = new StringWriter();

        TraceFormatter.WriteText(writer, TrialTrace.Run(TraceScenario.Build(), seed: 1, trial: 0));

        GoldenFiles.AssertMatches("trace.txt", writer.ToString());
    }

    [Theory]
    [MemberData(nameof(Cultures))]
    public void WriteCsv_HandBuiltTrial_MatchesGolden(string culture)
    {
        using var scope = new CultureScope(culture);
        using var writer = new StringWriter();

        TraceFormatter.WriteCsv(writer, TrialTrace.Run(TraceScenario.Build(), seed: 1, trial: 0));

        GoldenFiles.AssertMatches("trace.csv", writer.ToString());
    }

    [Fact]
    public void WriteText_QuietComponents_LeavesOutUpAndDownButKeepsFailures()
    {
        using var writer = new StringWriter();

        TraceFormatter.WriteText(writer, TrialTrace.Run(TraceScenario.Build(), seed: 1, trial: 0), quietComponents: true);

        string text = writer.ToString();
        Assert.DoesNotContain("component 'san' down", text, StringComparison.Ordinal);
        Assert.Contains("component 'power' fails on its own", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Trace_WorstTrialOfShippedRun_PrintsItsTrialsCsvRowExactly()
    {
        string scenario = Path.Combine(ShippedScenarioTests.ScenarioDirectory, "03-hourly-async-dr.yaml");
        string outDir = Path.Combine(_root, "out");
        var (runCode, _, runErr) = Invoke("run", scenario, "--trials", "3000", "--seed", "99", "--out", outDir, "--no-progress", "--threads", "2");
        Assert.True(runCode == ExitCodes.Success, runErr);
        string[] rows = File.ReadAllLines(Path.Combine(outDir, "trials.csv"));
        int costColumn = Array.IndexOf(rows[0].Split(','), "cost");
        string worst = rows.Skip(1).MaxBy(r => double.Parse(r.Split(',')[costColumn], System.Globalization.CultureInfo.InvariantCulture))!;
        string trial = worst.Split(',')[0];

        var (code, stdout, stderr) = Invoke("trace", scenario, "--trial", trial, "--seed", "99");

        Assert.True(code == ExitCodes.Success, stderr);
        string[] lines = stdout.TrimEnd('\n').Split('\n');
        Assert.Equal(rows[0], lines[^2]);
        Assert.Equal(worst, lines[^1]);
        Assert.Contains("= incident of 'erp'", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Trace_CsvFormat_WritesHeaderAndOneRowPerStep()
    {
        string scenario = Path.Combine(ShippedScenarioTests.ScenarioDirectory, "01-nightly-onsite-fire.yaml");

        var (code, stdout, stderr) = Invoke("trace", scenario, "--trial", "0", "--format", "csv", "--quiet-components");

        Assert.True(code == ExitCodes.Success, stderr);
        Assert.StartsWith(string.Join(",", TraceFormatter.CsvColumns) + "\n", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(",component_down,", stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("abc")]
    public void Trace_BadTrial_UsageError(string trial)
    {
        var (code, _, stderr) = Invoke("trace", "x.yaml", "--trial", trial);

        Assert.Equal(ExitCodes.UsageError, code);
        Assert.Contains("--trial must be a whole number of at least 0", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Trace_WithoutTrial_UsageError()
    {
        var (code, _, stderr) = Invoke("trace", "x.yaml");

        Assert.Equal(ExitCodes.UsageError, code);
        Assert.Contains("--trial", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Trace_MissingScenario_InvalidScenario()
    {
        var (code, _, stderr) = Invoke("trace", Path.Combine(_root, "none.yaml"), "--trial", "0");

        Assert.Equal(ExitCodes.InvalidScenario, code);
        Assert.Contains("file not found", stderr, StringComparison.Ordinal);
    }

    private static (int Code, string Stdout, string Stderr) Invoke(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        int code = Program.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
