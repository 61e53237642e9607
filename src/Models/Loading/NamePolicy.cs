using System.Globalization;

namespace DisasterSim.Models.Loading;

/// <summary>
/// What a name may hold (of the scenario, its entities, backups, costs, a variant): at most <see cref="MaxLength"/>
/// characters, none of them a control character, a line or paragraph separator, a lone surrogate or a bidirectional
/// formatting character. Names are written into every row of the CSV files and onto the terminal, where a NUL breaks
/// the file and a right-to-left override makes one name display as another.
/// </summary>
public static class NamePolicy
{
    /// <summary>The longest name, in UTF-16 characters.</summary>
    public const int MaxLength = 200;

    /// <summary>What is wrong with <paramref name="name"/>, as the end of a sentence ("the name ..."), or null when it is fine.</summary>
    /// <param name="name">The name.</param>
    /// <param name="checkLength">Whether its length counts (not for a swept value, which labels its variant only when short).</param>
    public static string? Problem(string name, bool checkLength = true)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (checkLength && name.Length > MaxLength)
        {
            return string.Create(CultureInfo.InvariantCulture, $"is {name.Length:N0} characters long; names are limited to {MaxLength} (they are written into every row of the CSV files): shorten it");
        }

        for (int i = 0; i < name.Length; i++)
        {
            char c = name[i];
            if (char.IsSurrogate(c))
            {
                if (char.IsHighSurrogate(c) && i + 1 < name.Length && char.IsLowSurrogate(name[i + 1]))
                {
                    i++;
                    continue;
                }

                return Bad(c, i, "half of a character (a lone surrogate)");
            }

            if (Forbidden(c) is { } what)
            {
                return Bad(c, i, what);
            }
        }

        return null;
    }

    private static string? Forbidden(char c) => c switch
    {
        '\u061C' or '\u200E' or '\u200F' or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069') => "a bidirectional formatting character, which makes a name display as another",
        '\uFEFF' => "a byte-order mark",
        _ => char.GetUnicodeCategory(c) switch
        {
            UnicodeCategory.Control => "a control character",
            UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator => "a line break",
            _ => null,
        },
    };

    private static string Bad(char c, int index, string what) =>
        string.Create(CultureInfo.InvariantCulture, $"holds U+{(int)c:X4}, {what}, at character {index + 1}; names may hold no control, line-break or bidirectional formatting characters: remove it");
}
