using System.Globalization;

namespace DisasterSim.Cli.Output;

/// <summary>The one number format of DisasterSim: files at nine significant digits, people at four, never in E notation.</summary>
/// <remarks>
/// Files: the shortest text that keeps <see cref="SignificantDigits"/> significant digits (48.00000000000091 is 48,
/// 431.9999999999999 is 432), in plain decimal notation (8.489543821802349E-05 is 0.0000848954382), an exact zero as
/// 0, the invariant culture. Nine digits are far finer than any simulation's confidence interval and keep float noise
/// out of the files. People (console, report): four significant digits with thousands separators, money in whole
/// units, shares as percentages.
/// </remarks>
public static class NumberText
{
    /// <summary>The significant digits a file keeps.</summary>
    public const int SignificantDigits = 9;

    /// <summary>The longest text <see cref="FormatFile(double, Span{char})"/> writes: a sign, 309 digits, a point, nine digits and zeros.</summary>
    public const int MaxFileLength = 340;

    /// <summary>Formats a value for a file; empty for a value that does not exist (NaN).</summary>
    public static string File(double value)
    {
        Span<char> text = stackalloc char[MaxFileLength];
        return new string(text[..FormatFile(value, text)]);
    }

    /// <summary>Formats a value for a file into <paramref name="destination"/> (at least <see cref="MaxFileLength"/> long); returns the length.</summary>
    public static int FormatFile(double value, Span<char> destination)
    {
        if (double.IsNaN(value))
        {
            return 0;
        }

        if (value == 0)
        {
            destination[0] = '0';
            return 1;
        }

        if (double.IsInfinity(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "Outputs hold finite numbers only.");
        }

        Span<char> g = stackalloc char[32];
        value.TryFormat(g, out int length, "G9", CultureInfo.InvariantCulture);
        g = g[..length];
        int e = g.IndexOf('E');
        if (e < 0)
        {
            g.CopyTo(destination);
            return length;
        }

        // d.ddddE±XX to plain notation.
        int exponent = int.Parse(g[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        Span<char> digits = stackalloc char[SignificantDigits + 1];
        int count = 0;
        bool negative = g[0] == '-';
        foreach (char c in g[..e])
        {
            if (c is >= '0' and <= '9')
            {
                digits[count++] = c;
            }
        }

        int at = 0;
        if (negative)
        {
            destination[at++] = '-';
        }

        int point = 1 + exponent;
        if (point <= 0)
        {
            destination[at++] = '0';
            destination[at++] = '.';
            destination.Slice(at, -point).Fill('0');
            at += -point;
            digits[..count].CopyTo(destination[at..]);
            return at + count;
        }

        if (point >= count)
        {
            digits[..count].CopyTo(destination[at..]);
            at += count;
            destination.Slice(at, point - count).Fill('0');
            return at + point - count;
        }

        digits[..point].CopyTo(destination[at..]);
        at += point;
        destination[at++] = '.';
        digits[point..count].CopyTo(destination[at..]);
        return at + count - point;
    }

    /// <summary>Formats a value for people: four significant digits, thousands separators, never E notation ("1,414", "11.32", "0.0123").</summary>
    public static string Display(double value)
    {
        if (double.IsNaN(value))
        {
            return "-";
        }

        double magnitude = Math.Abs(value);
        if (magnitude == 0)
        {
            return "0";
        }

        if (magnitude >= 1000)
        {
            return value.ToString("#,0", CultureInfo.InvariantCulture);
        }

        int decimals = Math.Min(12, Math.Max(0, 3 - (int)Math.Floor(Math.Log10(magnitude))));
        string text = Math.Round(value, decimals, MidpointRounding.AwayFromZero).ToString("#,0." + new string('#', decimals), CultureInfo.InvariantCulture);
        return text is "0" or "-0" ? "0" : text;
    }

    /// <summary>Formats money for people: whole units with thousands separators ("6,349"), cents only below 10.</summary>
    public static string Money(double value) =>
        Math.Abs(value) >= 10 || value == 0 ? value.ToString("#,0", CultureInfo.InvariantCulture) : value.ToString("0.00", CultureInfo.InvariantCulture);

    /// <summary>Formats a share as a percentage for people: "77.72%", "0.15%", "0.0085%".</summary>
    public static string Percent(double share) => double.IsNaN(share) ? "-" : Display(share * 100) + "%";

    /// <summary>Formats hours for people with a unit that keeps them short: "35 min", "11.32 h", "58.9 d".</summary>
    public static string Hours(double hours)
    {
        double magnitude = Math.Abs(hours);
        return magnitude switch
        {
            0 => "0 h",
            < 1 => Display(hours * 60) + " min",
            < 72 => Display(hours) + " h",
            _ => Display(hours / 24) + " d",
        };
    }
}

/// <summary>A number as a file holds it (<see cref="NumberText.FormatFile(double, Span{char})"/>), for CSV writers that format values themselves.</summary>
/// <param name="Value">The value; NaN for one that does not exist (an empty cell).</param>
public readonly record struct FileNumber(double Value) : ISpanFormattable, IUtf8SpanFormattable
{
    /// <inheritdoc/>
    public bool TryFormat(Span<byte> utf8Destination, out int bytesWritten, ReadOnlySpan<char> format, IFormatProvider? provider)
    {
        Span<char> text = stackalloc char[NumberText.MaxFileLength];
        int length = NumberText.FormatFile(Value, text);
        bytesWritten = 0;
        if (length > utf8Destination.Length)
        {
            return false;
        }

        // Digits, sign and point: ASCII, one byte each.
        for (int i = 0; i < length; i++)
        {
            utf8Destination[i] = (byte)text[i];
        }

        bytesWritten = length;
        return true;
    }

    /// <inheritdoc/>
    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider)
    {
        if (destination.Length < NumberText.MaxFileLength)
        {
            Span<char> text = stackalloc char[NumberText.MaxFileLength];
            int length = NumberText.FormatFile(Value, text);
            charsWritten = 0;
            if (length > destination.Length)
            {
                return false;
            }

            text[..length].CopyTo(destination);
            charsWritten = length;
            return true;
        }

        charsWritten = NumberText.FormatFile(Value, destination);
        return true;
    }

    /// <inheritdoc/>
    public string ToString(string? format, IFormatProvider? formatProvider) => NumberText.File(Value);

    /// <inheritdoc/>
    public override string ToString() => NumberText.File(Value);
}
