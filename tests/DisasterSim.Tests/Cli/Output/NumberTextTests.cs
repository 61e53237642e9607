using DisasterSim.Cli.Output;

namespace DisasterSim.Tests.Cli.Output;

public sealed class NumberTextTests
{
    [Theory]
    [InlineData(48.00000000000091, "48")]
    [InlineData(431.9999999999999, "432")]
    [InlineData(8.489543821802349E-05, "0.0000848954382")]
    [InlineData(0.0, "0")]
    [InlineData(-30.5, "-30.5")]
    [InlineData(1414.49325965145, "1414.49326")]
    [InlineData(708491.0259783074, "708491.026")]
    [InlineData(1.5e20, "150000000000000000000")]
    [InlineData(-2.5e-12, "-0.0000000000025")]
    [InlineData(123456789012.0, "123456789000")]
    [InlineData(double.NaN, "")]
    public void File_Value_ShortestTextOfNineSignificantDigitsWithoutExponent(double value, string expected)
    {
        using var scope = new CultureScope("de-DE");

        Assert.Equal(expected, NumberText.File(value));
    }

    [Fact]
    public void File_ManyValues_RoundTripToNineSignificantDigits()
    {
        var random = new Random(21);
        for (int i = 0; i < 20_000; i++)
        {
            double value = Math.Pow(10, (random.NextDouble() * 30) - 15) * (random.Next(2) == 0 ? -1 : 1);
            string text = NumberText.File(value);
            Assert.DoesNotContain('E', text);
            double back = double.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(Math.Abs(back - value) <= Math.Abs(value) * 5e-9, $"{value:R} became {text}");
        }
    }

    [Fact]
    public void File_NegativeZero_IsZero() => Assert.Equal("0", NumberText.File(-0.0));

    [Fact]
    public void File_Infinity_Throws() => Assert.Throws<ArgumentOutOfRangeException>(() => NumberText.File(double.PositiveInfinity));

    [Theory]
    [InlineData(0.0, "0")]
    [InlineData(11.3218676, "11.32")]
    [InlineData(1414.49, "1,414")]
    [InlineData(181612.3, "181,612")]
    [InlineData(0.0442336, "0.04423")]
    [InlineData(0.0000848954382, "0.0000849")]
    [InlineData(-0.5636, "-0.5636")]
    public void Display_Value_FourSignificantDigitsAndSeparators(double value, string expected)
    {
        using var scope = new CultureScope("de-DE");

        Assert.Equal(expected, NumberText.Display(value));
    }

    [Theory]
    [InlineData(0.00015, "0.015%")]
    [InlineData(0.7772, "77.72%")]
    [InlineData(1.0, "100%")]
    public void Percent_Share_IsPercentage(double share, string expected) => Assert.Equal(expected, NumberText.Percent(share));

    [Theory]
    [InlineData(0.5766, "34.6 min")]
    [InlineData(8.0, "8 h")]
    [InlineData(1413.9, "58.91 d")]
    public void Hours_Duration_InAShortUnit(double hours, string expected) => Assert.Equal(expected, NumberText.Hours(hours));

    [Fact]
    public void TextTables_WideTable_SplitIntoPartsOfAtMost100ColumnsThatRepeatTheKey()
    {
        var header = new[] { "Name", "Per" }.Concat(Enumerable.Range(1, 14).Select(i => "Column " + i)).ToArray();
        var row = new[] { "accounting", "year" }.Concat(Enumerable.Range(1, 14).Select(i => NumberText.Display(i * 12345.678))).ToArray();
        var table = new TextTable("Wide", header, [row, row], KeyColumns: 2);
        var text = new StringWriter();

        TextTables.Write(text, [table], StdoutFormat.Table);

        string[] lines = text.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.All(lines, l => Assert.True(l.Length <= TextTables.Width, $"{l.Length} columns: {l}"));
        Assert.True(TextTables.Parts(table).Count > 1);
        Assert.All(TextTables.Parts(table), p => Assert.Equal([0, 1], p.Take(2)));
        foreach (string cell in row.Skip(2))
        {
            Assert.Contains(cell, text.ToString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void TextTables_CsvJsonMd_HoldTheSameCells()
    {
        var table = new TextTable("Cost, USD", ["Cost", "Mean"], [["total", "6,349"], ["=cmd", "1"]]);

        var csv = new StringWriter();
        TextTables.Write(csv, [table], StdoutFormat.Csv);
        var json = new StringWriter();
        TextTables.Write(json, [table], StdoutFormat.Json);
        var md = new StringWriter();
        TextTables.Write(md, [table], StdoutFormat.Md);

        Assert.Equal("# Cost, USD\nCost,Mean\ntotal,\"6,349\"\n'=cmd,1\n", csv.ToString());
        Assert.Contains("\"Mean\": \"6,349\"", json.ToString(), StringComparison.Ordinal);
        Assert.Contains("| total | 6,349 |", md.ToString(), StringComparison.Ordinal);
    }
}
