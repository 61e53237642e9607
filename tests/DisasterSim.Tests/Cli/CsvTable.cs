namespace DisasterSim.Tests.Cli;

/// <summary>Reads the CSV files the commands write, for tests: rows of fields, the header first.</summary>
internal static class CsvTable
{
    /// <summary>The index of column <paramref name="name"/> in the header row (−1 when absent).</summary>
    public static int Column(List<string[]> rows, string name) => Array.IndexOf(rows[0], name);

    /// <summary>Reads every row; quoted fields in these files only ever hold commas, never quotes or line breaks.</summary>
    public static List<string[]> Read(string path)
    {
        var rows = new List<string[]>();
        foreach (string line in File.ReadAllLines(path))
        {
            var fields = new List<string>();
            var current = new System.Text.StringBuilder();
            bool quoted = false;
            foreach (char c in line)
            {
                if (c == '"')
                {
                    quoted = !quoted;
                }
                else if (c == ',' && !quoted)
                {
                    fields.Add(current.ToString());
                    current.Clear();
                }
                else
                {
                    current.Append(c);
                }
            }

            fields.Add(current.ToString());
            rows.Add([.. fields]);
        }

        return rows;
    }
}
