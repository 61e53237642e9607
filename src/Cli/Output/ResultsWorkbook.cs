using System.Data;
using System.Globalization;
using System.Text.Json;
using CsvHelper;
using MiniExcelLibs;
using MiniExcelLibs.Attributes;
using MiniExcelLibs.OpenXml;

namespace DisasterSim.Cli.Output;

/// <summary>
/// <c>results.xlsx</c>: a run's CSV files and metadata.json as one workbook, for spreadsheets in any locale: typed cells
/// (numbers are numbers, whatever the reader's decimal separator), one sheet per file, the header row frozen, units in the
/// headers and a number format per column. Written with MiniExcel from the CSV files themselves, so every cell is the
/// value of its CSV field.
/// </summary>
/// <remarks>
/// <para>
/// Sheets: <c>summary</c>, <c>trials</c>, <c>incidents</c> (each only when its CSV was written) and <c>metadata</c>. A header
/// is the CSV column's name, followed by its unit in parentheses where the column has one (<c>cost (EUR)</c>,
/// <c>shop.downtime_h (hours)</c>); the summary's statistics are in the unit of their row's <c>unit</c> column. Text stays
/// text exactly as in the CSV (a name that looked like a formula keeps the quote the CSV gave it); an empty CSV field is an
/// empty cell; <c>start_time</c> is a date-time cell.
/// </para>
/// <para>
/// A sheet holds at most <see cref="MaxSheetRows"/> rows: a longer file is cut, its last row saying how many rows are only
/// in the CSV, and the metadata sheet says so too. Streamed: memory does not grow with the rows.
/// </para>
/// </remarks>
public static class ResultsWorkbook
{
    /// <summary>The workbook's file name.</summary>
    public const string FileName = "results.xlsx";

    /// <summary>The rows of a sheet in Excel (and LibreOffice), the header included.</summary>
    public const int MaxSheetRows = 1_048_576;

    private const string IntegerFormat = "0";
    private const string MeasureFormat = "#,##0.000";
    private const string MoneyFormat = "#,##0.00";
    private const string ShareFormat = "0.000%";
    private const string TimeFormat = "yyyy-mm-dd hh:mm:ss";

    private static readonly CsvReaderOptions ReaderOptions = CsvReaderOptions.Default;

    /// <summary>Writes <see cref="FileName"/> into <paramref name="directory"/> from the CSV files and metadata.json written there, not yet committed.</summary>
    /// <param name="directory">The output directory, holding the files under their temporary names.</param>
    /// <param name="csvFiles">The CSV files written, in sheet order.</param>
    /// <param name="currency">The unit of the money columns of trials.csv.</param>
    /// <returns>A note per sheet that was cut.</returns>
    /// <remarks>The same files give the same bytes (<see cref="StableZip"/>); the workbook is first written to a scratch file beside them.</remarks>
    public static IReadOnlyList<string> WriteInto(OutputDirectory directory, IReadOnlyList<string> csvFiles, string currency)
    {
        ArgumentNullException.ThrowIfNull(directory);
        using var scratch = directory.OpenScratch(FileName);
        var notes = Write(scratch, csvFiles, directory.OpenWritten, currency);
        scratch.Position = 0;
        directory.Write(FileName, stream => StableZip.Copy(scratch, stream));
        return notes;
    }

    /// <summary>Writes the workbook of the CSV files among <paramref name="csvFiles"/> and <c>metadata.json</c>.</summary>
    /// <param name="destination">Receives the workbook; must be seekable (MiniExcel writes a zip archive).</param>
    /// <param name="csvFiles">The CSV files written, in sheet order: any of summary.csv, trials.csv, incidents.csv.</param>
    /// <param name="open">Opens a written file for reading, by its name.</param>
    /// <param name="currency">The unit of the money columns of trials.csv.</param>
    /// <param name="maxSheetRows">Rows per sheet at most, the header included; less than Excel's limit only in tests. Range: ≥ 3.</param>
    /// <returns>A note per sheet that was cut, as the metadata sheet gives it.</returns>
    public static IReadOnlyList<string> Write(Stream destination, IReadOnlyList<string> csvFiles, Func<string, Stream> open, string currency, int maxSheetRows = MaxSheetRows)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(csvFiles);
        ArgumentNullException.ThrowIfNull(open);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSheetRows, 3);
        var readers = new List<IDisposable>();
        try
        {
            var sheets = new Dictionary<string, object>();
            var columns = new List<DynamicExcelColumn>();
            var notes = new List<string>();
            foreach (string file in csvFiles)
            {
                string sheet = Path.GetFileNameWithoutExtension(file);
                var stream = open(file);
                readers.Add(stream);
                var csv = CsvReader.Create(stream, ReaderOptions, leaveOpen: false);
                readers.Add(csv);
                var specs = csv.Headers.Select(h => Column.For(sheet, h, currency)).ToArray();
                columns.AddRange(specs.Select(c => c.Excel(sheet)));
                sheets[sheet] = Rows(csv, sheet, file, specs, maxSheetRows - 1, notes);
            }

            // The metadata sheet comes last, once the notes of the cut sheets are known: MiniExcel writes sheets in order.
            sheets["metadata"] = MetadataRows(open, notes);
            columns.Add(new DynamicExcelColumn(Key("metadata", "key")) { Name = "key", Width = 28 });
            columns.Add(new DynamicExcelColumn(Key("metadata", "value")) { Name = "value", Width = 80 });
            var configuration = new OpenXmlConfiguration
            {
                DynamicColumns = [.. columns],
                FreezeRowCount = 1,
                AutoFilter = false,
                EnableAutoWidth = false,
                EnableWriteNullValueCell = true,
                Culture = CultureInfo.InvariantCulture,
            };
            MiniExcel.SaveAs(destination, sheets, printHeader: true, excelType: ExcelType.XLSX, configuration: configuration);
            return notes;
        }
        finally
        {
            for (int i = readers.Count - 1; i >= 0; i--)
            {
                readers[i].Dispose();
            }
        }
    }

    /// <summary>The column name a workbook header stands for: the header without its unit.</summary>
    public static string CsvName(string header)
    {
        ArgumentNullException.ThrowIfNull(header);
        int unit = header.LastIndexOf(" (", StringComparison.Ordinal);
        return unit > 0 && header.EndsWith(')') ? header[..unit] : header;
    }

    // Column keys are unique across sheets, so that one configuration serves them all.
    private static string Key(string sheet, string column) => sheet + "\u001F" + column;

    // The rows of one CSV file as MiniExcel reads them, lazily; an empty file is an empty table, so that its header stays.
    private static object Rows(CsvReader csv, string sheet, string file, Column[] specs, int maxDataRows, List<string> notes)
    {
        var rows = Enumerate(csv, sheet, file, specs, maxDataRows, notes).GetEnumerator();
        if (rows.MoveNext())
        {
            return Continue(rows);
        }

        var table = new DataTable(sheet);
        foreach (var spec in specs)
        {
            table.Columns.Add(Key(sheet, spec.Name));
        }

        return table;
    }

    private static IEnumerable<IDictionary<string, object?>> Continue(IEnumerator<IDictionary<string, object?>> rows)
    {
        using (rows)
        {
            do
            {
                yield return rows.Current;
            }
            while (rows.MoveNext());
        }
    }

    private static IEnumerable<IDictionary<string, object?>> Enumerate(CsvReader csv, string sheet, string file, Column[] specs, int maxDataRows, List<string> notes)
    {
        long written = 0;
        while (csv.Read())
        {
            if (written == maxDataRows - 1)
            {
                // The last row left says where the rest is; the rows are counted to say how many.
                long rest = 1;
                while (csv.Read())
                {
                    rest++;
                }

                string note = string.Create(CultureInfo.InvariantCulture, $"{sheet}: the first {written:N0} of {written + rest:N0} rows; all are in {file} (a sheet holds at most {maxDataRows + 1:N0} rows)");
                notes.Add(note);
                var last = specs.ToDictionary(c => Key(sheet, c.Name), object? (_) => null);
                last[Key(sheet, specs[0].Name)] = "… " + note;
                yield return last;
                yield break;
            }

            var row = new Dictionary<string, object?>(specs.Length);
            for (int i = 0; i < specs.Length; i++)
            {
                row[Key(sheet, specs[i].Name)] = specs[i].Cell(csv.GetString(i));
            }

            written++;
            yield return row;
        }
    }

    // metadata.json flattened into key and value rows: arrays joined, numbers typed where a double holds them exactly.
    private static IEnumerable<IDictionary<string, object?>> MetadataRows(Func<string, Stream> open, List<string> notes)
    {
        JsonDocument document;
        using (var stream = open("metadata.json"))
        {
            document = JsonDocument.Parse(stream);
        }

        using (document)
        {
            foreach (var property in document.RootElement.EnumerateObject())
            {
                yield return Pair(property.Name, Value(property.Name, property.Value));
            }
        }

        // Read only after the other sheets have been written, which is when their notes exist.
        foreach (string note in notes)
        {
            yield return Pair("cut_sheet", note);
        }

        static IDictionary<string, object?> Pair(string key, object? value) =>
            new Dictionary<string, object?> { [Key("metadata", "key")] = key, [Key("metadata", "value")] = value };
    }

    private static object? Value(string name, JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number when value.TryGetInt64(out long whole) && Math.Abs(whole) <= (1L << 53) => whole,
        JsonValueKind.Number when !value.GetRawText().All(c => char.IsAsciiDigit(c) || c == '-') => value.GetDouble(),
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.String => value.GetString(),
        JsonValueKind.True => 1L,
        JsonValueKind.False => 0L,
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        JsonValueKind.Array => string.Join(name == "command_line" ? " " : "; ", value.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString() : e.GetRawText())),
        JsonValueKind.Object => value.GetRawText(),
        _ => throw new InvalidOperationException($"metadata.json holds a JSON value of unknown kind {value.ValueKind} at '{name}'."),
    };

    /// <summary>How one CSV column becomes a workbook column.</summary>
    private enum Kind
    {
        Text,
        Integer,
        Number,
        Time,
    }

    private sealed record Column(string Name, Kind Kind, string? Unit, string? Format)
    {
        // By the column's name: the vocabulary of CsvOutputs.
        public static Column For(string sheet, string name, string currency)
        {
            if (sheet == "summary")
            {
                return name switch
                {
                    "entity" or "name" or "cause_kind" or "cause" or "metric" or "per" or "unit" => new(name, Kind.Text, null, null),
                    "count" => new(name, Kind.Integer, null, IntegerFormat),
                    "target" => new(name, Kind.Number, "hours", MeasureFormat),
                    "share_nonzero" or "p_breach" or "p_total_loss" => new(name, Kind.Number, null, ShareFormat),
                    _ => new(name, Kind.Number, null, MeasureFormat),
                };
            }

            return name switch
            {
                "trial" => new(name, Kind.Integer, null, IntegerFormat),
                "service" or "cause_kind" or "cause" or "scope" or "action" => new(name, Kind.Text, null, null),
                "detected" or "total_loss" => new(name, Kind.Integer, "0/1", IntegerFormat),
                "start_time" => new(name, Kind.Time, null, TimeFormat),
                _ when name.EndsWith("_h", StringComparison.Ordinal) => new(name, Kind.Number, "hours", MeasureFormat),
                _ when name.EndsWith("_gb", StringComparison.Ordinal) => new(name, Kind.Number, "GB", MeasureFormat),
                _ when name.EndsWith(".incidents", StringComparison.Ordinal) => new(name, Kind.Integer, "count", IntegerFormat),
                _ when name == "cost" || name.StartsWith("cost.", StringComparison.Ordinal) => new(name, Kind.Number, currency, MoneyFormat),
                _ => new(name, Kind.Text, null, null),
            };
        }

        public string Header => Unit is null ? Name : $"{Name} ({Unit})";

        public DynamicExcelColumn Excel(string sheet) => new(Key(sheet, Name))
        {
            Name = Header,
            Format = Format,
            Width = Math.Clamp(Header.Length + 2, Kind == Kind.Text ? 16 : 10, 40),
        };

        // The CSV field as a typed cell; an empty field is an empty cell. The CSV writes numbers in the shortest form that
        // round-trips, so parsing gives back the very double.
        public object? Cell(string field)
        {
            if (field.Length == 0)
            {
                return null;
            }

            return Kind switch
            {
                Kind.Text => field,
                Kind.Integer => long.Parse(field, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture),
                Kind.Number => double.Parse(field, NumberStyles.Float, CultureInfo.InvariantCulture),

                // Spreadsheets count days from 1900: an earlier calendar stays text.
                Kind.Time => DateTime.TryParseExact(field, "yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.None, out var time) && time.Year >= 1900
                    ? time
                    : field,
                _ => throw new InvalidOperationException($"Unknown column kind {Kind}."),
            };
        }
    }
}
