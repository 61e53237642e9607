using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using DisasterSim.Engine.Randomness;

namespace DisasterSim.Tests.Models.Loading;

/// <summary>
/// Generates hostile scenario texts from the shipped scenarios, deterministically from (seed, index): flipped characters,
/// deleted, duplicated and swapped lines, values of the wrong type, huge and tiny numbers, .nan/.inf, zero and negative
/// durations, unknown keys, crossed references, empty documents, deep nesting, alias bombs and multi-megabyte files.
/// </summary>
internal sealed partial class ScenarioMutator(IReadOnlyList<string> seeds, ulong seed)
{
    /// <summary>Every this many inputs one is a multi-megabyte file (slow to build, so rarer).</summary>
    internal const int HugeEvery = 997;

    private static readonly string[] HostileScalars =
    [
        "~", "null", "\"\"", "''", "[]", "{}", "[1, 2]", "{ a: 1 }", "[[[]]]", ".nan", ".NaN", ".inf", "-.inf", "+.inf", "NaN", "Infinity",
        "1e308", "1e309", "-1e308", "1e-320", "4.9e-324", "0", "-0", "-1", "2", "1.5", "-0.5", "1e12", "1e300", "0s", "-1h", "-0h", "0h",
        "0.000001s", "1e-300h", "1e308h", "1e400h", "99999999999y", "1e15y", "99999999999999999999999", "18446744073709551616",
        "-9223372036854775808", "9223372036854775807", "true", "yes", "0x10", "0o17", "1_000", "1,5", "1.5.5", "1h30m", "5 h", "h",
        "!!int 3", "!!float .nan", "!!binary aGVsbG8=", "!custom x", "!!map {}", "*nowhere", "&x 1", "\"\\u0000\"", "\"\\uD800\"",
        "2026-13-45", "9999-12-31T23:59:59", "0001-01-01", "|\n  block", ">", "- item", "? complex", "@at", "=1+1", "+cmd", "-x",
        "%percent", "`tick", "\t", "\"a\nb\"", new string('x', 300), "é€𝄞", "\uFEFF", "offsite", "{ site: nowhere }", "{ component: x, site: y }",
        "{ dist: exponential, mean: 0s }", "{ dist: lognormal, median: 1h, p90: 1e308h }", "{ dist: weibull, shape: 1e-300, scale: 1h }",
        "{ dist: gamma, shape: 1e-300, mean: 1h }", "{ dist: gamma, shape: 1e300, mean: 1h }", "{ dist: pert, min: 0s, mode: 0s, max: 1e-300h }",
        "{ dist: uniform, min: 0s, max: 0s }", "{ dist: lognormal, mu: 700, sigma: 50 }", "{ dist: lognormal, mu: -700, sigma: 0 }",
        "{ dist: triangular, min: 1h, mode: 1h, max: 1h }", "{ dist: fixed, value: 0s }", "{ dist: nope }", "{ k: 0, of: [a] }",
        "{ k_of_n: { k: 5, of: [a, b] } }", "{ any_of: [] }",
    ];

    private static readonly char[] FlipChars =
    [
        ':', '-', '[', ']', '{', '}', ',', '&', '*', '!', '|', '>', '\'', '"', '#', '%', '@', '`', '?', '\t', '\0', '\r', '\n', ' ',
        '\u0085', '\u2028', '\uFEFF', '\uFFFE', '\uD800', 'x', '0', '9', '.', 'e', 'h', 'y',
    ];

    private static readonly string[] DurationReplacements = ["-1h", "0s", "0h", "1e-300h", "1e308h", "1e20y", "0.0000000001s", "-.inf h", "1e9y"];

    private readonly IReadOnlyList<string> _seeds = seeds;
    private readonly ulong _seed = seed;

    /// <summary>Gets the kind of the last generated input, for the failure report.</summary>
    internal string LastKind { get; private set; } = "";

    /// <summary>The input number <paramref name="index"/>: the same for the same seed on every machine.</summary>
    internal string Generate(long index)
    {
        var rng = new Xoshiro256StarStar(_seed ^ (0x9E3779B97F4A7C15UL * (ulong)(index + 1)));
        string original = _seeds[(int)(index % _seeds.Count)];
        if (index % HugeEvery == HugeEvery - 1)
        {
            return Huge(ref rng, original, index / HugeEvery);
        }

        if (Next(ref rng, 40) == 0)
        {
            return Special(ref rng, original);
        }

        string text = original;
        int mutations = 1 + Next(ref rng, 4);
        var kinds = new List<string>(mutations);
        for (int m = 0; m < mutations; m++)
        {
            (text, string kind) = Mutate(ref rng, text);
            kinds.Add(kind);
        }

        LastKind = string.Join("+", kinds);
        return text;
    }

    private static int Next(ref Xoshiro256StarStar rng, int bound) => (int)(rng.NextUInt64() % (ulong)bound);

    private static T Pick<T>(ref Xoshiro256StarStar rng, IReadOnlyList<T> items) => items[Next(ref rng, items.Count)];

    private static string Indent(string line) => line[..(line.Length - line.TrimStart(' ').Length)];

    [GeneratedRegex(@"(?<![\w.])\d+(\.\d+)?[smhdwy]\b")]
    private static partial Regex DurationPattern();

    [GeneratedRegex(@"(?<![\w.])\d+(\.\d+)?(?![\w.])")]
    private static partial Regex NumberPattern();

    [GeneratedRegex(@"^\s*(?:- )?name:\s*([\w.-]+)", RegexOptions.Multiline)]
    private static partial Regex NamePattern();

    [GeneratedRegex(@"\b(site|region|service|storage|component|to)(:\s*)([\w.-]+)")]
    private static partial Regex ReferencePattern();

    private (string Text, string Kind) Mutate(ref Xoshiro256StarStar rng, string text)
    {
        var lines = text.Split('\n').ToList();
        int i = Next(ref rng, lines.Count);
        switch (Next(ref rng, 14))
        {
            case 0:
            {
                if (text.Length == 0)
                {
                    return (text, "flip");
                }

                int at = Next(ref rng, text.Length);
                char c = Next(ref rng, 3) == 0 ? (char)Next(ref rng, 0x10000) : Pick(ref rng, FlipChars);
                return (text[..at] + c + text[(at + 1)..], "flip");
            }

            case 1:
                lines.RemoveAt(i);
                return (string.Join('\n', lines), "delete-line");
            case 2:
                lines.Insert(i, lines[i]);
                return (string.Join('\n', lines), "duplicate-line");
            case 3:
            {
                int j = Next(ref rng, lines.Count);
                (lines[i], lines[j]) = (lines[j], lines[i]);
                return (string.Join('\n', lines), "swap-lines");
            }

            case 4:
            {
                // A value of the wrong type or range after a key.
                var candidates = Enumerable.Range(0, lines.Count).Where(k => lines[k].Contains(": ", StringComparison.Ordinal)).ToList();
                if (candidates.Count == 0)
                {
                    return (text, "swap-type");
                }

                int k = Pick(ref rng, candidates);
                int colon = lines[k].IndexOf(": ", StringComparison.Ordinal);
                lines[k] = lines[k][..(colon + 2)] + Pick(ref rng, HostileScalars);
                return (string.Join('\n', lines), "swap-type");
            }

            case 5:
                return (Replace(ref rng, text, NumberPattern(), ["-1", "0", "2", "1.5", "1e308", "1e-308", ".nan", ".inf", "-.inf", "1e20", "-0", "99999999999"]), "number");
            case 6:
                return (Replace(ref rng, text, DurationPattern(), DurationReplacements), "duration");
            case 7:
            {
                string indent = Indent(lines[i]);
                if (lines[i].TrimStart().StartsWith("- ", StringComparison.Ordinal))
                {
                    indent += "  ";
                }

                lines.Insert(i + 1, indent + "bogus_key_" + Next(ref rng, 100).ToString(CultureInfo.InvariantCulture) + ": 1");
                return (string.Join('\n', lines), "unknown-key");
            }

            case 8:
                return (text[..Next(ref rng, text.Length + 1)], "truncate");
            case 9:
                lines[i] = Next(ref rng, 2) == 0 ? " " + lines[i] : lines[i].TrimStart();
                return (string.Join('\n', lines), "indent");
            case 10:
            {
                var garbage = new StringBuilder();
                int n = 1 + Next(ref rng, 20);
                for (int g = 0; g < n; g++)
                {
                    garbage.Append((char)(Next(ref rng, 2) == 0 ? Next(ref rng, 128) : Next(ref rng, 0x10000)));
                }

                int at = Next(ref rng, text.Length + 1);
                return (text[..at] + garbage + text[at..], "garbage");
            }

            case 11:
            {
                // A reference to another name of the file: cycles, components at the wrong site, backups on their own storage.
                string[] names = [.. NamePattern().Matches(text).Select(m => m.Groups[1].Value).Distinct(StringComparer.Ordinal)];
                var refs = ReferencePattern().Matches(text);
                if (names.Length == 0 || refs.Count == 0)
                {
                    return (text, "cross-reference");
                }

                Match r = refs[Next(ref rng, refs.Count)];
                Group value = r.Groups[3];
                return (text[..value.Index] + Pick(ref rng, names) + text[(value.Index + value.Length)..], "cross-reference");
            }

            case 12:
            {
                // Add a requirement on a random component, which may close a cycle.
                string[] names = [.. NamePattern().Matches(text).Select(m => m.Groups[1].Value).Distinct(StringComparer.Ordinal)];
                var requires = Enumerable.Range(0, lines.Count).Where(k => lines[k].Contains("requires: [", StringComparison.Ordinal)).ToList();
                if (names.Length == 0 || requires.Count == 0)
                {
                    return (text, "add-requirement");
                }

                int k = Pick(ref rng, requires);
                lines[k] = lines[k].Replace("requires: [", "requires: [" + Pick(ref rng, names) + ", ", StringComparison.Ordinal);
                return (string.Join('\n', lines), "add-requirement");
            }

            default:
            {
                // Wrap a value in a list or a mapping.
                var candidates = Enumerable.Range(0, lines.Count).Where(k => lines[k].Contains(": ", StringComparison.Ordinal)).ToList();
                if (candidates.Count == 0)
                {
                    return (text, "wrap");
                }

                int k = Pick(ref rng, candidates);
                int colon = lines[k].IndexOf(": ", StringComparison.Ordinal);
                string value = lines[k][(colon + 2)..];
                lines[k] = lines[k][..(colon + 2)] + (Next(ref rng, 2) == 0 ? "[" + value + "]" : "{ v: " + value + " }");
                return (string.Join('\n', lines), "wrap");
            }
        }
    }

    private static string Replace(ref Xoshiro256StarStar rng, string text, Regex pattern, string[] replacements)
    {
        var matches = pattern.Matches(text);
        if (matches.Count == 0)
        {
            return text;
        }

        Match m = matches[Next(ref rng, matches.Count)];
        return text[..m.Index] + Pick(ref rng, replacements) + text[(m.Index + m.Length)..];
    }

    private string Special(ref Xoshiro256StarStar rng, string original)
    {
        int depth = 50 + Next(ref rng, 20_000);
        (string kind, string text) = Next(ref rng, 16) switch
        {
            0 => ("empty", ""),
            1 => ("whitespace", "   \n\n\t\n"),
            2 => ("comment-only", "# nothing here\n"),
            3 => ("document-markers", "---\n...\n"),
            4 => ("two-documents", original + "\n---\n" + original),
            5 => ("flow-nesting", "name: x\nregions: " + new string('[', depth) + new string(']', depth) + "\n"),
            6 => ("mapping-nesting", "name: x\nsites: " + string.Concat(Enumerable.Repeat("{a: ", depth)) + "1" + new string('}', depth) + "\n"),
            7 => ("block-nesting", "name: x\nsites:\n" + string.Concat(Enumerable.Range(1, Math.Min(depth, 3000)).Select(d => new string(' ', d) + "a:\n")) + new string(' ', Math.Min(depth, 3000) + 1) + "1\n"),
            8 => ("alias-bomb", AliasBomb(9 + Next(ref rng, 6), 8 + Next(ref rng, 8))),
            9 => ("recursive-alias", "name: x\nx-a: &a [*a]\nregions: *a\n"),
            10 => ("bom", "\uFEFF" + original),
            11 => ("scalar-document", "just a sentence"),
            12 => ("list-document", "- " + original.Replace("\n", "\n  ", StringComparison.Ordinal)),
            13 => ("crlf", original.Replace("\n", "\r\n", StringComparison.Ordinal)),
            14 => ("nul-bytes", original.Replace(":", ":\0", StringComparison.Ordinal)),
            _ => ("alias-everywhere", "name: x\nx-d: &d { dist: exponential, mean: 1h }\n" + string.Concat(Enumerable.Repeat("x-e: *d\n", 3))),
        };
        LastKind = "special:" + kind;
        return text;
    }

    private static string AliasBomb(int levels, int width)
    {
        var text = new StringBuilder("name: bomb\nx-l0: &l0 [\"lol\"]\n");
        for (int l = 1; l <= levels; l++)
        {
            text.Append(CultureInfo.InvariantCulture, $"x-l{l}: &l{l} [").Append(string.Join(", ", Enumerable.Repeat($"*l{l - 1}", width))).Append("]\n");
        }

        text.Append(CultureInfo.InvariantCulture, $"regions: *l{levels}\n");
        return text.ToString();
    }

    private string Huge(ref Xoshiro256StarStar rng, string original, long which)
    {
        // Alternates: a valid multi-megabyte scenario (thousands of components), one over the item limit, one over the size limit.
        int variant = (int)(which % 3);
        int count = variant switch
        {
            0 => 5_000 + Next(ref rng, 4_000),
            1 => 10_001 + Next(ref rng, 2_000),
            _ => 120_000,
        };
        var text = new StringBuilder(original.Length + (count * 110));
        text.Append("name: huge\nregions: [{ name: r }]\nsites: [{ name: s, region: r }]\ncomponents:\n");
        for (int c = 0; c < count; c++)
        {
            text.Append("  - name: component-").Append(c.ToString(CultureInfo.InvariantCulture))
                .Append("\n    site: s\n    kind: host\n    # ").Append('x', 40).Append('\n');
        }

        LastKind = variant switch { 0 => "huge:valid", 1 => "huge:too-many-items", _ => "huge:over-size-limit" };
        return text.ToString();
    }
}
