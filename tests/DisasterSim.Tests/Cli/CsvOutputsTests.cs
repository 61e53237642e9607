using System.Text;
using DisasterSim.Cli.Output;
using DisasterSim.Engine.MonteCarlo;

namespace DisasterSim.Tests.Cli;

public sealed class CsvOutputsTests
{
    public static TheoryData<string> Cultures => ["", "de-DE"];

    [Theory]
    [MemberData(nameof(Cultures))]
    public void WriteSummary_AnyCulture_MatchesGolden(string culture)
    {
        using var scope = new CultureScope(culture);
        GoldenFiles.AssertMatches("summary.csv", Write((w, r) => CsvOutputs.WriteSummary(w, r, Causes(r)), RunResultFixture.Create()));
    }

    [Theory]
    [MemberData(nameof(Cultures))]
    public void WriteTrials_AnyCulture_MatchesGolden(string culture)
    {
        using var scope = new CultureScope(culture);
        GoldenFiles.AssertMatches("trials.csv", Write((w, r) => CsvOutputs.WriteTrials(w, r), RunResultFixture.Create()));
    }

    [Theory]
    [MemberData(nameof(Cultures))]
    public void WriteIncidents_AnyCulture_MatchesGolden(string culture)
    {
        using var scope = new CultureScope(culture);
        GoldenFiles.AssertMatches("incidents.csv", Write((w, r) => CsvOutputs.WriteIncidents(w, r), RunResultFixture.Create()));
    }

    [Fact]
    public void WriteIncidents_FormulaLikeServiceName_IsNeutralisedButNegativeNumberIsNot()
    {
        var result = RunResultFixture.Create(serviceName: "=HYPERLINK(\"http://x\",\"y\")", detectionDelayHours: -0.5);

        string[] rows = Write((w, r) => CsvOutputs.WriteIncidents(w, r), result).Split('\n');

        Assert.StartsWith("0,\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",10.5,", rows[1], StringComparison.Ordinal);
        Assert.Contains(",1,-0.5,failed_over,", rows[1], StringComparison.Ordinal);
    }

    [Fact]
    public void WriteSummary_FormulaLikeNames_AreNeutralisedButNegativeNumbersAreNot()
    {
        var result = RunResultFixture.Create(serviceName: "@cmd", dataSetName: "-orders");

        string[] rows = Write((w, r) => CsvOutputs.WriteSummary(w, r, Causes(r)), result).Split('\n');

        Assert.StartsWith("service,\"'@cmd\",,,downtime,trial,hours,3,41.4166667,-30.5,", rows[1], StringComparison.Ordinal);
        Assert.Contains("\ndata,\"'-orders\",,,loss,trial,hours,3,2922.66667,-2000,", string.Join("\n", rows), StringComparison.Ordinal);
    }

    [Fact]
    public void WriteIncidents_UndetectedIncident_HasNoDetectionDelay()
    {
        // The fixture's second incident ended by itself before its drawn detection delay of 1.5 h.
        string[] rows = Write((w, r) => CsvOutputs.WriteIncidents(w, r), RunResultFixture.Create()).Split('\n');

        Assert.Contains(",1,0.25,failed_over,", rows[1], StringComparison.Ordinal);
        Assert.Contains(",0,,self_recovered,", rows[2], StringComparison.Ordinal);
    }

    [Fact]
    public void WriteTrials_FormulaLikeNames_NeutralisedInHeader()
    {
        var result = RunResultFixture.Create(serviceName: "+shop", dataSetName: "\torders");

        string header = Write((w, r) => CsvOutputs.WriteTrials(w, r), result).Split('\n')[0];

        Assert.Equal("trial,\"'+shop.downtime_h\",\"'+shop.incidents\",\"'+shop.planned_h\",\"'\torders.loss_h\",\"'\torders.loss_gb\",cost,cost.protection,cost.penalties", header);
    }

    [Fact]
    public void WriteTrials_NoIncidents_OneRowPerTrialAndNewlineOnly()
    {
        string text = Write((w, r) => CsvOutputs.WriteTrials(w, r), RunResultFixture.Create());

        Assert.DoesNotContain('\r', text);
        Assert.Equal(1 + 3, text.TrimEnd('\n').Split('\n').Length);
    }

    [Fact]
    public void WriteTrials_Cancelled_Throws()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.Throws<OperationCanceledException>(() => CsvOutputs.WriteTrials(TextWriter.Null, RunResultFixture.Create(), cancelled.Token));
    }

    [Theory]
    [InlineData("SelfRecovered", "self_recovered")]
    [InlineData("WaitedForPrimary", "waited_for_primary")]
    [InlineData("FailedOver", "failed_over")]
    [InlineData("Restored", "restored")]
    [InlineData("FailedOverAndRestored", "failed_over_and_restored")]
    [InlineData("RebuiltEmpty", "rebuilt_empty")]
    [InlineData("Unresolved", "unresolved")]
    [InlineData("ComponentFailure", "component_failure")]
    [InlineData("Threat", "threat")]
    public void SnakeCase_EnumMemberName_IsLowerSnakeCase(string name, string expected) =>
        Assert.Equal(expected, CsvOutputs.SnakeCase(name));

    [Theory]
    [InlineData(0, "2026-01-01T00:00:00")]
    [InlineData(8733.9, "2026-12-30T21:54:00")]
    [InlineData(8765.9, "2027-01-01T05:54:00")]
    [InlineData(0.0001, "2026-01-01T00:00:00")]
    [InlineData(double.NaN, "")]
    [InlineData(double.PositiveInfinity, "")]
    [InlineData(-1e300, "")]
    public void FormatStartTime_Hours_IsIsoToNearestSecond(double hours, string expected)
    {
        using var scope = new CultureScope("de-DE");

        Assert.Equal(expected, CsvOutputs.FormatStartTime(new DateTime(2026, 1, 1), hours));
    }

    [Fact]
    public void FormatStartTime_IntoBytes_SameAsDateTimeFormatting()
    {
        // incidents.csv formats start times by hand; they must read as DateTime's own "yyyy-MM-ddTHH:mm:ss" does.
        var random = new Random(2026);
        var times = new List<DateTime> { DateTime.MinValue, DateTime.MaxValue, new(2026, 12, 31, 23, 59, 59), new(2028, 2, 29, 9, 5, 7) };
        for (int i = 0; i < 10_000; i++)
        {
            times.Add(new DateTime(random.NextInt64(DateTime.MaxValue.Ticks)));
        }

        Span<byte> bytes = stackalloc byte[CsvOutputs.StartTimeLength];
        foreach (var time in times)
        {
            CsvOutputs.FormatStartTime(time, bytes);
            Assert.Equal(time.ToString("yyyy-MM-dd'T'HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture), Encoding.ASCII.GetString(bytes));
        }
    }

    private static IReadOnlyList<DisasterSim.Engine.Attribution.CauseShare> Causes(RunResult result)
    {
        var attribution = new DisasterSim.Engine.Attribution.CauseAttribution(result.Scenario);
        result.KeptRecords.Replay(attribution);
        return attribution.Results();
    }

    [Fact]
    public void CultureScope_DeDe_UsesCommaDecimal()
    {
        // Guards the golden tests: they prove nothing if the comma culture silently falls back to the invariant one.
        using var scope = new CultureScope("de-DE");

        Assert.Equal("1,5", 1.5.ToString(System.Globalization.CultureInfo.CurrentCulture));
    }

    private static string Write(Action<TextWriter, RunResult> write, RunResult result)
    {
        var builder = new StringBuilder();
        using (var writer = new StringWriter(builder))
        {
            write(writer, result);
        }

        return builder.ToString();
    }
}
