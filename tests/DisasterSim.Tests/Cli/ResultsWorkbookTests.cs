using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using CsvHelper;
using DisasterSim.Cli;
using DisasterSim.Cli.Output;
using DisasterSim.Tests.Scenarios;
using MiniExcelLibs;

namespace DisasterSim.Tests.Cli;

/// <summary>results.xlsx read back with MiniExcel and compared, cell by cell, with the CSV files and metadata.json of the same run.</summary>
public sealed class ResultsWorkbookTests : IDisposable
{
    private static readonly string Scenario3 = Path.Combine(ShippedScenarioTests.ScenarioDirectory, "03-hourly-async-dr.yaml");
    private readonly string _root = Path.Combine(Path.GetTempPath(), "disastersim-xlsx-" + Guid.NewGuid().ToString("N"));
    private readonly StringWriter _stdout = new();
    private readonly StringWriter _stderr = new();

    public ResultsWorkbookTests() => Directory.CreateDirectory(_root);

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
    public void Run_FormatXlsx_EverySheetReadsBackEqualToItsFile()
    {
        Assert.Equal(ExitCodes.Success, Invoke("run", Scenario3, "--trials", "3000", "--format", "xlsx", "--out", Out("x")));

        string workbook = Path.Combine(Out("x"), ResultsWorkbook.FileName);
        Assert.Equal(["summary", "trials", "incidents", "metadata"], MiniExcel.GetSheetNames(workbook));
        foreach (string sheet in new[] { "summary", "trials", "incidents" })
        {
            AssertSheetEqualsCsv(workbook, sheet, Path.Combine(Out("x"), sheet + ".csv"));
        }

        AssertMetadataSheetEqualsJson(workbook, Path.Combine(Out("x"), "metadata.json"));
        Assert.Contains("results.xlsx, report.html to", _stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Run_FormatXlsx_HeaderFrozenUnitsInHeadersAndANumberFormatPerColumn()
    {
        Assert.Equal(ExitCodes.Success, Invoke("run", Scenario3, "--trials", "200", "--format", "xlsx", "--out", Out("x")));

        using var zip = ZipFile.OpenRead(Path.Combine(Out("x"), ResultsWorkbook.FileName));
        string trials = Part(zip, "xl/worksheets/sheet2.xml");
        Assert.Contains("<x:pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" state=\"frozen\"/>", trials, StringComparison.Ordinal);
        Assert.Contains("<x:v>erp.downtime_h (hours)</x:v>", trials, StringComparison.Ordinal);
        Assert.Contains("<x:v>erp-db.loss_gb (GB)</x:v>", trials, StringComparison.Ordinal);
        Assert.Contains("<x:v>cost (USD)</x:v>", trials, StringComparison.Ordinal);
        string styles = Part(zip, "xl/styles.xml");
        foreach (string format in new[] { "0", "#,##0.000", "#,##0.00", "0.000%", "yyyy-mm-dd hh:mm:ss" })
        {
            Assert.Contains($"formatCode=\"{format}\"", styles, StringComparison.Ordinal);
        }

        // Numbers are numeric cells (no type, or n), never text: a comma-decimal spreadsheet cannot misread them.
        Assert.DoesNotContain("t=\"str\" s=\"7\"", trials, StringComparison.Ordinal);
        var first = MiniExcel.Query(Path.Combine(Out("x"), ResultsWorkbook.FileName), useHeaderRow: true, sheetName: "trials").Cast<IDictionary<string, object?>>().First();
        Assert.IsType<double>(first["erp.downtime_h (hours)"]);
        var incident = MiniExcel.Query(Path.Combine(Out("x"), ResultsWorkbook.FileName), useHeaderRow: true, sheetName: "incidents").Cast<IDictionary<string, object?>>().First();
        Assert.IsType<DateTime>(incident["start_time"]);
    }

    [Fact]
    public void Run_FormatXlsx_SameBytesForAnyThreadCountAndCulture()
    {
        Assert.Equal(ExitCodes.Success, Invoke("run", Scenario3, "--trials", "2500", "--format", "xlsx", "-t", "1", "--out", Out("a")));
        using (new CultureScope("de-DE"))
        {
            Assert.Equal(ExitCodes.Success, Invoke("run", Scenario3, "--trials", "2500", "--format", "xlsx", "-t", "2", "--out", Out("b")));
        }

        Assert.Equal(File.ReadAllBytes(Path.Combine(Out("a"), ResultsWorkbook.FileName)), File.ReadAllBytes(Path.Combine(Out("b"), ResultsWorkbook.FileName)));
    }

    [Fact]
    public void Run_SummaryOnlyXlsx_SummaryAndMetadataSheets_ThenAPlainRunRemovesTheOlderWorkbook()
    {
        Assert.Equal(ExitCodes.Success, Invoke("run", Scenario3, "--trials", "300", "--format", "xlsx", "--summary-only", "--out", Out("s")));
        string workbook = Path.Combine(Out("s"), ResultsWorkbook.FileName);
        Assert.Equal(["summary", "metadata"], MiniExcel.GetSheetNames(workbook));
        AssertSheetEqualsCsv(workbook, "summary", Path.Combine(Out("s"), "summary.csv"));

        Assert.Equal(ExitCodes.Success, Invoke("run", Scenario3, "--trials", "300", "--summary-only", "--out", Out("s")));
        Assert.False(File.Exists(workbook));
    }

    [Fact]
    public void Run_BadFormat_UsageErrorNamingTheValues()
    {
        Assert.Equal(ExitCodes.UsageError, Invoke("run", Scenario3, "--format", "ods", "--out", Out("f")));
        Assert.Contains("ods", _stderr.ToString(), StringComparison.Ordinal);
        Assert.Contains("xlsx", _stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Write_SheetOverTheRowLimit_CutWithANoteInItsLastRowAndInMetadata_EmptyFileKeepsItsHeader()
    {
        var files = new Dictionary<string, string>
        {
            ["trials.csv"] = "trial,shop.downtime_h,shop.incidents,cost\n0,1.5,1,10\n1,0,0,0\n2,0.25,2,20\n3,3,1,5\n4,1,1,1\n",
            ["incidents.csv"] = string.Join(",", CsvOutputs.IncidentColumns) + "\n",
            ["metadata.json"] = "{\"seed\": 18446744073709551615, \"trials\": 5, \"command_line\": [\"disastersim\", \"run\"], \"x\": 0.1}",
        };
        string path = Path.Combine(_root, "cut.xlsx");
        using (var stream = File.Create(path))
        {
            var notes = ResultsWorkbook.Write(stream, ["trials.csv", "incidents.csv"], name => new MemoryStream(Encoding.UTF8.GetBytes(files[name])), "EUR", maxSheetRows: 4);
            Assert.Equal(["trials: the first 2 of 5 rows; all are in trials.csv (a sheet holds at most 4 rows)"], notes);
        }

        var trials = MiniExcel.Query(path, useHeaderRow: true, sheetName: "trials").Cast<IDictionary<string, object?>>().ToList();
        Assert.Equal(3, trials.Count);
        Assert.Equal(["trial", "shop.downtime_h (hours)", "shop.incidents (count)", "cost (EUR)"], trials[0].Keys);
        Assert.Equal(1.5, Convert.ToDouble(trials[0]["shop.downtime_h (hours)"], CultureInfo.InvariantCulture));
        Assert.Equal(1.0, Convert.ToDouble(trials[1]["trial"], CultureInfo.InvariantCulture));
        Assert.Equal("… trials: the first 2 of 5 rows; all are in trials.csv (a sheet holds at most 4 rows)", trials[2]["trial"]);

        var header = MiniExcel.Query(path, useHeaderRow: false, sheetName: "incidents").Cast<IDictionary<string, object?>>().Single();
        Assert.Equal(CsvOutputs.IncidentColumns, header.Values.Select(v => ResultsWorkbook.CsvName((string)v!)));

        var metadata = MiniExcel.Query(path, useHeaderRow: true, sheetName: "metadata").Cast<IDictionary<string, object?>>().ToDictionary(r => (string)r["key"]!, r => r["value"]);
        Assert.Equal("18446744073709551615", metadata["seed"]);
        Assert.Equal(5.0, Convert.ToDouble(metadata["trials"], CultureInfo.InvariantCulture));
        Assert.Equal(0.1, Convert.ToDouble(metadata["x"], CultureInfo.InvariantCulture));
        Assert.Equal("disastersim run", metadata["command_line"]);
        Assert.Equal("trials: the first 2 of 5 rows; all are in trials.csv (a sheet holds at most 4 rows)", metadata["cut_sheet"]);
    }

    [Theory]
    [InlineData("cost (EUR)", "cost")]
    [InlineData("shop (eu).downtime_h (hours)", "shop (eu).downtime_h")]
    [InlineData("p99_ci_high", "p99_ci_high")]
    public void CsvName_StripsTheUnit(string header, string name) => Assert.Equal(name, ResultsWorkbook.CsvName(header));

    /// <summary>Every row and field of <paramref name="csvPath"/> against the sheet: same names, numbers as the very doubles, text as text, empty as empty.</summary>
    internal static void AssertSheetEqualsCsv(string workbook, string sheet, string csvPath)
    {
        using var csv = CsvReader.FromFile(csvPath, CsvReaderOptions.Default, FileOptions.SequentialScan);
        var rows = MiniExcel.Query(workbook, useHeaderRow: true, sheetName: sheet).Cast<IDictionary<string, object?>>().GetEnumerator();
        string[]? headers = null;
        long line = 0;
        while (csv.Read())
        {
            line++;
            Assert.True(rows.MoveNext(), $"{sheet}: the sheet ends before CSV row {line}");
            var row = rows.Current;
            headers ??= [.. row.Keys];
            Assert.Equal(csv.Headers, headers.Select(ResultsWorkbook.CsvName));
            for (int i = 0; i < csv.FieldCount; i++)
            {
                string field = csv.GetString(i);
                object? cell = row[headers[i]];
                string where = $"{sheet} row {line}, {csv.Headers[i]}";
                if (field.Length == 0)
                {
                    Assert.True(cell is null, $"{where}: expected an empty cell, got '{cell}'");
                }
                else if (cell is DateTime time)
                {
                    Assert.Equal(field, time.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture));
                }
                else if (cell is string text)
                {
                    Assert.False(double.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out _), $"{where}: the number {field} is a text cell");
                    Assert.Equal(field, text);
                }
                else
                {
                    Assert.True(double.Parse(field, NumberStyles.Float, CultureInfo.InvariantCulture) == Convert.ToDouble(cell, CultureInfo.InvariantCulture), $"{where}: {field} read back as {cell}");
                }
            }
        }

        Assert.False(rows.MoveNext(), $"{sheet}: the sheet has rows beyond the CSV's {line}");
    }

    internal static void AssertMetadataSheetEqualsJson(string workbook, string jsonPath)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(jsonPath));
        var sheet = MiniExcel.Query(workbook, useHeaderRow: true, sheetName: "metadata").Cast<IDictionary<string, object?>>().ToList();
        var properties = json.RootElement.EnumerateObject().ToList();
        Assert.Equal(properties.Select(p => p.Name), sheet.Select(r => (string)r["key"]!));
        foreach (var (property, row) in properties.Zip(sheet))
        {
            object? cell = row["value"];
            switch (property.Value.ValueKind)
            {
                case JsonValueKind.Number:
                    Assert.Equal(property.Value.GetDouble(), Convert.ToDouble(cell, CultureInfo.InvariantCulture));
                    break;
                case JsonValueKind.Array:
                    Assert.Equal(string.Join(property.Name == "command_line" ? " " : "; ", property.Value.EnumerateArray().Select(e => e.GetString())), cell);
                    break;
                default:
                    Assert.Equal(property.Value.GetString(), cell);
                    break;
            }
        }
    }

    private static string Part(ZipArchive zip, string name)
    {
        using var reader = new StreamReader(zip.GetEntry(name)!.Open());
        return reader.ReadToEnd();
    }

    private string Out(string name) => Path.Combine(_root, name);

    private int Invoke(params string[] args) => Program.Run(args, _stdout, _stderr);
}
