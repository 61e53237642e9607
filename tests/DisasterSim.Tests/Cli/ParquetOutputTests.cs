using System.Globalization;
using DisasterSim.Cli;
using DisasterSim.Cli.Output;
using DisasterSim.Tests.Scenarios;
using DuckDB.NET.Data;
using Parquet;
using Parquet.Schema;

namespace DisasterSim.Tests.Cli;

/// <summary><c>run --format parquet</c>: the files read back with Parquet.Net and with DuckDB hold every value of the CSV files of the same run, typed.</summary>
public sealed class ParquetOutputTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "disastersim-parquet-" + Guid.NewGuid().ToString("N"));
    private readonly StringWriter _stdout = new();
    private readonly StringWriter _stderr = new();

    public ParquetOutputTests() => Directory.CreateDirectory(_root);

    public static TheoryData<string> Scenarios => new() { "03-hourly-async-dr.yaml", "10-patch-tuesday.yaml" };

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

    [Theory]
    [MemberData(nameof(Scenarios))]
    public async Task Run_Parquet_ReadBackWithParquetNet_EveryValueEqualsTheCsv(string file)
    {
        var (csv, parquet) = RunBoth(file);

        foreach (string table in new[] { "trials", "incidents" })
        {
            var rows = CsvTable.Read(Path.Combine(csv, table + ".csv"));
            var columns = await ReadParquet(Path.Combine(parquet, table + ".parquet"));
            Assert.Equal(rows[0], columns.Select(c => c.Name));
            Assert.True(rows.Count > 100, $"{file} {table}: too few rows for the test to mean anything");
            for (int c = 0; c < columns.Count; c++)
            {
                Assert.Equal(rows.Count - 1, columns[c].Values.Count);
                for (int r = 1; r < rows.Count; r++)
                {
                    AssertSameValue(rows[r][c], columns[c].Values[r - 1], $"{table}.{columns[c].Name} row {r}");
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Run_Parquet_ReadBackWithDuckDb_EveryValueEqualsTheCsvAndTheTypesAreTyped(string file)
    {
        var (csv, parquet) = RunBoth(file);
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        foreach (string table in new[] { "trials", "incidents" })
        {
            var rows = CsvTable.Read(Path.Combine(csv, table + ".csv"));
            string path = Path.Combine(parquet, table + ".parquet").Replace("'", "''", StringComparison.Ordinal);
            using var command = connection.CreateCommand();
            command.CommandText = $"SELECT * FROM read_parquet('{path}')";
            using var reader = command.ExecuteReader();
            Assert.Equal(rows[0], Enumerable.Range(0, reader.FieldCount).Select(reader.GetName));
            int r = 1;
            while (reader.Read())
            {
                for (int c = 0; c < reader.FieldCount; c++)
                {
                    AssertSameValue(rows[r][c], reader.IsDBNull(c) ? null : reader.GetValue(c), $"{table}.{reader.GetName(c)} row {r}");
                }

                r++;
            }

            Assert.Equal(rows.Count, r);
        }

        // Typed: the start a timestamp, counts integers, flags booleans; names dictionary-encoded.
        var types = Query(connection, $"SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet('{Path.Combine(parquet, "incidents.parquet")}'))")
            .ToDictionary(x => (string)x[0]!, x => (string)x[1]!);
        Assert.Equal("TIMESTAMP", types["start_time"]);
        Assert.Equal("BIGINT", types["trial"]);
        Assert.Equal("BOOLEAN", types["detected"]);
        Assert.Equal("DOUBLE", types["downtime_h"]);
        Assert.Equal("VARCHAR", types["cause"]);
        foreach (string column in new[] { "service", "cause_kind", "cause", "scope", "action" })
        {
            var encodings = Query(connection, $"SELECT encodings FROM parquet_metadata('{Path.Combine(parquet, "incidents.parquet")}') WHERE path_in_schema = '{column}'");
            Assert.All(encodings, e => Assert.Contains("DICTIONARY", (string)e[0]!, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Run_Parquet_ByteIdenticalForAnyThreadCountAndForMergedShards()
    {
        string scenario = Path.Combine(ShippedScenarioTests.ScenarioDirectory, "03-hourly-async-dr.yaml");
        string[] run = ["run", scenario, "--trials", "6000", "--format", "parquet", "--no-progress"];
        Assert.Equal(ExitCodes.Success, Invoke([.. run, "--threads", "1", "--out", Out("t1")]));
        Assert.Equal(ExitCodes.Success, Invoke([.. run, "--threads", "3", "--out", Out("t3")]));
        Assert.Equal(ExitCodes.Success, Invoke([.. run, "--threads", "2", "--shard", "0/2", "--out", Out("s0")]));
        Assert.Equal(ExitCodes.Success, Invoke([.. run, "--threads", "2", "--shard", "1/2", "--out", Out("s1")]));
        Assert.Equal(ExitCodes.Success, Invoke("merge", Out("s0"), Out("s1"), "--format", "parquet", "--out", Out("merged")));

        foreach (string name in new[] { "trials.parquet", "incidents.parquet", "summary.csv" })
        {
            byte[] expected = File.ReadAllBytes(Path.Combine(Out("t1"), name));
            Assert.Equal(expected, File.ReadAllBytes(Path.Combine(Out("t3"), name)));
            Assert.Equal(expected, File.ReadAllBytes(Path.Combine(Out("merged"), name)));
        }
    }

    [Fact]
    public void Run_FormatSwitch_RemovesTheOtherFormatsFiles()
    {
        string scenario = Path.Combine(ShippedScenarioTests.ScenarioDirectory, "03-hourly-async-dr.yaml");
        Assert.Equal(ExitCodes.Success, Invoke("run", scenario, "--trials", "500", "--out", Out("x"), "--no-progress"));
        Assert.Equal(ExitCodes.Success, Invoke("run", scenario, "--trials", "500", "--out", Out("x"), "--format", "parquet", "--no-progress"));

        Assert.False(File.Exists(Path.Combine(Out("x"), "trials.csv")));
        Assert.False(File.Exists(Path.Combine(Out("x"), "incidents.csv")));
        Assert.True(File.Exists(Path.Combine(Out("x"), "incidents.parquet")));
        Assert.Contains("trials.parquet, incidents.parquet", _stderr.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("arrow")]
    [InlineData("")]
    [InlineData("PARQUET")]
    public void Run_UnknownFormat_IsAUsageErrorNamingTheValue(string format)
    {
        string scenario = Path.Combine(ShippedScenarioTests.ScenarioDirectory, "03-hourly-async-dr.yaml");

        Assert.Equal(ExitCodes.UsageError, Invoke("run", scenario, "--format", format, "--out", Out("bad")));

        Assert.Contains($"Argument '{format}' not recognized", _stderr.ToString(), StringComparison.Ordinal);
        Assert.Contains("'parquet'", _stderr.ToString(), StringComparison.Ordinal);
        Assert.False(Directory.Exists(Out("bad")));
    }

    private (string Csv, string Parquet) RunBoth(string file)
    {
        string scenario = Path.Combine(ShippedScenarioTests.ScenarioDirectory, file);
        string[] run = ["run", scenario, "--trials", "2000", "--threads", "2", "--no-progress"];
        Assert.Equal(ExitCodes.Success, Invoke([.. run, "--out", Out("csv")]));
        Assert.Equal(ExitCodes.Success, Invoke([.. run, "--out", Out("parquet"), "--format", "parquet"]));
        Assert.Equal(File.ReadAllBytes(Path.Combine(Out("csv"), "summary.csv")), File.ReadAllBytes(Path.Combine(Out("parquet"), "summary.csv")));
        return (Out("csv"), Out("parquet"));
    }

    // The CSV's text against a typed value: numbers as the shortest round-trip text, booleans as 0/1, the start to the second.
    private static void AssertSameValue(string text, object? value, string where)
    {
        string expected = value switch
        {
            null => "",
            // The CSV keeps nine significant digits; Parquet keeps the double itself.
            double d => DisasterSim.Cli.Output.NumberText.File(d),
            long l => l.ToString(CultureInfo.InvariantCulture),
            int i => i.ToString(CultureInfo.InvariantCulture),
            bool b => b ? "1" : "0",
            DateTime t => t.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture),
            string s => s,
            _ => throw new InvalidOperationException($"{where}: unexpected type {value.GetType()}"),
        };
        Assert.True(expected == text, $"{where}: CSV '{text}', Parquet '{expected}'");
        if (value is double x && x != 0)
        {
            // The CSV's text is the double rounded to nine significant digits, never further off.
            Assert.True(Math.Abs(double.Parse(text, CultureInfo.InvariantCulture) - x) <= Math.Abs(x) * 5e-9, $"{where}: CSV '{text}' is not '{x:R}' to nine digits");
        }
    }

    private static async Task<List<(string Name, List<object?> Values)>> ReadParquet(string path)
    {
        await using var reader = await ParquetReader.CreateAsync(path);
        var columns = reader.Schema.DataFields.Select(f => (f.Name, Values: new List<object?>())).ToList();
        for (int g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            int rows = (int)group.RowCount;
            for (int c = 0; c < columns.Count; c++)
            {
                var field = reader.Schema.DataFields[c];
                columns[c].Values.AddRange(await ReadColumn(group, field, rows));
            }
        }

        return columns;
    }

    private static async Task<IEnumerable<object?>> ReadColumn(ParquetRowGroupReader group, DataField field, int rows)
    {
        if (field.ClrType == typeof(string) || field.ClrType == typeof(ReadOnlyMemory<char>))
        {
            var strings = new string?[rows];
            await group.ReadAsync(field, strings.AsMemory());
            return strings;
        }

        if (field.ClrType == typeof(DateTime))
        {
            var times = new DateTime?[rows];
            await group.ReadAsync<DateTime>(field, times.AsMemory());
            return times.Select(t => (object?)t);
        }

        if (field.IsNullable && field.ClrType == typeof(double))
        {
            // The detection delay: null where no one detected the incident, as the CSV's empty cell.
            var values = new double?[rows];
            await group.ReadAsync<double>(field, values.AsMemory());
            return values.Select(v => (object?)v);
        }

        return field.ClrType == typeof(double) ? await Read<double>(group, field, rows)
            : field.ClrType == typeof(long) ? await Read<long>(group, field, rows)
            : field.ClrType == typeof(int) ? await Read<int>(group, field, rows)
            : field.ClrType == typeof(bool) ? await Read<bool>(group, field, rows)
            : throw new InvalidOperationException($"{field.Name}: unexpected type {field.ClrType}");
    }

    private static async Task<IEnumerable<object?>> Read<T>(ParquetRowGroupReader group, DataField field, int rows)
        where T : struct
    {
        var values = new T[rows];
        await group.ReadAsync(field, values.AsMemory());
        return values.Select(v => (object?)v);
    }

    private static List<object?[]> Query(DuckDBConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<object?[]>();
        while (reader.Read())
        {
            var row = new object?[reader.FieldCount];
            for (int c = 0; c < row.Length; c++)
            {
                row[c] = reader.IsDBNull(c) ? null : reader.GetValue(c) is Array a ? string.Join(",", a.Cast<object>()) : reader.GetValue(c);
            }

            rows.Add(row);
        }

        return rows;
    }

    private string Out(string name) => Path.Combine(_root, name);

    private int Invoke(params string[] args) => Program.Run(args, _stdout, _stderr);
}
