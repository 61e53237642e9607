using DisasterSim.Models;

namespace DisasterSim.Tests.Models;

public class DurationTextTests
{
    [Theory]
    [InlineData("15m", 0.25)]
    [InlineData("1.5h", 1.5)]
    [InlineData("90s", 0.025)]
    [InlineData("0m", 0)]
    [InlineData("2d", 48)]
    [InlineData("1w", 168)]
    [InlineData("1y", 8766)]
    [InlineData(" 4h ", 4)]
    [InlineData("0.5d", 12)]
    [InlineData("30 d", 720)]
    public void TryParseHours_Valid_ReturnsHours(string text, double hours)
    {
        Assert.True(DurationText.TryParseHours(text, out double actual));
        Assert.Equal(hours, actual, 12);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("5")]
    [InlineData("-5m")]
    [InlineData("+5m")]
    [InlineData("5x")]
    [InlineData("5M")]
    [InlineData("NaNh")]
    [InlineData("Infinityh")]
    [InlineData("1e400h")]
    [InlineData("1e3h")]
    [InlineData("1,5h")]
    [InlineData("1.2.3h")]
    [InlineData(".h")]
    [InlineData("h")]
    [InlineData("5 hours")]
    public void TryParseHours_Invalid_ReturnsFalse(string text)
    {
        Assert.False(DurationText.TryParseHours(text, out _));
    }

    [Fact]
    public void TryParseHours_HugeNumber_ReturnsFalse()
    {
        Assert.False(DurationText.TryParseHours(new string('9', 400) + "y", out _));
    }

    [Fact]
    public void TryParseHours_Null_ReturnsFalse()
    {
        Assert.False(DurationText.TryParseHours(null, out _));
    }

    [Fact]
    public void ParseHours_Invalid_ThrowsFormatExceptionNamingTheValue()
    {
        var ex = Assert.Throws<FormatException>(() => DurationText.ParseHours("5x"));
        Assert.Contains("'5x'", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1.5, "1.5h")]
    [InlineData(720, "30d")]
    [InlineData(0.25, "15m")]
    [InlineData(8766, "1y")]
    [InlineData(0, "0h")]
    public void Format_RoundTrips(double hours, string expected)
    {
        Assert.Equal(expected, DurationText.Format(hours));
        Assert.True(DurationText.TryParseHours(DurationText.Format(hours), out double back));
        Assert.Equal(hours, back, 9);
    }
}
