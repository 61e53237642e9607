using System.Globalization;

namespace DisasterSim.Models.Variants;

/// <summary>One step of an override path: a mapping key, optionally followed by a list selector.</summary>
/// <param name="Key">The mapping key (<c>data</c>, <c>interval</c>).</param>
/// <param name="Selector">The list selector inside brackets, or null: a <c>name</c> of an item, or a zero-based index.</param>
public sealed record PathStep(string Key, string? Selector)
{
    /// <inheritdoc/>
    public override string ToString() => Selector is null ? Key : Key + "[" + Selector + "]";
}

/// <summary>A <c>PATH=VALUE</c> override of a scenario, applied to its YAML before it is loaded.</summary>
/// <param name="Path">The steps from the root to the value replaced.</param>
/// <param name="ValueText">The new value, as YAML (a scalar like <c>1h</c>, or a flow mapping like <c>{ dist: exponential, mean: 8h }</c>).</param>
public sealed record ScenarioOverride(IReadOnlyList<PathStep> Path, string ValueText)
{
    /// <summary>Gets the path as written, normalised: <c>data[erp-db].backups[nightly].interval</c>.</summary>
    public string PathText => string.Join(".", Path.Select(p => p.ToString()));

    /// <inheritdoc/>
    public override string ToString() => PathText + "=" + ValueText;

    /// <summary>Parses <c>PATH=VALUE</c>; throws <see cref="FormatException"/> with a one-line message naming the problem.</summary>
    public static ScenarioOverride Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int equals = text.IndexOf('=', StringComparison.Ordinal);
        if (equals < 0)
        {
            throw new FormatException($"'{text}' is not PATH=VALUE; write for example threats[fire].rate_per_year=0.01.");
        }

        string value = text[(equals + 1)..].Trim();
        if (value.Length == 0)
        {
            throw new FormatException($"'{text}' has no value after '='; write for example {text[..equals].Trim()}=1h.");
        }

        return new ScenarioOverride(ParsePath(text[..equals].Trim()), value);
    }

    /// <summary>Parses a path such as <c>data[erp-db].backups[0].interval</c>; throws <see cref="FormatException"/> when malformed.</summary>
    public static IReadOnlyList<PathStep> ParsePath(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path.Length == 0)
        {
            throw new FormatException("the path is empty; write for example data[erp-db].backups[nightly].interval.");
        }

        var steps = new List<PathStep>();
        int i = 0;
        while (i < path.Length)
        {
            int start = i;
            while (i < path.Length && path[i] != '.' && path[i] != '[')
            {
                if (path[i] == ']' || path[i] == '=' || char.IsWhiteSpace(path[i]))
                {
                    throw new FormatException(Bad(path, i, $"unexpected '{path[i]}'"));
                }

                i++;
            }

            string key = path[start..i];
            if (key.Length == 0)
            {
                throw new FormatException(Bad(path, i, "a key is missing"));
            }

            string? selector = null;
            if (i < path.Length && path[i] == '[')
            {
                int close = path.IndexOf(']', i);
                if (close < 0)
                {
                    throw new FormatException(Bad(path, i, "'[' is never closed by ']'"));
                }

                selector = path[(i + 1)..close].Trim();
                if (selector.Length == 0)
                {
                    throw new FormatException(Bad(path, i, "'[]' selects nothing: put a name or an index inside"));
                }

                i = close + 1;
            }

            steps.Add(new PathStep(key, selector));
            if (i < path.Length)
            {
                if (path[i] != '.')
                {
                    throw new FormatException(Bad(path, i, $"expected '.' after ']', got '{path[i]}'"));
                }

                i++;
                if (i == path.Length)
                {
                    throw new FormatException(Bad(path, i, "the path ends with '.'"));
                }
            }
        }

        return steps;
    }

    private static string Bad(string path, int position, string what) =>
        string.Create(CultureInfo.InvariantCulture, $"path '{path}' at character {position + 1}: {what}; write keys separated by '.', list items as key[name] or key[index].");
}

/// <summary>A named set of overrides: one policy to compare.</summary>
/// <param name="Name">The label shown in tables and files.</param>
/// <param name="Overrides">The overrides, applied in order.</param>
public sealed record VariantSpec(string Name, IReadOnlyList<ScenarioOverride> Overrides)
{
    /// <summary>Parses <c>NAME:PATH=VALUE[;PATH=VALUE...]</c>; throws <see cref="FormatException"/> when malformed.</summary>
    public static VariantSpec Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int colon = text.IndexOf(':', StringComparison.Ordinal);
        int equals = text.IndexOf('=', StringComparison.Ordinal);
        if (colon <= 0 || (equals >= 0 && equals < colon))
        {
            throw new FormatException($"variant '{text}' has no name; write NAME:PATH=VALUE, for example hourly:data[erp-db].backups[nightly].interval=1h.");
        }

        string name = text[..colon].Trim();
        if (Loading.NamePolicy.Problem(name) is { } problem)
        {
            throw new FormatException($"the variant name {problem}: it labels the variant's rows and columns in every output file.");
        }

        var overrides = text[(colon + 1)..]
            .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(ScenarioOverride.Parse)
            .ToList();
        return new VariantSpec(name, overrides);
    }
}
