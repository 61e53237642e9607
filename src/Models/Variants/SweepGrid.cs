namespace DisasterSim.Models.Variants;

/// <summary>One swept parameter: a path and the values it takes.</summary>
/// <param name="Path">The override path.</param>
/// <param name="Values">The values, as YAML text, in the order given.</param>
public sealed record SweepAxis(IReadOnlyList<PathStep> Path, IReadOnlyList<string> Values)
{
    /// <summary>Gets the path as text.</summary>
    public string PathText => string.Join(".", Path.Select(p => p.ToString()));

    /// <summary>Gets the settings that move together with this one (<c>--with</c>, or the other columns of a grid file): value i of each goes with value i of this axis.</summary>
    public IReadOnlyList<SweepAxis> Linked { get; init; } = [];

    /// <summary>Gets this axis and its linked settings, in order: one column each in sweep.csv.</summary>
    public IEnumerable<SweepAxis> Columns => [this, .. Linked];

    /// <summary>Links <paramref name="other"/> to this axis; throws <see cref="FormatException"/> unless it has as many values.</summary>
    public SweepAxis With(SweepAxis other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.Values.Count != Values.Count)
        {
            throw new FormatException($"--with {other.PathText} has {other.Values.Count} values and the setting it moves with, {PathText}, has {Values.Count}; give one value for each of its values.");
        }

        if (Columns.Any(c => c.PathText == other.PathText))
        {
            throw new FormatException($"--with {other.PathText} is linked twice; give it once.");
        }

        return this with { Linked = [.. Linked, other] };
    }

    /// <summary>Reads a grid file: a CSV whose header names override paths and whose rows are variants (the columns move together). Throws <see cref="FormatException"/> naming the line.</summary>
    /// <param name="text">The file's text.</param>
    /// <param name="fileName">The file's name, for messages.</param>
    public static SweepAxis ParseGrid(string text, string fileName)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lines = text.ReplaceLineEndings("\n").Split('\n').Select((l, i) => (Text: l, Line: i + 1)).Where(l => l.Text.Trim().Length > 0 && !l.Text.TrimStart().StartsWith('#')).ToList();
        if (lines.Count < 2)
        {
            throw new FormatException($"{fileName}: a grid file needs a header of override paths and at least one row of values.");
        }

        var header = SplitTopLevel(lines[0].Text);
        var columns = header.Select(h => new List<string>()).ToList();
        foreach (var (line, number) in lines.Skip(1))
        {
            var cells = SplitTopLevel(line);
            if (cells.Count != header.Count || cells.Any(c => c.Length == 0))
            {
                throw new FormatException($"{fileName}:{number}: {cells.Count} values for {header.Count} columns ({string.Join(", ", header)}); give one value per column (quote none: values with commas go in {{ }} or [ ]).");
            }

            for (int c = 0; c < cells.Count; c++)
            {
                columns[c].Add(cells[c]);
            }
        }

        var axes = header.Select((h, c) => new SweepAxis(ScenarioOverride.ParsePath(h.Trim()), columns[c])).ToList();
        var first = axes[0];
        if (first.Values.Distinct(StringComparer.Ordinal).Count() != first.Values.Count)
        {
            throw new FormatException($"{fileName}: the first column, {first.PathText}, lists a value twice; it names the variants, so each row needs its own value.");
        }

        return axes.Skip(1).Aggregate(first, (axis, other) => axis.With(other));
    }

    /// <summary>Parses <c>PATH=v1,v2,v3</c>; commas inside <c>{ }</c> or <c>[ ]</c> do not split. Throws <see cref="FormatException"/>.</summary>
    public static SweepAxis Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int equals = text.IndexOf('=', StringComparison.Ordinal);
        if (equals < 0)
        {
            throw new FormatException($"'{text}' is not PATH=v1,v2,...; write for example data[erp-db].backups[nightly].interval=1h,4h,24h.");
        }

        var path = ScenarioOverride.ParsePath(text[..equals].Trim());
        var values = SplitTopLevel(text[(equals + 1)..]);
        if (values.Count == 0 || values.Any(v => v.Length == 0))
        {
            throw new FormatException($"'{text}' has an empty value; write the values separated by commas, for example 1h,4h,24h.");
        }

        if (values.Select(v => Loading.NamePolicy.Problem(v, checkLength: false)).FirstOrDefault(p => p is not null) is { } problem)
        {
            throw new FormatException($"--set {string.Join(".", path.Select(p => p.ToString()))}: a value {problem}: values name the variants in every output file.");
        }

        if (values.Distinct(StringComparer.Ordinal).Count() != values.Count)
        {
            throw new FormatException($"'{text}' lists a value twice; each value makes one variant.");
        }

        return new SweepAxis(path, values);
    }

    /// <summary>The full grid of <paramref name="axes"/>: every combination, the last axis varying fastest.</summary>
    /// <returns>One variant per combination, named <c>key=value,key=value</c> after each path's last key (<c>key=#2</c> for the second value when it is long or structured).</returns>
    public static IReadOnlyList<(VariantSpec Variant, IReadOnlyList<string> Settings)> Grid(IReadOnlyList<SweepAxis> axes)
    {
        ArgumentNullException.ThrowIfNull(axes);
        IEnumerable<IReadOnlyList<string>> combos = [[]];
        foreach (var axis in axes)
        {
            combos = combos.SelectMany(c => axis.Values.Select(v => (IReadOnlyList<string>)[.. c, v])).ToList();
        }

        return combos.Select(c =>
        {
            var overrides = new List<ScenarioOverride>();
            var settings = new List<string>();
            for (int i = 0; i < axes.Count; i++)
            {
                int at = axes[i].Values.ToList().IndexOf(c[i]);
                foreach (var column in axes[i].Columns)
                {
                    overrides.Add(new ScenarioOverride(column.Path, column.Values[at]));
                    settings.Add(column.Values[at]);
                }
            }

            string name = string.Join(",", axes.Select((a, i) => a.Path[^1].Key + "=" + Label(a, c[i])));
            return (new VariantSpec(name, overrides), (IReadOnlyList<string>)settings);
        }).ToList();
    }

    // A long or structured value is named by its position in the list (lag#2); its text is in the variant's settings.
    private static string Label(SweepAxis axis, string value) =>
        value.Length <= 16 && value.IndexOfAny(['{', '[', ',', ' ']) < 0
            ? value
            : "#" + (axis.Values.ToList().IndexOf(value) + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static List<string> SplitTopLevel(string text)
    {
        var parts = new List<string>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            depth += c is '{' or '[' ? 1 : c is '}' or ']' ? -1 : 0;
            if (c == ',' && depth == 0)
            {
                parts.Add(text[start..i].Trim());
                start = i + 1;
            }
        }

        parts.Add(text[start..].Trim());
        return parts;
    }
}
