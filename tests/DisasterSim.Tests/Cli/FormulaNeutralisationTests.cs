using DisasterSim.Cli.Output;
using DisasterSim.Engine.MonteCarlo;

namespace DisasterSim.Tests.Cli;

/// <summary>Threat and component names a spreadsheet would run as formulas are neutralised in text columns; numbers never are.</summary>
public sealed class FormulaNeutralisationTests
{
    [Theory]
    [InlineData("=1+1")]
    [InlineData("+cmd")]
    [InlineData("-cmd")]
    [InlineData("@SUM(A1)")]
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
        Assert.Equal($"2,shop,8000.125,2026-11-30T08:07:30,component_failure,\"'{name}\",component {name},0,1.5,self_recovered,0.5,0,0,0", rows[2]);
    }
}
