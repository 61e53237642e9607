using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace DisasterSim.Models.Loading;

/// <summary>A number read from the file with the text it was written as, for messages that quote the user.</summary>
internal readonly record struct Quoted(double Value, string Text);

/// <summary>Reads typed values (text, numbers, durations, dates, choices, distributions) from YAML nodes, reporting every problem.</summary>
internal class ValueReader(ReadContext ctx)
{
    internal static readonly string[] DistributionNames = ["fixed", "exponential", "lognormal", "weibull", "gamma", "uniform", "triangular", "pert"];
    internal static readonly string[] LogNormalKeys = ["median", "p90", "low", "high", "mu", "sigma"];
    private static readonly string[] DateFormats =
    [
        "yyyy-MM-dd", "yyyy-MM-ddTHH:mm", "yyyy-MM-ddTHH:mm:ss", "yyyy-MM-ddTHH:mm:ss.FFFFFFF",
        "yyyy-MM-dd HH:mm", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm:ss.FFFFFFF",
    ];

    /// <summary>While true, distribution parameters are plain numbers (a factor), not durations.</summary>
    private bool _plainNumbers;

    /// <summary>The largest mean and 99.9th percentile of a distribution of plain numbers being read.</summary>
    private double _plainLimit = ReadContext.MaxFactor;

    protected ReadContext Ctx { get; } = ctx;

    /// <summary>Reads a distribution of a plain number (a factor such as an estimate's error), not of durations.</summary>
    internal Distribution? FactorDistribution(YamlNode node, string path)
    {
        _plainNumbers = true;
        try
        {
            return Distribution(node, path);
        }
        finally
        {
            _plainNumbers = false;
        }
    }

    /// <summary>Reads a distribution of a plain quantity that may be as large as any number (a throughput in GB an hour).</summary>
    internal Distribution? NumberDistribution(YamlNode node, string path)
    {
        _plainLimit = ReadContext.MaxNumber;
        try
        {
            return FactorDistribution(node, path);
        }
        finally
        {
            _plainLimit = ReadContext.MaxFactor;
        }
    }

    private Quoted? Parameter(YamlNode node, string path, bool positive) =>
        _plainNumbers ? Number(node, path, positive) : Duration(node, path, positive);

    internal MapReader? Map(YamlNode node, string path, string what, IReadOnlyList<string> allowed, Func<string, string>? unknownKeyMessage = null)
    {
        if (!Ctx.Visit(node, path))
        {
            return null;
        }

        if (node is YamlMappingNode mapping)
        {
            return new MapReader(Ctx, mapping, path, what, allowed, unknownKeyMessage);
        }

        Ctx.Error(node, path, LoaderMessages.ExpectedMapping(LoaderMessages.Found(node), what));
        return null;
    }

    internal YamlSequenceNode? Sequence(YamlNode node, string path, string what)
    {
        if (!Ctx.Visit(node, path))
        {
            return null;
        }

        if (node is YamlSequenceNode sequence)
        {
            return sequence;
        }

        Ctx.Error(node, path, LoaderMessages.ExpectedList(LoaderMessages.Found(node), what));
        return null;
    }

    internal string? Text(YamlNode node, string path, string what)
    {
        if (!Ctx.Visit(node, path))
        {
            return null;
        }

        if (node is YamlScalarNode scalar && !ScenarioNodes.IsNull(node))
        {
            return scalar.Value ?? "";
        }

        Ctx.Error(node, path, LoaderMessages.ExpectedText(LoaderMessages.Found(node), what));
        return null;
    }

    internal string? Text(MapReader map, string key, bool required, string what)
    {
        YamlNode? node = required ? map.Required(key) : map.Optional(key);
        string? text = node is null ? null : Text(node, map.PathOf(key), what);
        if (text is not null && key is "name" or "currency" && NamePolicy.Problem(text) is { } problem)
        {
            // Names end up in every row of the CSV files and on the terminal: what would corrupt or disguise them is refused here.
            Ctx.Error(node!, map.PathOf(key), LoaderMessages.BadName(text, problem));
            return null;
        }

        return text;
    }

    internal Quoted? Duration(YamlNode node, string path, bool positive)
    {
        string? text = Text(node, path, "a duration such as 15m or 4h");
        if (text is null)
        {
            return null;
        }

        if (!DurationText.TryParseHours(text, out double hours))
        {
            Ctx.Error(node, path, LoaderMessages.InvalidDuration(text));
            return null;
        }

        if (positive && hours <= 0)
        {
            Ctx.Error(node, path, LoaderMessages.DurationNotPositive(text));
            return null;
        }

        if (hours > ReadContext.MaxDurationHours)
        {
            Ctx.Error(node, path, LoaderMessages.DurationTooLong(text, ReadContext.MaxDurationHours));
            return null;
        }

        return new Quoted(hours, text.Trim());
    }

    internal Quoted? Duration(MapReader map, string key, bool required, bool positive)
    {
        YamlNode? node = required ? map.Required(key) : map.Optional(key);
        return node is null ? null : Duration(node, map.PathOf(key), positive);
    }

    /// <summary>Reads a finite number; <paramref name="positive"/> demands &gt; 0, otherwise ≥ 0 unless <paramref name="anySign"/>.</summary>
    internal Quoted? Number(YamlNode node, string path, bool positive, bool anySign = false)
    {
        string expectation = positive ? "a finite number > 0" : anySign ? "a finite number" : "a finite number >= 0";
        string? text = Text(node, path, expectation);
        if (text is null)
        {
            return null;
        }

        string trimmed = text.Trim();
        if (!double.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out double value)
            && !TryYamlSpecial(trimmed, out value))
        {
            Ctx.Error(node, path, DurationText.TryParseHours(trimmed, out _)
                ? LoaderMessages.InvalidNumber(text, expectation + " without a unit")
                : LoaderMessages.InvalidNumber(text, expectation));
            return null;
        }

        if (!double.IsFinite(value) || (positive && value <= 0) || (!positive && !anySign && value < 0))
        {
            Ctx.Error(node, path, LoaderMessages.NumberOutOfRange(text, expectation));
            return null;
        }

        if (Math.Abs(value) > ReadContext.MaxNumber)
        {
            Ctx.Error(node, path, LoaderMessages.NumberTooLarge(text, ReadContext.MaxNumber));
            return null;
        }

        return new Quoted(value, trimmed);
    }

    /// <summary>The smallest positive change rate, GB per hour: about a byte an hour.</summary>
    internal const double MinimumChangeRate = 1e-9;

    // A zettabyte an hour: far above any estate, and low enough that hours × rate stays finite (1e308 made the GB lost infinite).
    internal const double MaximumChangeRate = 1e12;

    internal Quoted? Number(MapReader map, string key, bool required, bool positive)
    {
        YamlNode? node = required ? map.Required(key) : map.Optional(key);
        return node is null ? null : Number(node, map.PathOf(key), positive);
    }

    /// <summary>
    /// Reads the required <c>change_rate_gb_per_hour</c> of data of <paramref name="size"/> GB: 0, or a rate at which losing
    /// all of it is a finite number of hours of changes (a total loss is reported as size / rate hours).
    /// </summary>
    internal Quoted? ChangeRate(MapReader map, Quoted? size)
    {
        const string key = "change_rate_gb_per_hour";
        Quoted? rate = Number(map, key, required: true, positive: false);
        if (rate is { } r && r.Value > 0 && (r.Value < MinimumChangeRate || r.Value > MaximumChangeRate || (size is { } s && !double.IsFinite(s.Value / r.Value))))
        {
            Ctx.Error(map.Optional(key)!, map.PathOf(key), LoaderMessages.NumberOutOfRange(r.Text, "0 (no changes) or between 1e-9 GB an hour (about one byte an hour) and 1e12 GB an hour, small enough against the size that losing it all is a finite number of hours of changes"));
            return null;
        }

        return rate;
    }

    /// <summary>Reads an optional probability in [0, 1]; <paramref name="fallback"/> when absent, null when invalid.</summary>
    internal double? Probability(MapReader map, string key, double fallback)
    {
        if (map.Optional(key) is not { } node)
        {
            return fallback;
        }

        Quoted? q = Number(node, map.PathOf(key), positive: false);
        if (q is { } v && v.Value > 1)
        {
            Ctx.Error(node, map.PathOf(key), LoaderMessages.NumberOutOfRange(v.Text, "a probability between 0 and 1"));
            return null;
        }

        return q?.Value;
    }

    /// <summary>Reads an optional true/false flag; null when invalid.</summary>
    internal bool? Flag(MapReader map, string key)
    {
        if (map.Optional(key) is not { } node)
        {
            return false;
        }

        string? choice = Choice(node, map.PathOf(key), ["true", "false"]);
        return choice is null ? null : choice == "true";
    }

    internal long? Integer(YamlNode node, string path, long min, long max)
    {
        string expectation = max == long.MaxValue ? $"a whole number >= {min}" : $"a whole number from {min} to {max}";
        string? text = Text(node, path, expectation);
        if (text is null)
        {
            return null;
        }

        if (!long.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value))
        {
            Ctx.Error(node, path, LoaderMessages.InvalidInteger(text, expectation));
            return null;
        }

        if (value < min || value > max)
        {
            Ctx.Error(node, path, LoaderMessages.NumberOutOfRange(text, expectation));
            return null;
        }

        return value;
    }

    internal ulong? UnsignedInteger(YamlNode node, string path)
    {
        const string expectation = "a whole number from 0 to 18446744073709551615";
        string? text = Text(node, path, expectation);
        if (text is null)
        {
            return null;
        }

        if (!ulong.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out ulong value))
        {
            Ctx.Error(node, path, LoaderMessages.InvalidInteger(text, expectation));
            return null;
        }

        return value;
    }

    internal DateTime? Date(YamlNode node, string path)
    {
        string? text = Text(node, path, "a date such as 2026-01-01");
        if (text is null)
        {
            return null;
        }

        if (!DateTime.TryParseExact(text.Trim(), DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out DateTime value))
        {
            Ctx.Error(node, path, LoaderMessages.InvalidDate(text));
            return null;
        }

        return DateTime.SpecifyKind(value, DateTimeKind.Unspecified);
    }

    /// <summary>Reads one of a fixed set of words (case-sensitive, as written in the documentation).</summary>
    internal string? Choice(YamlNode node, string path, IReadOnlyList<string> choices)
    {
        string? text = Text(node, path, "one of: " + string.Join(", ", choices));
        if (text is null)
        {
            return null;
        }

        string trimmed = text.Trim();
        if (choices.Contains(trimmed, StringComparer.Ordinal))
        {
            return trimmed;
        }

        Ctx.Error(node, path, LoaderMessages.InvalidChoice(text, choices, NameSuggester.Suggest(trimmed, choices)));
        return null;
    }

    internal Distribution? Distribution(MapReader map, string key, bool required)
    {
        YamlNode? node = required ? map.Required(key) : map.Optional(key);
        return node is null ? null : Distribution(node, map.PathOf(key));
    }

    /// <summary>Reads a distribution of durations: a duration (fixed) or a mapping with <c>dist</c> and its parameters.</summary>
    /// <remarks>Its mean and its 99.9th percentile must be finite and at most <see cref="ReadContext.MaxDurationHours"/> (<see cref="ReadContext.MaxFactor"/> for a factor): a lognormal of mu 700 is valid in itself, and would draw infinities.</remarks>
    internal Distribution? Distribution(YamlNode node, string path)
    {
        Distribution? distribution = ReadDistribution(node, path);
        if (distribution is null)
        {
            return null;
        }

        double limit = _plainNumbers ? _plainLimit : ReadContext.MaxDurationHours;
        foreach (var (what, value) in new[] { ("mean", distribution.Mean), ("99.9th percentile", distribution.P999Bound) })
        {
            if (!(value <= limit))
            {
                Ctx.Error(node, path, LoaderMessages.DistributionTooLarge(distribution.Kind.ToString().ToLowerInvariant(), what, value, limit, _plainNumbers, _plainLimit == ReadContext.MaxFactor ? "a factor" : "a number"));
                return null;
            }
        }

        return distribution;
    }

    private Distribution? ReadDistribution(YamlNode node, string path)
    {
        if (node is YamlScalarNode)
        {
            Quoted? fixedValue = Parameter(node, path, positive: false);
            return fixedValue is { } f ? Models.Distribution.Fixed(f.Value) : null;
        }

        if (node is not YamlMappingNode mapping)
        {
            Ctx.Visit(node, path);
            Ctx.Error(node, path, LoaderMessages.ExpectedMapping(LoaderMessages.Found(node), "a distribution: a duration such as 15m, or { dist: NAME, ... }"));
            return null;
        }

        if (!Ctx.Visit(node, path))
        {
            return null;
        }

        YamlNode? distNode = mapping.Children.FirstOrDefault(kv => kv.Key is YamlScalarNode { Value: "dist" }).Value;
        if (distNode is null || ScenarioNodes.IsNull(distNode))
        {
            Ctx.Error(node, path, LoaderMessages.MissingKey("dist", "a distribution; one of: " + string.Join(", ", DistributionNames)));
            return null;
        }

        string? dist = Text(distNode, ScenarioNodes.Child(path, "dist"), "a distribution name");
        if (dist is null)
        {
            return null;
        }

        dist = dist.Trim();
        string[]? parameters = DistributionParameters(dist);
        if (parameters is null)
        {
            Ctx.Error(distNode, ScenarioNodes.Child(path, "dist"), LoaderMessages.UnknownDistribution(dist, DistributionNames, NameSuggester.Suggest(dist, DistributionNames)));
            return null;
        }

        string expected = dist == "lognormal" ? "median and p90, or low and high, or mu and sigma" : string.Join(", ", parameters);
        string[] allowed = ["dist", .. parameters];
        var map = new MapReader(Ctx, mapping, path, $"a {dist} distribution", allowed, key =>
            key is "lambda" or "rate" or "rate_per_hour" or "rate_per_year"
                ? LoaderMessages.RateNotAllowed(dist, key, expected)
                : LoaderMessages.UnknownDistributionParameter(dist, key, expected, NameSuggester.Suggest(key, parameters)));

        if (dist == "lognormal")
        {
            return LogNormal(map);
        }

        var values = new Dictionary<string, Quoted>(StringComparer.Ordinal);
        bool complete = true;
        foreach (string p in parameters)
        {
            YamlNode? valueNode = map.Optional(p);
            if (valueNode is null)
            {
                Ctx.Error(node, path, LoaderMessages.MissingDistributionParameter(dist, p, expected));
                complete = false;
                continue;
            }

            Quoted? q = p == "shape" ? Number(valueNode, map.PathOf(p), positive: true) : Parameter(valueNode, map.PathOf(p), positive: false);
            if (q is { } v)
            {
                values[p] = v;
            }
            else
            {
                complete = false;
            }
        }

        if (!complete)
        {
            return null;
        }

        return Build(map, dist, () => dist switch
        {
            "fixed" => Models.Distribution.Fixed(values["value"].Value),
            "exponential" => Positive(map, dist, "mean", values) ? Models.Distribution.ExponentialByMean(values["mean"].Value) : null,
            "weibull" => Positive(map, dist, "scale", values) ? Models.Distribution.Weibull(values["shape"].Value, values["scale"].Value) : null,
            "gamma" => Positive(map, dist, "mean", values) ? Models.Distribution.GammaByShapeMean(values["shape"].Value, values["mean"].Value) : null,
            "uniform" => Ordered(map, dist, "min", "max", values, strict: false) ? Models.Distribution.Uniform(values["min"].Value, values["max"].Value) : null,
            "triangular" => ThreePointOk(map, dist, values) ? Models.Distribution.Triangular(values["min"].Value, values["mode"].Value, values["max"].Value) : null,
            _ => ThreePointOk(map, dist, values) ? Models.Distribution.Pert(values["min"].Value, values["mode"].Value, values["max"].Value) : null,
        });
    }

    // The checks above mirror the factories' ranges; should one slip through, it still becomes a diagnostic.
    private Distribution? Build(MapReader map, string dist, Func<Distribution?> factory)
    {
        try
        {
            return factory();
        }
        catch (ArgumentOutOfRangeException ex)
        {
            Ctx.Error(map.Node, map.Path, LoaderMessages.DistributionInvalid(dist, $"{ex.ParamName} {ex.ActualValue} is out of range"));
            return null;
        }
    }

    private static bool TryYamlSpecial(string text, out double value)
    {
        // YAML spells the special floats .nan and .inf; read them so the message can say they are out of range.
        value = text switch
        {
            ".nan" or ".NaN" or ".NAN" => double.NaN,
            ".inf" or ".Inf" or ".INF" or "+.inf" or "+.Inf" or "+.INF" => double.PositiveInfinity,
            "-.inf" or "-.Inf" or "-.INF" => double.NegativeInfinity,
            _ => 0,
        };
        return value != 0;
    }

    private Distribution? LogNormal(MapReader map)
    {
        string[] present = [.. LogNormalKeys.Where(k => map.Optional(k) is not null)];
        string[]? pair = null;
        foreach (string[] candidate in new[] { new[] { "median", "p90" }, ["low", "high"], ["mu", "sigma"] })
        {
            if (present.Length == 2 && present.Contains(candidate[0]) && present.Contains(candidate[1]))
            {
                pair = candidate;
            }
        }

        if (pair is null)
        {
            Ctx.Error(map.Node, map.Path, LoaderMessages.LogNormalPairs(present));
            return null;
        }

        YamlNode aNode = map.Optional(pair[0])!;
        YamlNode bNode = map.Optional(pair[1])!;
        if (pair[0] == "mu")
        {
            Quoted? mu = Number(aNode, map.PathOf("mu"), positive: false, anySign: true);
            Quoted? sigma = Number(bNode, map.PathOf("sigma"), positive: false);
            return mu is { } m && sigma is { } s ? Build(map, "lognormal", () => Models.Distribution.LogNormal(m.Value, s.Value)) : null;
        }

        Quoted? a = Parameter(aNode, map.PathOf(pair[0]), positive: true);
        Quoted? b = Parameter(bNode, map.PathOf(pair[1]), positive: true);
        if (a is not { } lo || b is not { } hi)
        {
            return null;
        }

        if (hi.Value < lo.Value)
        {
            Ctx.Error(map.Node, map.Path, LoaderMessages.DistributionOrder("lognormal", pair[0], lo.Text, "at most", pair[1], hi.Text));
            return null;
        }

        return Build(map, "lognormal", () => pair[0] == "median"
            ? Models.Distribution.LogNormalByMedianP90(lo.Value, hi.Value)
            : Models.Distribution.LogNormalBy90PercentInterval(lo.Value, hi.Value));
    }

    private bool Positive(MapReader map, string dist, string key, Dictionary<string, Quoted> values)
    {
        if (values[key].Value > 0)
        {
            return true;
        }

        Ctx.Error(map.Optional(key) ?? map.Node, map.PathOf(key), LoaderMessages.DistributionNotPositive(dist, key, values[key].Text));
        return false;
    }

    private bool Ordered(MapReader map, string dist, string a, string b, Dictionary<string, Quoted> values, bool strict)
    {
        bool ok = strict ? values[a].Value < values[b].Value : values[a].Value <= values[b].Value;
        if (!ok)
        {
            Ctx.Error(map.Node, map.Path, LoaderMessages.DistributionOrder(dist, a, values[a].Text, strict ? "less than" : "at most", b, values[b].Text));
        }

        return ok;
    }

    private bool ThreePointOk(MapReader map, string dist, Dictionary<string, Quoted> values) =>
        Ordered(map, dist, "min", "mode", values, strict: false)
        && Ordered(map, dist, "mode", "max", values, strict: false)
        && Ordered(map, dist, "min", "max", values, strict: true);

    /// <summary>The parameters a distribution of this name takes (<c>dist</c> aside), or null for an unknown name.</summary>
    internal static string[]? DistributionParameters(string dist) => dist switch
    {
        "fixed" => ["value"],
        "exponential" => ["mean"],
        "lognormal" => LogNormalKeys,
        "weibull" => ["shape", "scale"],
        "gamma" => ["shape", "mean"],
        "uniform" => ["min", "max"],
        "triangular" or "pert" => ["min", "mode", "max"],
        _ => null,
    };
}
