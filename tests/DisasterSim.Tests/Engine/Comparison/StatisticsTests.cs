using DisasterSim.Engine.Comparison;

namespace DisasterSim.Tests.Engine.Comparison;

/// <summary>Paired differences, Holm's correction, the Pareto front, targets, exceedance and TVaR against hand computations.</summary>
public sealed class StatisticsTests
{
    [Fact]
    public void PairedDifference_TinyTable_MatchesHandComputation()
    {
        // d = [1, 0, 2, −1]: mean 0.5, s² = (0.25 + 0.25 + 2.25 + 2.25)/3 = 5/3, se = s/2.
        double[] baseline = [1, 2, 3, 4];
        double[] variant = [2, 2, 5, 3];

        var d = PairedDifference.Compute(baseline, variant);

        double sd = Math.Sqrt(5.0 / 3);
        double se = sd / 2;
        const double t975df3 = 3.182446305284263; // Student t quantile, 3 degrees of freedom (tables)
        Assert.Equal(4, d.Count);
        Assert.Equal(0.5, d.Mean, 12);
        Assert.Equal(sd, d.StdDev, 12);
        Assert.Equal(0.5 - (t975df3 * se), d.CiLow, 9);
        Assert.Equal(0.5 + (t975df3 * se), d.CiHigh, 9);

        // With 3 degrees of freedom the t CDF has a closed form: 1/2 + (θ + sin θ cos θ)/π, θ = atan(t/√3).
        double theta = Math.Atan(0.5 / se / Math.Sqrt(3));
        double p = 2 * (1 - (0.5 + ((theta + (Math.Sin(theta) * Math.Cos(theta))) / Math.PI)));
        Assert.Equal(p, d.PValue, 9);
        Assert.Equal(0.25, d.ShareBetter);
        Assert.Equal(0.5, d.ShareWorse);
    }

    [Fact]
    public void PairedDifference_IdenticalSamples_IsExactlyZeroWithPValueOne()
    {
        double[] values = [0, 3.5, 0, 12, 0.25];

        var d = PairedDifference.Compute(values, (double[])values.Clone());

        Assert.Equal(0, d.Mean);
        Assert.Equal(0, d.CiLow);
        Assert.Equal(0, d.CiHigh);
        Assert.Equal(1, d.PValue);
        Assert.Equal(0, d.ShareBetter);
        Assert.Equal(0, d.ShareWorse);
    }

    [Fact]
    public void PairedDifference_DifferentLengths_Throws()
    {
        var e = Assert.Throws<ArgumentException>(() => PairedDifference.Compute(new double[] { 1, 2 }, new double[] { 1, 2, 3 }));

        Assert.Contains("same trial count", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Holm_FourPValues_MatchesHandComputation()
    {
        // Sorted: 0.005·4 = 0.02, 0.01·3 = 0.03, 0.03·2 = 0.06, 0.04·1 = 0.04 → max so far 0.06.
        var adjusted = Holm.Adjust([0.01, 0.04, 0.03, 0.005]);

        Assert.Equal([0.03, 0.06, 0.06, 0.02], adjusted.Select(p => Math.Round(p, 12)));
    }

    [Fact]
    public void Holm_CapsAtOne()
    {
        Assert.Equal([1.0, 1.0], Holm.Adjust([0.6, 0.9]));
    }

    [Fact]
    public void ParetoFront_MarksNonDominatedPointsAndKeepsTies()
    {
        IReadOnlyList<double>[] points = [[1, 10], [2, 5], [3, 5], [2, 5], [0.5, 20], [4, 1], [4, 2]];

        var front = ParetoFront.Mark(points);

        Assert.Equal([true, true, false, true, true, true, false], front);
    }

    [Fact]
    public void ParetoFront_ThreeCoordinates_NeedsDominanceInAll()
    {
        IReadOnlyList<double>[] points = [[0, 1, 5], [0, 2, 1], [0, 2, 5]];

        Assert.Equal([true, true, false], ParetoFront.Mark(points));
    }

    [Theory]
    [InlineData("rto.p95<=4h", MetricKind.Rto, null, 0.95, 4)]
    [InlineData("rpo[erp-db].p99.9<=30m", MetricKind.Rpo, "erp-db", 0.999, 0.5)]
    [InlineData("downtime.mean<2h", MetricKind.Downtime, null, null, 2)]
    [InlineData("loss_gb.p50<=12.5", MetricKind.LossGb, null, 0.5, 12.5)]
    public void Target_Parse_ReadsMetricStatisticAndThreshold(string text, MetricKind kind, string? entity, double? p, double threshold)
    {
        var target = Target.Parse(text);

        Assert.Equal(kind, target.Metric.Kind);
        Assert.Equal(entity, target.Metric.Entity);
        Assert.Equal(p, target.Statistic.Percentile);
        Assert.Equal(threshold, target.Threshold, 12);
    }

    [Theory]
    [InlineData("rto.p95", "no '<='")]
    [InlineData("rto<=4h", "no statistic")]
    [InlineData("rto.p95<=4", "not a duration")]
    [InlineData("uptime.p95<=4h", "unknown metric 'uptime'")]
    [InlineData("rto.p100<=4h", "unknown statistic")]
    public void Target_Parse_BadText_SaysWhatIsWrong(string text, string expected)
    {
        var e = Assert.Throws<FormatException>(() => Target.Parse(text));

        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Target_PercentileConfidence_IsTheBinomialTail()
    {
        // 95 of 100 values are ≤ 95: the confidence that the 90th percentile is ≤ 95 is P(Bin(100, 0.9) ≤ 94).
        double[] values = Enumerable.Range(1, 100).Select(i => (double)i).ToArray();
        var target = Target.Parse("loss_gb.p90<=95");

        double expected = 0;
        for (int k = 0; k <= 94; k++)
        {
            expected += Math.Exp(LogChoose(100, k) + (k * Math.Log(0.9)) + ((100 - k) * Math.Log(0.1)));
        }

        Assert.Equal(expected, target.Confidence(values), 9);
        Assert.InRange(expected, 0.9, 0.97);
    }

    [Fact]
    public void Target_MeanConfidence_IsNormalApproximation()
    {
        double[] values = [1, 2, 3, 4, 5];
        var target = Target.Parse("loss_gb.mean<=3");

        Assert.Equal(0.5, target.Confidence(values), 12);
    }

    [Fact]
    public void JointConfidence_IsBonferroniBound()
    {
        var t = Target.Parse("rto.p95<=4h");
        var outcomes = new[] { new TargetOutcome(t, 1, true, 0.97), new TargetOutcome(t, 1, true, 0.9) };

        Assert.Equal(0.87, TargetOutcome.JointConfidence(outcomes), 12);
    }

    [Fact]
    public void ExceedanceCurve_ExponentialQuantiles_MatchesSurvivalFunction()
    {
        // The n quantiles at (i + 0.5)/n of an exponential of mean 2: the empirical P(X > x) is within 1/n of e^(−x/2).
        const int n = 10_000;
        double[] values = Enumerable.Range(0, n).Select(i => -2 * Math.Log(1 - ((i + 0.5) / n))).Reverse().ToArray();

        var curve = Exceedance.Curve(values, [0, 0.5, 1, 2, 5, 10, 15]);

        foreach (var point in curve)
        {
            Assert.InRange(point.Probability - Math.Exp(-point.X / 2), -1.0 / n, 1.0 / n);
            Assert.Equal(point.Count / (double)n, point.Probability);
        }
    }

    [Fact]
    public void ExceedanceCurve_CountsStrictlyAbove()
    {
        var curve = Exceedance.Curve([0, 0, 1, 2, 2], [0, 1, 2]);

        Assert.Equal([3L, 2L, 0L], curve.Select(p => p.Count));
    }

    [Fact]
    public void TailValueAtRisk_Exponential_IsVaRPlusMean()
    {
        const int n = 100_000;
        double[] values = Enumerable.Range(0, n).Select(i => -2 * Math.Log(1 - ((i + 0.5) / n))).ToArray();

        Assert.Equal((2 * Math.Log(20)) + 2, Exceedance.TailValueAtRisk(values, 0.95), 2);
        Assert.Equal((2 * Math.Log(100)) + 2, Exceedance.TailValueAtRisk(values, 0.99), 2);
    }

    [Fact]
    public void TailValueAtRisk_SmallSample_AveragesTheWorstShare()
    {
        // 20 values, p = 0.9: the worst 2.
        double[] values = Enumerable.Range(1, 20).Select(i => (double)i).ToArray();

        Assert.Equal(19.5, Exceedance.TailValueAtRisk(values, 0.9));
    }

    [Fact]
    public void ZeroEventUpperBound_IsAboutThreeOverN()
    {
        double bound = Exceedance.ZeroEventUpperBound(10_000);

        Assert.Equal(1 - Math.Pow(0.05, 1e-4), bound, 15);
        Assert.InRange(bound, 2.99e-4, 3.0e-4);
    }

    [Fact]
    public void Levels_SpanDecadesFromZero()
    {
        var levels = Exceedance.Levels([[0, 0.5, 30], [200]], perDecade: 1);

        Assert.Equal([0, 0.1, 1, 10, 100, 1000], levels);
    }

    private static double LogChoose(int n, int k)
    {
        double s = 0;
        for (int i = 1; i <= k; i++)
        {
            s += Math.Log(n - k + i) - Math.Log(i);
        }

        return s;
    }
}
