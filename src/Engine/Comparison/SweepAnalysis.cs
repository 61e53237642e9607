namespace DisasterSim.Engine.Comparison;

/// <summary>A statistic of a metric used as a risk coordinate of the Pareto front, such as <c>rto.p95</c>.</summary>
/// <param name="Metric">The metric.</param>
/// <param name="Statistic">The statistic.</param>
public sealed record RiskMeasure(Metric Metric, Statistic Statistic)
{
    /// <summary>Parses <c>METRIC.STATISTIC</c>; throws <see cref="FormatException"/>.</summary>
    public static RiskMeasure Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string t = text.Trim();
        int bracket = t.IndexOf(']', StringComparison.Ordinal);
        int dot = t.IndexOf('.', Math.Max(0, bracket));
        if (dot < 0)
        {
            throw new FormatException($"'{text}' has no statistic; write METRIC.STATISTIC, for example rto.p95.");
        }

        return new RiskMeasure(Metric.Parse(t[..dot]), Statistic.Parse(t[(dot + 1)..]));
    }

    /// <inheritdoc/>
    public override string ToString() => Metric + "." + Statistic;

    /// <summary>Describes the measure with its unit: "rto.p95: 95th percentile of downtime per incident (hours)".</summary>
    public string Describe()
    {
        string statistic = Statistic.Percentile is double p
            ? "percentile " + (p * 100).ToString("0.###", System.Globalization.CultureInfo.InvariantCulture) + " of "
            : "mean ";
        return $"{this}: {statistic}{Metric.Description} ({Metric.Unit})";
    }
}

/// <summary>One variant of a sweep, evaluated.</summary>
/// <param name="Variant">The variant.</param>
/// <param name="AnnualProtectionCost">Protection cost per year.</param>
/// <param name="MeanPenalty">Expected penalties per trial.</param>
/// <param name="ExpectedTotalCost">Expected penalties plus protection per trial.</param>
/// <param name="Risks">The value of each risk measure, in the order given.</param>
/// <param name="OnParetoFront">Whether no other variant is at most as costly and risky in every coordinate and better in one.</param>
/// <param name="LowestTotalCost">Whether this is the variant of lowest expected total cost (the first, on ties).</param>
/// <param name="Targets">The outcome of each target.</param>
public sealed record SweepPoint(
    VariantResult Variant,
    double AnnualProtectionCost,
    double MeanPenalty,
    double ExpectedTotalCost,
    IReadOnlyList<double> Risks,
    bool OnParetoFront,
    bool LowestTotalCost,
    IReadOnlyList<TargetOutcome> Targets)
{
    /// <summary>Gets whether every target's estimate is met.</summary>
    public bool MeetsTargets => Targets.All(t => t.Met);

    /// <summary>Gets the joint confidence that every target holds (Bonferroni bound).</summary>
    public double TargetConfidence => TargetOutcome.JointConfidence(Targets);
}

/// <summary>Evaluates a sweep: costs, the Pareto front of cost against risk, and targets.</summary>
public static class SweepAnalysis
{
    /// <summary>Evaluates every variant.</summary>
    /// <param name="variants">The variants, on common random numbers.</param>
    /// <param name="risks">The risk coordinates of the Pareto front (protection cost is always the first coordinate).</param>
    /// <param name="targets">The targets (may be empty).</param>
    /// <param name="costs">The cost model.</param>
    public static IReadOnlyList<SweepPoint> Evaluate(IReadOnlyList<VariantResult> variants, IReadOnlyList<RiskMeasure> risks, IReadOnlyList<Target> targets, ICostModel costs)
    {
        ArgumentNullException.ThrowIfNull(variants);
        ArgumentNullException.ThrowIfNull(risks);
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(costs);
        var protection = variants.Select(v => costs.AnnualProtectionCost(v.Result.Scenario)).ToList();
        var totals = variants.Select(v => v.SampleOf(new Metric(MetricKind.Cost), costs).Summary.Mean).ToList();
        var penalties = variants.Select((v, i) => totals[i] - Costs.ProtectionPerTrial(costs, v.Result.Scenario)).ToList();
        var riskValues = variants.Select(v => (IReadOnlyList<double>)risks.Select(r => r.Statistic.Evaluate(v.SampleOf(r.Metric, costs))).ToList()).ToList();
        var front = ParetoFront.Mark(riskValues.Select((r, i) => (IReadOnlyList<double>)[protection[i], .. r]).ToList());
        int cheapest = totals.Count == 0 ? -1 : totals.IndexOf(totals.Min());
        return variants.Select((v, i) => new SweepPoint(
            v,
            protection[i],
            penalties[i],
            totals[i],
            riskValues[i],
            front[i],
            i == cheapest,
            targets.Select(t => t.Evaluate(v.SampleOf(t.Metric, costs))).ToList())).ToList();
    }

    /// <summary>The cheapest variant meeting every target: lowest expected total cost, then lowest protection cost, then highest confidence, then first.</summary>
    /// <returns>The variant, or null when none meets every target.</returns>
    public static SweepPoint? CheapestMeetingTargets(IReadOnlyList<SweepPoint> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        return points
            .Select((p, i) => (p, i))
            .Where(x => x.p.MeetsTargets)
            .OrderBy(x => x.p.ExpectedTotalCost)
            .ThenBy(x => x.p.AnnualProtectionCost)
            .ThenByDescending(x => x.p.TargetConfidence)
            .ThenBy(x => x.i)
            .Select(x => x.p)
            .FirstOrDefault();
    }
}
