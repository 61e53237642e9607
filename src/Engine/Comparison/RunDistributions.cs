using DisasterSim.Engine.Costs;
using DisasterSim.Engine.MonteCarlo;
using DisasterSim.Models;

namespace DisasterSim.Engine.Comparison;

/// <summary>Counts of values on a fixed log grid: enough for exceedance curves and histograms of a streamed run, in bounded memory.</summary>
/// <remarks>
/// The grid has <see cref="PerDecade"/> levels per factor of ten from 10^<see cref="FirstDecade"/> to
/// 10^<see cref="LastDecade"/> (rounded to four significant digits, as <see cref="Exceedance.Levels"/> does); a value
/// falls in the bin of the highest level it reaches. A curve read from the counts is exact at every level of the grid.
/// </remarks>
public sealed class LogCounts
{
    /// <summary>Levels per factor of ten.</summary>
    public const int PerDecade = 10;

    /// <summary>The first decade (10^-4: a third of a second in hours, a ten-thousandth of a GB or of money).</summary>
    public const int FirstDecade = -4;

    /// <summary>The last decade (10^12).</summary>
    public const int LastDecade = 12;

    private static readonly double[] Grid = [.. Enumerable.Range(FirstDecade * PerDecade, ((LastDecade - FirstDecade) * PerDecade) + 1)
        .Select(k => RoundSignificant(Math.Pow(10, k / (double)PerDecade)))];

    // _bins[0]: values at zero or below the grid; _bins[i + 1]: values from Grid[i] up to (not including) Grid[i + 1].
    private readonly long[] _bins = new long[Grid.Length + 1];

    /// <summary>Gets the number of values counted.</summary>
    public long Count { get; private set; }

    /// <summary>Gets the number of values that were exactly zero.</summary>
    public long Zeros { get; private set; }

    /// <summary>Counts one value.</summary>
    public void Add(double value)
    {
        Count++;
        if (value <= 0)
        {
            Zeros++;
            _bins[0]++;
            return;
        }

        // The level from the logarithm, then at most a step either way: the grid's levels are rounded to four digits.
        int at = Math.Clamp((int)Math.Floor(Math.Log10(value) * PerDecade) - (FirstDecade * PerDecade), -1, Grid.Length - 1);
        while (at >= 0 && Grid[at] > value)
        {
            at--;
        }

        while (at + 1 < Grid.Length && Grid[at + 1] <= value)
        {
            at++;
        }

        _bins[at + 1]++;
    }

    /// <summary>The exceedance curve P(X &gt; level) at 0 and at the grid's levels from just below the smallest value to the largest.</summary>
    public IReadOnlyList<ExceedancePoint> Curve()
    {
        var points = new List<ExceedancePoint>();
        long positive = Count - Zeros;
        points.Add(new ExceedancePoint(0, Count == 0 ? 0 : positive / (double)Count, positive));
        long above = Count - _bins[0];
        int first = Array.FindIndex(_bins, 1, b => b > 0);
        if (first < 0)
        {
            return points;
        }

        // Level Grid[i] is exceeded by the values of bins i + 2 and up, and by those of bin i + 1 above Grid[i]: the grid
        // cannot tell those apart, so the count at a level includes its own bin (exact when no value sits on a level).
        for (int i = first - 1; i < Grid.Length && above > 0; i++)
        {
            points.Add(new ExceedancePoint(Grid[i], above / (double)Count, above));
            above -= _bins[i + 1];
        }

        return points;
    }

    /// <summary>The histogram: the count of values in each bin of <paramref name="perDecade"/> bins per factor of ten (a divisor of <see cref="PerDecade"/>), from the first to the last bin with a value.</summary>
    public IReadOnlyList<(double Low, double High, long Count)> Histogram(int perDecade = 5)
    {
        int step = PerDecade / perDecade;
        var bins = new List<(double, double, long)>();
        for (int i = 0; i + step < Grid.Length; i += step)
        {
            long count = 0;
            for (int k = i; k < i + step; k++)
            {
                count += _bins[k + 1];
            }

            bins.Add((Grid[i], Grid[i + step], count));
        }

        int first = bins.FindIndex(b => b.Item3 > 0);
        int last = bins.FindLastIndex(b => b.Item3 > 0);
        return first < 0 ? [] : bins[first..(last + 1)];
    }

    /// <summary>Counts every value of a sample.</summary>
    public static LogCounts Of(IEnumerable<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var counts = new LogCounts();
        foreach (double v in values)
        {
            counts.Add(v);
        }

        return counts;
    }

    private static double RoundSignificant(double x)
    {
        double scale = Math.Pow(10, 3 - (int)Math.Floor(Math.Log10(x)));
        return Math.Round(x * scale) / scale;
    }
}

/// <summary>One trial worth replaying: its index and what it cost.</summary>
/// <param name="Trial">The trial index.</param>
/// <param name="Cost">Its total cost (protection and penalties).</param>
/// <param name="Downtime">Its unplanned downtime, summed over services, hours.</param>
/// <param name="LossHours">Its data loss, summed over data sets, hours of changes.</param>
public readonly record struct WorstTrial(long Trial, double Cost, double Downtime, double LossHours);

/// <summary>
/// The distributions of a run as it streams by, in bounded memory: per year and per worst incident for every service and
/// data set, per year for the cost, per incident for histograms, and the worst trials.
/// </summary>
public sealed class RunDistributions : ITrialChunkConsumer
{
    private readonly TrialPricing _pricing;
    private readonly bool _priced;
    private readonly int _keep;
    private readonly double[] _worstDowntime;
    private readonly double[] _worstLoss;
    private readonly List<WorstTrial> _worst = [];

    /// <summary>Creates the counters of a run of <paramref name="scenario"/>, keeping its <paramref name="keep"/> worst trials.</summary>
    public RunDistributions(Scenario scenario, int keep = 10)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        _pricing = CostModel.Pricing(scenario);
        _priced = CostModel.HasCosts(scenario);
        _keep = keep;
        Downtime = [.. scenario.Services.Select(_ => new LogCounts())];
        WorstDowntime = [.. scenario.Services.Select(_ => new LogCounts())];
        DowntimePerIncident = [.. scenario.Services.Select(_ => new LogCounts())];
        Loss = [.. scenario.DataSets.Select(_ => new LogCounts())];
        WorstLoss = [.. scenario.DataSets.Select(_ => new LogCounts())];
        LossPerIncident = [.. scenario.DataSets.Select(_ => new LogCounts())];
        _worstDowntime = new double[scenario.Services.Length];
        _worstLoss = new double[scenario.DataSets.Length];
    }

    /// <summary>Gets each service's unplanned downtime per trial.</summary>
    public IReadOnlyList<LogCounts> Downtime { get; }

    /// <summary>Gets each service's longest incident per trial (0 without one).</summary>
    public IReadOnlyList<LogCounts> WorstDowntime { get; }

    /// <summary>Gets each service's downtime per unplanned incident.</summary>
    public IReadOnlyList<LogCounts> DowntimePerIncident { get; }

    /// <summary>Gets each data set's loss per trial, hours of changes.</summary>
    public IReadOnlyList<LogCounts> Loss { get; }

    /// <summary>Gets each data set's largest loss per trial, hours of changes.</summary>
    public IReadOnlyList<LogCounts> WorstLoss { get; }

    /// <summary>Gets each data set's loss per data-loss incident, hours of changes.</summary>
    public IReadOnlyList<LogCounts> LossPerIncident { get; }

    /// <summary>Gets the total cost per trial.</summary>
    public LogCounts Cost { get; } = new();

    /// <summary>Gets the worst trials, worst first: by cost when the scenario has prices, else by downtime, then data loss; ties by trial.</summary>
    public IReadOnlyList<WorstTrial> Worst => _worst;

    /// <inheritdoc/>
    public void Consume(TrialChunk chunk)
    {
        ArgumentNullException.ThrowIfNull(chunk);
        var incidents = chunk.Incidents;
        var losses = chunk.Losses;
        int i = 0;
        int l = 0;
        for (int row = 0; row < chunk.Count; row++)
        {
            long trial = chunk.FirstTrial + row;
            Array.Clear(_worstDowntime);
            Array.Clear(_worstLoss);
            for (; i < incidents.Length && incidents[i].Trial == trial; i++)
            {
                var incident = incidents[i];
                if (incident.CauseKind is Simulation.CauseKind.Threat or Simulation.CauseKind.ComponentFailure)
                {
                    DowntimePerIncident[incident.Service].Add(incident.DowntimeHours);
                    _worstDowntime[incident.Service] = Math.Max(_worstDowntime[incident.Service], incident.DowntimeHours);
                }
            }

            for (; l < losses.Length && losses[l].Trial == trial; l++)
            {
                var loss = losses[l];
                LossPerIncident[loss.DataSet].Add(loss.LossHours);
                _worstLoss[loss.DataSet] = Math.Max(_worstLoss[loss.DataSet], loss.LossHours);
            }

            double downtime = 0;
            for (int s = 0; s < chunk.Services; s++)
            {
                Downtime[s].Add(chunk.Downtime(row, s));
                WorstDowntime[s].Add(_worstDowntime[s]);
                downtime += chunk.Downtime(row, s);
            }

            double lossHours = 0;
            for (int d = 0; d < chunk.DataSets; d++)
            {
                Loss[d].Add(chunk.LossHours(row, d));
                WorstLoss[d].Add(_worstLoss[d]);
                lossHours += chunk.LossHours(row, d);
            }

            double cost = _pricing.Price(chunk.DowntimeRow(row), chunk.IncidentCountRow(row), chunk.LossHoursRow(row), chunk.LossGbRow(row)).Total;
            Cost.Add(cost);
            Keep(new WorstTrial(trial, cost, downtime, lossHours));
        }
    }

    private void Keep(WorstTrial candidate)
    {
        if (_keep <= 0 || (candidate.Downtime == 0 && candidate.LossHours == 0) || (_worst.Count == _keep && !Worse(candidate, _worst[^1])))
        {
            return;
        }

        int at = _worst.FindIndex(w => Worse(candidate, w));
        if (at < 0)
        {
            if (_worst.Count < _keep)
            {
                _worst.Add(candidate);
            }

            return;
        }

        _worst.Insert(at, candidate);
        if (_worst.Count > _keep)
        {
            _worst.RemoveAt(_worst.Count - 1);
        }
    }

    // Trials arrive in order, so an equal candidate (a later trial) never goes before one already kept.
    private bool Worse(WorstTrial a, WorstTrial b) => _priced
        ? a.Cost > b.Cost
        : a.Downtime > b.Downtime || (a.Downtime == b.Downtime && a.LossHours > b.LossHours);
}
