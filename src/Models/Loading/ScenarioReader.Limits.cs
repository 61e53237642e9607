using System.Collections.Immutable;
using YamlDotNet.RepresentationModel;

namespace DisasterSim.Models.Loading;

/// <summary>
/// Ranges that keep every output finite, checked across values once they are read: each value alone is within its
/// documented range (<see cref="ReadContext.MaxNumber"/>, <see cref="ReadContext.MaxDurationHours"/>), but a ratio of
/// two of them can still be infinite.
/// </summary>
internal sealed partial class ScenarioReader
{
    /// <summary>Rejects backups whose restore (setup plus size over throughput) would take longer than any duration may.</summary>
    private void CheckRestoreTimes(ImmutableArray<DataSet> data)
    {
        foreach (DataSet d in data)
        {
            if (!dataMaps.TryGetValue(d.Name, out MapReader? map) || map.Optional("backups") is not YamlSequenceNode backupNodes)
            {
                continue;
            }

            for (int i = 0; i < d.Backups.Length && i < backupNodes.Children.Count; i++)
            {
                // A varying restore is judged by its slow end: the 99.9th percentile of its setup, the 0.1th of its throughput.
                Backup b = d.Backups[i];
                double slowest = b.RestoreThroughput?.P001Bound ?? b.RestoreThroughputGbPerHour;
                double hours = (b.RestoreSetup?.P999Bound ?? b.RestoreSetupHours) + (d.SizeGb / slowest);
                if (!(hours <= ReadContext.MaxDurationHours))
                {
                    string path = ScenarioNodes.Item(map.PathOf("backups"), i) + ".restore.throughput_gb_per_hour";
                    YamlNode node = backupNodes.Children[i] is YamlMappingNode backup
                        && backup.Children.TryGetValue(new YamlScalarNode("restore"), out YamlNode? restore) && restore is YamlMappingNode restoreMap
                        && restoreMap.Children.TryGetValue(new YamlScalarNode("throughput_gb_per_hour"), out YamlNode? throughput)
                        ? throughput
                        : backupNodes.Children[i];
                    Ctx.Error(node, path, LoaderMessages.RestoreTooLong(b.Name, d.SizeGb, slowest, hours, ReadContext.MaxDurationHours));
                }
            }
        }
    }
}
