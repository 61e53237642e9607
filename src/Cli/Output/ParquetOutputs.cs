using DisasterSim.Engine.Costs;
using DisasterSim.Engine.MonteCarlo;
using DisasterSim.Engine.Simulation;
using DisasterSim.Models;
using Parquet;
using Parquet.Schema;

namespace DisasterSim.Cli.Output;

/// <summary>
/// Writes <c>trials.parquet</c> and <c>incidents.parquet</c> (<c>--format parquet</c>) as the run goes: the columns of
/// <c>trials.csv</c> and <c>incidents.csv</c>, typed (integers, doubles, booleans, the start as a timestamp, names as
/// dictionary-encoded strings, doubles split into byte streams, integers as deltas), Zstandard-compressed, for DuckDB,
/// pandas or a spreadsheet's import.
/// </summary>
/// <remarks>
/// Rows are buffered column by column and written as a row group every <see cref="RowGroupRows"/> rows, whatever the chunks,
/// so the files are byte-identical for any thread count, shard split or resume, like the CSV files. Every value is the CSV's:
/// the doubles bit for bit, the start time to the second (from <c>simulation.start</c>, with no time zone), names as the
/// scenario writes them (no spreadsheet neutralisation: Parquet cells are never formulas).
/// </remarks>
internal static class ParquetOutputs
{
    /// <summary>Rows per row group: large enough for good compression, small enough to bound the buffers and Parquet.Net's dictionary of each name column (sized to the rows) to a few MB.</summary>
    public const int RowGroupRows = 1 << 16;

    /// <summary>Writes <c>trials.parquet</c>: one row per trial, the columns of <c>trials.csv</c>.</summary>
    public sealed class TrialsWriter : ITrialChunkConsumer, IDisposable
    {
        private readonly Table _table;
        private readonly TrialPricing _pricing;
        private readonly Column<long> _trial;
        private readonly Column<double>[] _downtime;
        private readonly Column<int>[] _incidents;
        private readonly Column<double>[] _planned;
        private readonly Column<double>[] _lossHours;
        private readonly Column<double>[] _lossGb;
        private readonly Column<double> _cost;
        private readonly Column<double> _protection;
        private readonly Column<double> _penalties;

        /// <summary>Prepares the file's schema; nothing is written before the first row group.</summary>
        public TrialsWriter(Stream stream, Scenario scenario)
        {
            ArgumentNullException.ThrowIfNull(scenario);
            _pricing = CostModel.Pricing(scenario);
            var columns = new List<IColumn>();
            _trial = Add(columns, new Column<long>("trial"));
            _downtime = new Column<double>[scenario.Services.Length];
            _incidents = new Column<int>[scenario.Services.Length];
            _planned = new Column<double>[scenario.Services.Length];
            for (int s = 0; s < scenario.Services.Length; s++)
            {
                string name = scenario.Services[s].Name;
                _downtime[s] = Add(columns, new Column<double>(name + ".downtime_h"));
                _incidents[s] = Add(columns, new Column<int>(name + ".incidents"));
                _planned[s] = Add(columns, new Column<double>(name + ".planned_h"));
            }

            _lossHours = new Column<double>[scenario.DataSets.Length];
            _lossGb = new Column<double>[scenario.DataSets.Length];
            for (int d = 0; d < scenario.DataSets.Length; d++)
            {
                string name = scenario.DataSets[d].Name;
                _lossHours[d] = Add(columns, new Column<double>(name + ".loss_h"));
                _lossGb[d] = Add(columns, new Column<double>(name + ".loss_gb"));
            }

            _cost = Add(columns, new Column<double>(CsvOutputs.TrialCostColumns[0]));
            _protection = Add(columns, new Column<double>(CsvOutputs.TrialCostColumns[1]));
            _penalties = Add(columns, new Column<double>(CsvOutputs.TrialCostColumns[2]));
            _table = new Table(stream, columns);
        }

        /// <inheritdoc/>
        public void Consume(TrialChunk chunk)
        {
            ArgumentNullException.ThrowIfNull(chunk);
            for (int row = 0; row < chunk.Count; row++)
            {
                _trial.Add(chunk.FirstTrial + row);
                for (int s = 0; s < _downtime.Length; s++)
                {
                    _downtime[s].Add(chunk.Downtime(row, s));
                    _incidents[s].Add(chunk.IncidentCount(row, s));
                    _planned[s].Add(chunk.PlannedDowntime(row, s));
                }

                for (int d = 0; d < _lossHours.Length; d++)
                {
                    _lossHours[d].Add(chunk.LossHours(row, d));
                    _lossGb[d].Add(chunk.LossGb(row, d));
                }

                var cost = _pricing.Price(chunk.DowntimeRow(row), chunk.IncidentCountRow(row), chunk.LossHoursRow(row), chunk.LossGbRow(row));
                _cost.Add(cost.Total);
                _protection.Add(cost.Protection);
                _penalties.Add(cost.Penalties);
                _table.EndRow();
            }
        }

        /// <summary>Writes the last row group and the footer.</summary>
        public void Complete() => _table.Complete();

        /// <inheritdoc/>
        public void Dispose() => _table.Dispose();
    }

    /// <summary>Writes <c>incidents.parquet</c>: one row per service incident, the columns of <c>incidents.csv</c>.</summary>
    public sealed class IncidentsWriter : ITrialChunkConsumer, IDisposable
    {
        private readonly Table _table;
        private readonly DateTime _start;
        private readonly IncidentNames _names;
        private readonly Column<long> _trial = new("trial");
        private readonly NameColumn _service = new("service");
        private readonly Column<double> _startHours = new("start_h");
        private readonly TimeColumn _startTime = new("start_time");
        private readonly NameColumn _causeKind = new("cause_kind");
        private readonly NameColumn _cause = new("cause");
        private readonly NameColumn _scope = new("scope");
        private readonly Column<bool> _detected = new("detected");
        private readonly NullableColumn _detectionDelay = new("detection_delay_h");
        private readonly NameColumn _action = new("action");
        private readonly Column<double> _downtime = new("downtime_h");
        private readonly Column<double> _lossHours = new("data_loss_h");
        private readonly Column<double> _lossGb = new("data_loss_gb");
        private readonly Column<bool> _totalLoss = new("total_loss");

        /// <summary>Prepares the file's schema; nothing is written before the first row group.</summary>
        public IncidentsWriter(Stream stream, Scenario scenario)
        {
            ArgumentNullException.ThrowIfNull(scenario);
            _start = scenario.Simulation.Start;
            _names = new IncidentNames(scenario);
            _table = new Table(stream, [_trial, _service, _startHours, _startTime, _causeKind, _cause, _scope, _detected, _detectionDelay, _action, _downtime, _lossHours, _lossGb, _totalLoss]);
        }

        /// <inheritdoc/>
        public void Consume(TrialChunk chunk)
        {
            ArgumentNullException.ThrowIfNull(chunk);
            foreach (ref readonly var incident in chunk.Incidents)
            {
                var (cause, scope) = _names.Cause(in incident);
                _trial.Add(incident.Trial);
                _service.Add(_names.Services[incident.Service]);
                _startHours.Add(incident.StartHours);
                _startTime.Add(CsvOutputs.TryStartTime(_start, incident.StartHours, out var time) ? time : null);
                _causeKind.Add(_names.CauseKinds[(int)incident.CauseKind]);
                _cause.Add(cause);
                _scope.Add(scope);
                _detected.Add(incident.Detected);
                _detectionDelay.Add(incident.Detected ? incident.DetectionDelayHours : null);
                _action.Add(_names.Actions[(int)incident.Action]);
                _downtime.Add(incident.DowntimeHours);
                _lossHours.Add(incident.DataLossHours);
                _lossGb.Add(incident.DataLossGb);
                _totalLoss.Add(incident.TotalLoss);
                _table.EndRow();
            }
        }

        /// <summary>Writes the last row group and the footer.</summary>
        public void Complete() => _table.Complete();

        /// <inheritdoc/>
        public void Dispose() => _table.Dispose();
    }

    private static Column<T> Add<T>(List<IColumn> columns, Column<T> column)
        where T : struct
    {
        columns.Add(column);
        return column;
    }

    /// <summary>A column's buffer for one row group.</summary>
    private interface IColumn
    {
        /// <summary>Gets the column's field in the schema.</summary>
        DataField Field { get; }

        /// <summary>Gets how the column is encoded.</summary>
        EncodingHint Encoding { get; }

        /// <summary>Writes the buffered rows as the column's chunk of a row group and empties the buffer.</summary>
        Task WriteAsync(ParquetRowGroupWriter group, int rows);
    }

    /// <summary>Numbers and flags, plain: doubles split into byte streams (the exponents, then each mantissa byte, compress apart), integers as deltas (a trial number is mostly its predecessor's).</summary>
    private sealed class Column<T>(string name) : IColumn
        where T : struct
    {
        private readonly T[] _values = new T[RowGroupRows];
        private int _count;

        public DataField Field { get; } = new DataField(name, typeof(T), isNullable: false);

        public EncodingHint Encoding { get; } = typeof(T) == typeof(double) ? EncodingHint.ByteSplitStream
            : typeof(T) == typeof(long) || typeof(T) == typeof(int) ? EncodingHint.DeltaBinaryPacked
            : EncodingHint.Default;

        public void Add(T value) => _values[_count++] = value;

        public Task WriteAsync(ParquetRowGroupWriter group, int rows)
        {
            _count = 0;
            return group.WriteAsync(Field, new ReadOnlyMemory<T>(_values, 0, rows));
        }
    }

    /// <summary>A double that may not exist (the detection delay of an incident nobody detected): null, as the CSV's empty cell.</summary>
    private sealed class NullableColumn(string name) : IColumn
    {
        private readonly double?[] _values = new double?[RowGroupRows];
        private int _count;

        public DataField Field { get; } = new DataField(name, typeof(double?), isNullable: true);

        public EncodingHint Encoding => EncodingHint.Default;

        public void Add(double? value) => _values[_count++] = value;

        public Task WriteAsync(ParquetRowGroupWriter group, int rows)
        {
            _count = 0;
            return group.WriteAsync(Field, new ReadOnlyMemory<double?>(_values, 0, rows));
        }
    }

    /// <summary>Names (services, causes, actions), which repeat on every row: dictionary-encoded, the few distinct ones once and an index per row.</summary>
    private sealed class NameColumn(string name) : IColumn
    {
        private readonly ReadOnlyMemory<char>[] _values = new ReadOnlyMemory<char>[RowGroupRows];
        private int _count;

        public DataField Field { get; } = new DataField(name, typeof(string), isNullable: false);

        public EncodingHint Encoding => EncodingHint.Dictionary;

        public void Add(string value) => _values[_count++] = value.AsMemory();

        public Task WriteAsync(ParquetRowGroupWriter group, int rows)
        {
            _count = 0;
            return group.WriteAsync(Field, new ReadOnlyMemory<ReadOnlyMemory<char>>(_values, 0, rows));
        }
    }

    /// <summary>A time in the scenario's calendar: a timestamp in milliseconds with no time zone, null where the time lies beyond the calendar (an empty cell in the CSV).</summary>
    private sealed class TimeColumn(string name) : IColumn
    {
        private readonly DateTime[] _values = new DateTime[RowGroupRows];
        private readonly int[] _defined = new int[RowGroupRows];
        private int _count;
        private int _present;

        public DataField Field { get; } = new DateTimeDataField(name, DateTimeFormat.Timestamp, isAdjustedToUTC: false, unit: DateTimeTimeUnit.Millis, isNullable: true);

        public EncodingHint Encoding => EncodingHint.Default;

        public void Add(DateTime? value)
        {
            // The values present, packed, and a definition level per row (1 present, 0 null), as the format stores them.
            _defined[_count++] = value is null ? 0 : 1;
            if (value is DateTime time)
            {
                _values[_present++] = time;
            }
        }

        public Task WriteAsync(ParquetRowGroupWriter group, int rows)
        {
            int present = _present;
            _count = 0;
            _present = 0;
            return group.WriteAllPartsAsync(Field, new ReadOnlyMemory<DateTime>(_values, 0, present), new ReadOnlyMemory<int>(_defined, 0, rows), null, CancellationToken.None);
        }
    }

    /// <summary>The rows of one file, buffered and written a row group at a time.</summary>
    private sealed class Table : IDisposable
    {
        private readonly IReadOnlyList<IColumn> _columns;
        private readonly ParquetWriter _writer;
        private int _rows;
        private bool _closed;

        public Table(Stream stream, IReadOnlyList<IColumn> columns)
        {
            ArgumentNullException.ThrowIfNull(stream);
            _columns = columns;
            var options = new ParquetOptions
            {
                CompressionMethod = CompressionMethod.Zstd,
                CompressionLevel = System.IO.Compression.CompressionLevel.Fastest,
            };
            foreach (var column in columns)
            {
                options.ColumnEncodingHints[column.Field.Path.ToString()] = column.Encoding;
            }

            _writer = ParquetWriter.CreateAsync(new ParquetSchema(columns.Select(c => (Field)c.Field)), stream, options).GetAwaiter().GetResult();
        }

        public void EndRow()
        {
            if (++_rows == RowGroupRows)
            {
                Flush();
            }
        }

        public void Complete()
        {
            if (_rows > 0)
            {
                Flush();
            }

            Close();
        }

        public void Dispose() => Close();

        private void Flush()
        {
            using (var group = _writer.CreateRowGroup())
            {
                foreach (var column in _columns)
                {
                    column.WriteAsync(group, _rows).GetAwaiter().GetResult();
                }

                group.CompleteValidate();
            }

            _rows = 0;
        }

        private void Close()
        {
            if (!_closed)
            {
                _closed = true;
                _writer.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
        }
    }
}
