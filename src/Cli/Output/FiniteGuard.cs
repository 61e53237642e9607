using System.Globalization;
using DisasterSim.Engine.Costs;
using DisasterSim.Engine.MonteCarlo;
using DisasterSim.Engine.Simulation;
using DisasterSim.Engine.Statistics;
using DisasterSim.Models;

namespace DisasterSim.Cli.Output;

/// <summary>
/// The last line of defence against NaN and Infinity in an output: every value of every chunk, and every statistic, is
/// checked before a writer sees it, and the first non-finite one stops the command with its file, row and column.
/// </summary>
/// <remarks>
/// The loader refuses the values that would make one (see docs/robustness.md); a value that still gets here is a bug,
/// so the message asks for a report. Nothing is written: the output directory deletes what it had staged.
/// </remarks>
internal sealed class FiniteGuard : ITrialChunkConsumer
{
    // A bound of a trial's cost from its largest value and incident count: when it is finite, so is every cost of the chunk.
    private readonly double _pricePerUnit;
    private readonly double _pricePerIncident;
    private readonly double _protection;
    private readonly Scenario _scenario;
    private readonly TrialPricing _pricing;

    /// <summary>Checks the chunks of a run of <paramref name="scenario"/>.</summary>
    public FiniteGuard(Scenario scenario)
    {
        _scenario = scenario;
        _pricing = CostModel.Pricing(scenario);
        _pricePerUnit = scenario.Services.Sum(s => s.Costs.OutagePerHour) + scenario.DataSets.Sum(d => d.Costs.LossPerHour + d.Costs.LossPerGb);
        _pricePerIncident = scenario.Services.Sum(s => s.Costs.PerIncident);
        _protection = _pricing.ProtectionPerTrial;
    }

    /// <inheritdoc/>
    /// <exception cref="NonFiniteValueException">A value is NaN or infinite.</exception>
    /// <remarks>
    /// One cheap pass per chunk (x − x is 0 for a finite x and NaN otherwise; the largest value bounds the costs); only a
    /// chunk that fails it is gone through value by value, to name the first culprit. A default run pays about 1% for it.
    /// </remarks>
    public void Consume(TrialChunk chunk)
    {
        ArgumentNullException.ThrowIfNull(chunk);
        double nonFinite = 0;
        double largest = 0;
        int incidents = 0;
        for (int row = 0; row < chunk.Count; row++)
        {
            Scan(chunk.DowntimeRow(row), ref nonFinite, ref largest);
            Scan(chunk.PlannedDowntimeRow(row), ref nonFinite, ref largest);
            Scan(chunk.LossHoursRow(row), ref nonFinite, ref largest);
            Scan(chunk.LossGbRow(row), ref nonFinite, ref largest);
            foreach (int count in chunk.IncidentCountRow(row))
            {
                incidents = Math.Max(incidents, count);
            }
        }

        foreach (ref readonly var x in chunk.Incidents)
        {
            nonFinite += (x.StartHours - x.StartHours) + (x.DetectionDelayHours - x.DetectionDelayHours) + (x.DowntimeHours - x.DowntimeHours)
                + (x.DataLossHours - x.DataLossHours) + (x.DataLossGb - x.DataLossGb);
        }

        if (nonFinite != 0 || !double.IsFinite(nonFinite) || !((largest * _pricePerUnit) + ((double)incidents * _pricePerIncident) + _protection < double.MaxValue / 2))
        {
            Locate(chunk);
        }
    }

    private static void Scan(ReadOnlySpan<double> values, ref double nonFinite, ref double largest)
    {
        foreach (double v in values)
        {
            nonFinite += v - v;
            largest = Math.Max(largest, v);
        }
    }

    // Value by value, with the costs priced trial by trial: throws at the first non-finite value.
    private void Locate(TrialChunk chunk)
    {
        for (int row = 0; row < chunk.Count; row++)
        {
            long trial = chunk.FirstTrial + row;
            for (int s = 0; s < chunk.Services; s++)
            {
                Check(chunk.Downtime(row, s), "trials.csv", trial, _scenario.Services[s].Name + ".downtime_h");
                Check(chunk.PlannedDowntime(row, s), "trials.csv", trial, _scenario.Services[s].Name + ".planned_h");
            }

            for (int d = 0; d < chunk.DataSets; d++)
            {
                Check(chunk.LossHours(row, d), "trials.csv", trial, _scenario.DataSets[d].Name + ".loss_h");
                Check(chunk.LossGb(row, d), "trials.csv", trial, _scenario.DataSets[d].Name + ".loss_gb");
            }

            var cost = _pricing.Price(chunk.DowntimeRow(row), chunk.IncidentCountRow(row), chunk.LossHoursRow(row), chunk.LossGbRow(row));
            Check(cost.Total, "trials.csv", trial, "cost");
            Check(cost.Protection, "trials.csv", trial, "cost.protection");
            Check(cost.Penalties, "trials.csv", trial, "cost.penalties");
        }

        foreach (ref readonly var incident in chunk.Incidents)
        {
            Check(incident, incident.StartHours, "start_h");
            Check(incident, incident.DetectionDelayHours, "detection_delay_h");
            Check(incident, incident.DowntimeHours, "downtime_h");
            Check(incident, incident.DataLossHours, "data_loss_h");
            Check(incident, incident.DataLossGb, "data_loss_gb");
        }
    }

    /// <summary>Checks every statistic of <paramref name="result"/>, as summary.csv and the comparisons show them.</summary>
    /// <exception cref="NonFiniteValueException">A statistic is NaN or infinite.</exception>
    public static void CheckStatistics(RunResult result, string file = "summary.csv")
    {
        ArgumentNullException.ThrowIfNull(result);
        foreach (var s in result.Services)
        {
            Check(s.DowntimePerTrial, file, $"service {s.Name}, downtime per trial");
            Check(s.DowntimePerIncident, file, $"service {s.Name}, downtime per incident");
            if (s.PlannedDowntimePerTrial is { } planned)
            {
                Check(planned, file, $"service {s.Name}, planned downtime per trial");
            }
        }

        foreach (var d in result.DataSets)
        {
            Check(d.LossHoursPerTrial, file, $"data {d.Name}, loss hours per trial");
            Check(d.LossHoursPerIncident, file, $"data {d.Name}, loss hours per incident");
            Check(d.LossGbPerTrial, file, $"data {d.Name}, loss GB per trial");
            Check(d.LossGbPerIncident, file, $"data {d.Name}, loss GB per incident");
        }

        Check(result.Costs.Total, file, "cost total");
        Check(result.Costs.Penalties, file, "cost penalties");
        Check(result.Costs.Protection, file, "cost protection");
    }

    private static void Check(Summary s, string file, string row)
    {
        foreach (var (column, value) in new[]
        {
            ("mean", s.Mean), ("mean_ci_low", s.MeanCiLow), ("mean_ci_high", s.MeanCiHigh), ("std_dev", s.StdDev), ("p50", s.P50), ("p90", s.P90),
            ("p95", s.P95), ("p99", s.P99), ("p99_9", s.P999), ("max", s.Max), ("share_nonzero", s.ShareNonZero),
        })
        {
            if (!double.IsFinite(value))
            {
                throw new NonFiniteValueException(file, row, column, value);
            }
        }
    }

    private void Check(in IncidentRecord incident, double value, string column)
    {
        if (!double.IsFinite(value))
        {
            throw new NonFiniteValueException("incidents.csv", string.Create(CultureInfo.InvariantCulture, $"trial {incident.Trial}, service {_scenario.Services[incident.Service].Name}, incident at {incident.StartHours:R} h"), column, value);
        }
    }

    private static void Check(double value, string file, long trial, string column)
    {
        if (!double.IsFinite(value))
        {
            throw new NonFiniteValueException(file, string.Create(CultureInfo.InvariantCulture, $"trial {trial}"), column, value);
        }
    }
}

/// <summary>An output was about to receive NaN or Infinity; nothing was written.</summary>
public sealed class NonFiniteValueException(string file, string row, string column, double value)
    : Exception(string.Create(CultureInfo.InvariantCulture, $"refusing to write a non-finite value to {file}: {row}, column {column} is {value}; nothing was written (this is a bug: please report it with the scenario and the command line)"));
