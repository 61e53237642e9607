using System.Globalization;
using DisasterSim.Engine.MonteCarlo;
using DisasterSim.Engine.Statistics;
using DisasterSim.Models;

namespace DisasterSim.Engine.Comparison;

/// <summary>The quantities a comparison, a sweep or a target can name.</summary>
public enum MetricKind
{
    /// <summary><c>downtime</c>: downtime per trial (year) inside the horizon, hours, summed over the selected services.</summary>
    Downtime,

    /// <summary><c>loss</c>: hours of changes lost per trial, summed over the selected data sets.</summary>
    Loss,

    /// <summary><c>loss_gb</c>: GB lost per trial, summed over the selected data sets.</summary>
    LossGb,

    /// <summary><c>rto</c>: the realised RTO, the downtime of each incident, hours (one value per incident).</summary>
    Rto,

    /// <summary><c>rpo</c>: the realised RPO, the hours of changes lost in each data-loss incident (one value per incident).</summary>
    Rpo,

    /// <summary><c>worst_downtime</c>: the longest single incident of each trial (0 without one), hours.</summary>
    WorstDowntime,

    /// <summary><c>worst_loss</c>: the largest single data loss of each trial (0 without one), hours.</summary>
    WorstLoss,

    /// <summary><c>cost</c>: penalties plus protection per trial, in the scenario's currency.</summary>
    Cost,
}

/// <summary>A metric of a run: a kind and, optionally, the one service or data set it is restricted to.</summary>
/// <param name="Kind">The quantity.</param>
/// <param name="Entity">A service name (downtime, rto, worst_downtime) or data set name (loss, loss_gb, rpo, worst_loss); null for all of them.</param>
public sealed record Metric(MetricKind Kind, string? Entity = null)
{
    private static readonly (string Name, MetricKind Kind)[] Names =
    [
        ("downtime", MetricKind.Downtime), ("loss", MetricKind.Loss), ("loss_gb", MetricKind.LossGb),
        ("rto", MetricKind.Rto), ("rpo", MetricKind.Rpo), ("worst_downtime", MetricKind.WorstDowntime),
        ("worst_loss", MetricKind.WorstLoss), ("cost", MetricKind.Cost),
    ];

    /// <summary>Gets the metric names accepted by <see cref="Parse"/>.</summary>
    public static IReadOnlyList<string> KnownNames { get; } = Names.Select(n => n.Name).ToList();

    /// <summary>Gets whether there is one value per trial (so variants can be paired), not one per incident.</summary>
    public bool PerTrial => Kind is not (MetricKind.Rto or MetricKind.Rpo);

    /// <summary>Gets the unit of the values.</summary>
    public string Unit => Kind switch
    {
        MetricKind.LossGb => "gb",
        MetricKind.Cost => "currency",
        _ => "hours",
    };

    /// <summary>Gets a short description for chart axes: "downtime per incident".</summary>
    public string Description => Kind switch
    {
        MetricKind.Downtime => "downtime per year",
        MetricKind.Loss => "data lost per year",
        MetricKind.LossGb => "GB lost per year",
        MetricKind.Rto => "downtime per incident",
        MetricKind.Rpo => "data lost per incident",
        MetricKind.WorstDowntime => "worst incident's downtime in a year",
        MetricKind.WorstLoss => "worst incident's data loss in a year",
        _ => "cost per year",
    } + (Entity is null ? "" : " of " + Entity);

    /// <summary>Gets whether the metric is about services (else data sets, or neither for cost).</summary>
    public bool OfServices => Kind is MetricKind.Downtime or MetricKind.Rto or MetricKind.WorstDowntime;

    /// <summary>Parses <c>NAME</c> or <c>NAME[ENTITY]</c>; throws <see cref="FormatException"/> naming the accepted names.</summary>
    public static Metric Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string name = text.Trim();
        string? entity = null;
        int bracket = name.IndexOf('[', StringComparison.Ordinal);
        if (bracket >= 0)
        {
            if (!name.EndsWith(']'))
            {
                throw new FormatException($"metric '{text}': '[' is not closed; write for example rto[erp].");
            }

            entity = name[(bracket + 1)..^1].Trim();
            name = name[..bracket];
        }

        foreach (var (n, kind) in Names)
        {
            if (n == name)
            {
                return new Metric(kind, string.IsNullOrEmpty(entity) ? null : entity);
            }
        }

        throw new FormatException($"unknown metric '{name}'; expected one of {string.Join(", ", KnownNames)} (optionally with [service] or [data set]).");
    }

    /// <inheritdoc/>
    public override string ToString()
    {
        string name = Names.First(n => n.Kind == Kind).Name;
        return Entity is null ? name : name + "[" + Entity + "]";
    }

    /// <summary>Checks that <see cref="Entity"/> names a service or data set of <paramref name="scenario"/>; returns a one-line problem or null.</summary>
    public string? Check(Scenario scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        if (Entity is null || Kind == MetricKind.Cost)
        {
            return Entity is null ? null : $"metric '{this}': cost is per trial for the whole scenario; drop '[{Entity}]'.";
        }

        var names = OfServices ? scenario.Services.Select(s => s.Name).ToList() : scenario.DataSets.Select(d => d.Name).ToList();
        if (names.Contains(Entity, StringComparer.Ordinal))
        {
            return null;
        }

        string what = OfServices ? "service" : "data set";
        return $"metric '{this}': no {what} named '{Entity}'; {what}s: {string.Join(", ", names)}.";
    }

    /// <summary>The metric's values in <paramref name="result"/>, a run that kept its records: one per trial in trial order, or one per incident for rto and rpo.</summary>
    public double[] Values(RunResult result, ICostModel costs)
    {
        ArgumentNullException.ThrowIfNull(result);
        var reader = new MetricReader(this, result.Scenario, costs);
        var values = new List<double>();
        result.KeptRecords.Replay(new ChunkAction(chunk => values.AddRange(reader.Read(chunk))));
        return [.. values];
    }

    private sealed class ChunkAction(Action<TrialChunk> action) : ITrialChunkConsumer
    {
        public void Consume(TrialChunk chunk) => action(chunk);
    }
}

/// <summary>A statistic of a metric: the mean or a percentile.</summary>
/// <param name="Percentile">The probability of the percentile (0.95 for p95), or null for the mean.</param>
public sealed record Statistic(double? Percentile)
{
    /// <summary>Parses <c>mean</c>, <c>p95</c>, <c>p99</c>, <c>p99.9</c> (also <c>p99_9</c>); throws <see cref="FormatException"/>.</summary>
    public static Statistic Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string t = text.Trim();
        if (t == "mean")
        {
            return new Statistic((double?)null);
        }

        if (t.Length > 1 && t[0] == 'p'
            && decimal.TryParse(t[1..].Replace('_', '.'), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out decimal pct)
            && pct > 0 && pct < 100)
        {
            // Divided in decimal so p99.9 is the double nearest 0.999, not 99.9 / 100 = 0.9990000000000001.
            return new Statistic((double)(pct / 100));
        }

        throw new FormatException($"unknown statistic '{text}'; expected mean or a percentile such as p50, p95, p99, p99.9.");
    }

    /// <inheritdoc/>
    public override string ToString() => Percentile is double p
        ? "p" + (p * 100).ToString("0.###", CultureInfo.InvariantCulture)
        : "mean";

    /// <summary>Evaluates the statistic on <paramref name="values"/> (0 when there are none).</summary>
    public double Evaluate(Sample values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0)
        {
            return 0;
        }

        return Percentile is double p ? values.Percentile(p) : values.Summary.Mean;
    }
}
