using DisasterSim.Cli.Output;
using Spectre.Console;

namespace DisasterSim.Tests.Cli;

public sealed class SummaryTableTests
{
    [Theory]
    [InlineData("")]
    [InlineData("de-DE")]
    public void Render_Fixture_MatchesGolden(string culture)
    {
        using var scope = new CultureScope(culture);
        using var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        console.Profile.Width = 200;

        SummaryTable.Render(console, RunResultFixture.Create(serviceName: "[shop]"));

        GoldenFiles.AssertMatches("summary-table.txt", writer.ToString().ReplaceLineEndings("\n"));
    }

    [Theory]
    [InlineData(8766, "year")]
    [InlineData(720, "trial (720 h)")]
    [InlineData(0.5, "trial (0.5 h)")]
    public void PerTrialLabel_Horizon_NamesDenominator(double horizonHours, string expected) =>
        Assert.Equal(expected, SummaryTable.PerTrialLabel(horizonHours));
}
