using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using DisasterSim.Cli;
using DisasterSim.Tests.Scenarios;

namespace DisasterSim.Tests.Cli.Output;

/// <summary>Every CSV that run, compare, sweep, sensitivity and batch write, read with a strict RFC 4180 reader: one vocabulary, one number format.</summary>
public sealed partial class CsvVocabularyTests : IDisposable
{
    private static readonly string[] Identity = ["entity", "name", "metric", "per", "unit"];
    private readonly string _root = Path.Combine(Path.GetTempPath(), "disastersim-vocabulary-" + Guid.NewGuid().ToString("N"));

    public CsvVocabularyTests() => Directory.CreateDirectory(_root);

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }

    [Fact]
    public void EveryOutputCsv_StrictlyParsed_SpeaksOneVocabulary()
    {
        string scenario = Path.Combine(ShippedScenarioTests.ScenarioDirectory, "03-hourly-async-dr.yaml");
        string batchInput = Path.Combine(_root, "in");
        Directory.CreateDirectory(batchInput);
        File.Copy(scenario, Path.Combine(batchInput, "03.yaml"));
        File.Copy(Path.Combine(ShippedScenarioTests.ScenarioDirectory, "00-small-office.yaml"), Path.Combine(batchInput, "00.yaml"));
        Run("run", scenario, "-n", "600", "--out", Out("run"), "--no-progress");
        Run("compare", scenario, "-n", "400", "--out", Out("compare"), "--variant", "auto:services[erp].recovery.failover.mode=automatic");
        Run("sweep", scenario, "-n", "300", "--out", Out("sweep"), "--set", "data[erp-db].backups[hourly-offsite].interval=1h,24h", "--target", "rto.p95<=4h");
        Run("sensitivity", scenario, "-n", "300", "--out", Out("sensitivity"), "--vary", "threats[fire].rate_per_year=0.001,0.01");
        Run("batch", batchInput, "-n", "300", "--out", Out("batch"));

        var files = Directory.GetFiles(_root, "*.csv", SearchOption.AllDirectories).Where(f => !f.StartsWith(batchInput, StringComparison.Ordinal)).ToList();
        Assert.True(files.Count >= 12, $"only {files.Count} CSV files");
        foreach (string file in files)
        {
            var rows = Strict(File.ReadAllText(file), file);
            var header = rows[0];
            string name = Path.GetRelativePath(_root, file);
            Assert.All(header, h => Assert.Matches(ColumnName(), h));
            Assert.Equal(header.Length, header.Distinct(StringComparer.Ordinal).Count());
            int at = Array.IndexOf(header, "entity");
            if (at >= 0)
            {
                // summary.csv names the cause between the entity and the metric; every other file goes straight on.
                int metric = header[at + 2] == "cause_kind" ? at + 4 : at + 2;
                string[] identity = [.. header[at..(at + 2)], .. header[metric..(metric + 3)]];
                Assert.Equal(Identity, identity);
                foreach (var row in rows.Skip(1))
                {
                    Assert.Contains(row[at], new[] { "service", "data", "cost" });
                    Assert.Contains(row[metric], new[] { "downtime", "planned_downtime", "worst_downtime", "loss", "worst_loss", "cost" });
                    Assert.Contains(row[metric + 1], new[] { "trial", "incident" });
                    Assert.Contains(row[metric + 2], new[] { "hours", "gb", "USD" });
                }
            }

            Assert.DoesNotContain(header, h => h is "basis" or "p_breach_incident" or "p_breach_trial");
            foreach (var row in rows.Skip(1))
            {
                for (int c = 0; c < row.Length; c++)
                {
                    if (LooksNumeric(row[c]))
                    {
                        Assert.True(
                            double.TryParse(row[c], NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double v) && double.IsFinite(v),
                            $"{name}, column {header[c]}: '{row[c]}' is not a plain decimal number");
                        Assert.True(SignificantDigits(row[c]) <= 9, $"{name}, column {header[c]}: '{row[c]}' has more than nine significant digits");
                    }
                }
            }

            if (Path.GetFileName(file) == "incidents.csv")
            {
                int detected = Array.IndexOf(header, "detected");
                int delay = Array.IndexOf(header, "detection_delay_h");
                Assert.All(rows.Skip(1), r => Assert.Equal(r[detected] == "1", r[delay].Length > 0));
            }
        }
    }

    // RFC 4180, strictly: quoted fields only whole, doubled quotes inside, "\n" line ends, every row as wide as the header.
    private static List<string[]> Strict(string text, string file)
    {
        Assert.DoesNotContain('\r', text);
        Assert.EndsWith("\n", text, StringComparison.Ordinal);
        var rows = new List<string[]>();
        var row = new List<string>();
        var field = new StringBuilder();
        bool quoted = false;
        bool wasQuoted = false;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                    Assert.True(i + 1 < text.Length && text[i + 1] is ',' or '\n', $"{file}: text after a closing quote at {i}");
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                Assert.True(field.Length == 0 && !wasQuoted, $"{file}: a quote inside an unquoted field at {i}");
                quoted = true;
                wasQuoted = true;
            }
            else if (c is ',' or '\n')
            {
                row.Add(field.ToString());
                field.Clear();
                wasQuoted = false;
                if (c == '\n')
                {
                    rows.Add([.. row]);
                    row.Clear();
                }
            }
            else
            {
                field.Append(c);
            }
        }

        Assert.False(quoted, $"{file}: a quoted field is never closed");
        Assert.True(rows.Count >= 2, $"{file}: no rows");
        Assert.All(rows, r => Assert.True(r.Length == rows[0].Length, $"{file}: a row of {r.Length} fields under a header of {rows[0].Length}"));
        return rows;
    }

    private static bool LooksNumeric(string cell) => cell.Length > 0 && (char.IsDigit(cell[0]) || (cell[0] == '-' && cell.Length > 1 && char.IsDigit(cell[1]))) && !cell.Contains(':', StringComparison.Ordinal) && !cell.Contains('T', StringComparison.Ordinal) && !cell.Any(char.IsLetter);

    private static int SignificantDigits(string number)
    {
        string digits = number.TrimStart('-').Replace(".", "", StringComparison.Ordinal).TrimStart('0');
        return number.Contains('.', StringComparison.Ordinal) ? digits.Length : digits.TrimEnd('0').Length;
    }

    private string Out(string name) => Path.Combine(_root, name);

    private static void Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = Program.Run(args, stdout, stderr);
        Assert.True(code == ExitCodes.Success, $"{string.Join(" ", args)}: {stderr}");
    }

    [GeneratedRegex(@"^[a-z0-9_\[\]().:<=>-]+$")]
    private static partial Regex ColumnName();
}
