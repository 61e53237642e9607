using DisasterSim.Engine.Comparison;
using DisasterSim.Models;

namespace DisasterSim.Cli.Output;

/// <summary>A metric in the vocabulary of every file: entity, name, metric, per, unit (as summary.csv writes them).</summary>
/// <param name="Entity"><c>service</c>, <c>data</c> or <c>cost</c>.</param>
/// <param name="Name">The service or data set; <c>(all)</c> for a metric summed over all of them; <c>total</c> for cost.</param>
/// <param name="Metric"><c>downtime</c>, <c>loss</c>, <c>worst_downtime</c>, <c>worst_loss</c> or <c>cost</c>.</param>
/// <param name="Per"><c>trial</c> or <c>incident</c>.</param>
/// <param name="Unit"><c>hours</c>, <c>gb</c> or the scenario's currency.</param>
public sealed record MetricColumns(string Entity, string Name, string Metric, string Per, string Unit)
{
    /// <summary>The name of a metric over every service or data set.</summary>
    public const string All = "(all)";

    /// <summary>The columns that identify a metric, in file order.</summary>
    public static IReadOnlyList<string> Header { get; } = ["entity", "name", "metric", "per", "unit"];

    /// <summary>Describes <paramref name="metric"/> of <paramref name="scenario"/> (whose currency labels money).</summary>
    public static MetricColumns Of(Metric metric, Scenario scenario)
    {
        ArgumentNullException.ThrowIfNull(metric);
        ArgumentNullException.ThrowIfNull(scenario);
        string name = metric.Entity ?? All;
        return metric.Kind switch
        {
            MetricKind.Downtime => new("service", name, "downtime", "trial", "hours"),
            MetricKind.Rto => new("service", name, "downtime", "incident", "hours"),
            MetricKind.WorstDowntime => new("service", name, "worst_downtime", "trial", "hours"),
            MetricKind.Loss => new("data", name, "loss", "trial", "hours"),
            MetricKind.LossGb => new("data", name, "loss", "trial", "gb"),
            MetricKind.Rpo => new("data", name, "loss", "incident", "hours"),
            MetricKind.WorstLoss => new("data", name, "worst_loss", "trial", "hours"),
            MetricKind.Cost => new("cost", "total", "cost", "trial", CsvOutputs.CurrencyUnit(scenario)),
            _ => throw new ArgumentOutOfRangeException(nameof(metric), metric.Kind, "not a metric kind"),
        };
    }

    /// <summary>Gets the cells in file order.</summary>
    public IEnumerable<string> Cells => [Entity, Name, Metric, Per, Unit];

    /// <summary>A label for people: "downtime of erp per incident (hours)".</summary>
    public string Label => $"{Metric.Replace('_', ' ')}{(Entity == "cost" ? "" : " of " + (Name == All ? (Entity == "service" ? "every service" : "every data set") : Name))} per {Per} ({Unit})";
}
