namespace DisasterSim.Models.Variants;

/// <summary>One swept parameter: a path and the values it takes.</summary>
/// <param name="Path">The override path.</param>
/// <param name="Values">The values, as YAML text, in the order given.</param>
public sealed record SweepAxis(IReadOnlyList<PathStep> Path, IReadOnlyList<string> Values)
{
    /// <summary>Gets the path as text.</summary>
    public string PathText => string.Join(".", Path.Select(p => p.ToString()));

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
            var overrides = axes.Select((a, i) => new ScenarioOverride(a.Path, c[i])).ToList();
            string name = string.Join(",", axes.Select((a, i) => a.Path[^1].Key + "=" + Label(a, c[i])));
            return (new VariantSpec(name, overrides), c);
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
