using CsvHelper;
using DisasterSim.Cli.Output;

namespace DisasterSim.Tests.Cli;

/// <summary>Threat and component names a spreadsheet would run as formulas are neutralised in text columns; numbers never are.</summary>
public sealed class FormulaNeutralisationTests
{
    /// <summary>Names that start like a formula, one for each of CsvHelper's injection characters but CR (which also forces quotes).</summary>
    public static TheoryData<string> FormulaLikeNames => ["=1+1", "+cmd", "-cmd", "@SUM(A1)", "\tcmd"];

    [Theory]
    [MemberData(nameof(FormulaLikeNames))]
    public void WriteIncidents_FormulaLikeThreatAndComponentNames_NeutralisedInTextColumnsOnly(string name)
    {
        var fixture = RunResultFixture.Create(detectionDelayHours: -0.5);
        var scenario = fixture.Scenario with
        {
            Threats = [fixture.Scenario.Threats[0] with { Name = name }],
            Components = [fixture.Scenario.Components[0] with { Name = name }],
        };
        var result = fixture with { Scenario = scenario };
        using var writer = new StringWriter();

        CsvOutputs.WriteIncidents(writer, result);

        string[] rows = writer.ToString().Split('\n');
        Assert.Equal($"0,shop,10.5,2026-01-01T10:30:00,threat,\"'{name}\",site dc1,1,-0.5,failed_over,3.75,2,3,0", rows[1]);
        Assert.Equal($"2,shop,8000.125,2026-11-30T08:07:30,component_failure,\"'{name}\",component {name},0,,self_recovered,0.5,0,0,0", rows[2]);
    }

    /// <summary>
    /// The rows of trials.csv and incidents.csv are written without CsvHelper's injection handling, their names neutralised
    /// once by <see cref="CsvOutputs.FormulaSafe"/>: that must give the bytes CsvHelper's own escaping gives, whatever the text.
    /// </summary>
    [Theory]
    [MemberData(nameof(FormulaLikeNames))]
    [InlineData("\rcmd")]
    [InlineData("=HYPERLINK(\"http://x\",\"y\")")]
    [InlineData("=a,b")]
    [InlineData("=a\nb")]
    [InlineData("a,b")]
    [InlineData("a\"b")]
    [InlineData(" =leading space")]
    [InlineData("trailing=")]
    [InlineData("-")]
    [InlineData("'already")]
    [InlineData("")]
    [InlineData("plain")]
    public void FormulaSafe_WrittenWithoutInjectionHandling_SameBytesAsCsvHelpersEscape(string text)
    {
        var escaping = CsvWriterOptions.Default with { NewLine = "\n", Injection = CsvInjection.Escape };
        var (safe, quoting) = CsvOutputs.FormulaSafe(text);

        string expected = WriteRecord(escaping, csv => csv.WriteField(text));
        string actual = WriteRecord(escaping with { Injection = CsvInjection.None }, csv => csv.WriteField(safe, quoting));

        Assert.Equal(expected, actual);
    }

    private static string WriteRecord(CsvWriterOptions options, Action<CsvWriter> field)
    {
        using var writer = new StringWriter();
        using (var csv = CsvWriter.Create(writer, options, leaveOpen: true))
        {
            csv.WriteField("first");
            field(csv);
            csv.WriteField("last");
            csv.EndRecord();
        }

        return writer.ToString();
    }
}
