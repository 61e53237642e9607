using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Spectre.Console;

namespace DisasterSim.Cli.Output;

/// <summary>How a command prints its results on stdout.</summary>
public enum StdoutFormat
{
    /// <summary>Boxed tables for people, at most <see cref="TextTables.Width"/> columns wide.</summary>
    Table,

    /// <summary>CSV, one block per table, a blank line between them.</summary>
    Csv,

    /// <summary>JSON: an array of tables, each with its title and its rows as objects.</summary>
    Json,

    /// <summary>Markdown tables, for a wiki or a pull request.</summary>
    Md,
}

/// <summary>One table of results: a title, a header and rows of text already formatted (<see cref="NumberText"/>).</summary>
/// <param name="Title">The title, with the unit ("Service downtime, hours").</param>
/// <param name="Header">The column names.</param>
/// <param name="Rows">The rows.</param>
/// <param name="KeyColumns">How many leading columns name a row: repeated in each part when the table is split to fit.</param>
public sealed record TextTable(string Title, IReadOnlyList<string> Header, IReadOnlyList<IReadOnlyList<string>> Rows, int KeyColumns = 1);

/// <summary>Prints tables in a <see cref="StdoutFormat"/>; boxed tables never break a cell: a table too wide is split into parts that repeat the key columns.</summary>
public static class TextTables
{
    /// <summary>The widest a boxed table is printed, in characters.</summary>
    public const int Width = 100;

    /// <summary>Writes the tables to <paramref name="writer"/> in <paramref name="format"/>.</summary>
    public static void Write(TextWriter writer, IReadOnlyList<TextTable> tables, StdoutFormat format, int width = Width)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(tables);
        switch (format)
        {
            case StdoutFormat.Table:
                WriteBoxed(writer, tables, width);
                break;
            case StdoutFormat.Csv:
                for (int t = 0; t < tables.Count; t++)
                {
                    if (t > 0)
                    {
                        writer.Write('\n');
                    }

                    writer.Write("# " + tables[t].Title + "\n");
                    foreach (var row in tables[t].Rows.Prepend(tables[t].Header))
                    {
                        writer.Write(string.Join(",", row.Select(Csv)) + "\n");
                    }
                }

                break;
            case StdoutFormat.Json:
                writer.Write(Json(tables));
                break;
            case StdoutFormat.Md:
                foreach (var table in tables)
                {
                    writer.Write("**" + table.Title + "**\n\n| " + string.Join(" | ", table.Header.Select(Md)) + " |\n|" + string.Concat(table.Header.Select((_, i) => i < table.KeyColumns ? "---|" : "---:|")) + "\n");
                    foreach (var row in table.Rows)
                    {
                        writer.Write("| " + string.Join(" | ", row.Select(Md)) + " |\n");
                    }

                    writer.Write('\n');
                }

                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(format), format, "not a format");
        }
    }

    /// <summary>Splits the columns of a table into parts that each fit in <paramref name="width"/>, every part with the key columns.</summary>
    public static IReadOnlyList<IReadOnlyList<int>> Parts(TextTable table, int width = Width)
    {
        ArgumentNullException.ThrowIfNull(table);

        // A boxed column costs its widest cell plus a space on each side and a border.
        int Cost(int c) => table.Rows.Select(r => r[c].Length).Prepend(table.Header[c].Length).Max() + 3;
        var keys = Enumerable.Range(0, Math.Min(table.KeyColumns, table.Header.Count)).ToList();
        int keyCost = 1 + keys.Sum(Cost);
        var parts = new List<IReadOnlyList<int>>();
        var current = new List<int>(keys);
        int used = keyCost;
        for (int c = keys.Count; c < table.Header.Count; c++)
        {
            if (used + Cost(c) > width && current.Count > keys.Count)
            {
                parts.Add(current);
                current = [.. keys];
                used = keyCost;
            }

            current.Add(c);
            used += Cost(c);
        }

        parts.Add(current);
        return parts;
    }

    private static void WriteBoxed(TextWriter writer, IReadOnlyList<TextTable> tables, int width)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });

        // Wide enough for every part, never wider: the parts were cut to fit.
        console.Profile.Width = width;
        foreach (var table in tables)
        {
            var parts = Parts(table, width);
            for (int p = 0; p < parts.Count; p++)
            {
                var columns = parts[p];
                // Later parts of a split table go without the title, which may be wider than they are.
                var boxed = new Table();
                if (p == 0)
                {
                    boxed.Title(new TableTitle(table.Title));
                }
                foreach (int c in columns)
                {
                    var column = new TableColumn(new Text(table.Header[c])).NoWrap();
                    boxed.AddColumn(c < table.KeyColumns ? column : column.RightAligned());
                }

                foreach (var row in table.Rows)
                {
                    boxed.AddRow(columns.Select(c => new Text(row[c])));
                }

                console.Write(boxed);
            }
        }
    }

    private static string Json(IReadOnlyList<TextTable> tables)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, NewLine = "\n", Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartArray();
            foreach (var table in tables)
            {
                json.WriteStartObject();
                json.WriteString("title", table.Title);
                json.WriteStartArray("rows");
                foreach (var row in table.Rows)
                {
                    json.WriteStartObject();
                    for (int c = 0; c < table.Header.Count; c++)
                    {
                        json.WriteString(table.Header[c], row[c]);
                    }

                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    private static string Csv(string cell)
    {
        string safe = cell.Length > 0 && cell[0] is '=' or '+' or '@' || (cell.Length > 1 && cell[0] == '-' && !char.IsDigit(cell[1])) ? "'" + cell : cell;
        return safe.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + safe.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : safe;
    }

    private static string Md(string cell) => cell.Replace("|", "\\|", StringComparison.Ordinal);
}
