using System.Net;
using System.Text;
using DisasterSim.Cli.Charts;

namespace DisasterSim.Cli.Output;

/// <summary>A self-contained HTML report: text, tables and charts (PNG, inlined), no script and nothing fetched; printable.</summary>
public sealed class HtmlReport
{
    private const string Style = """
        body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 2em auto; max-width: 1000px; padding: 0 1em; color: #1a1a1a; line-height: 1.45; }
        h1 { font-size: 1.7em; margin-bottom: 0.2em; } h2 { margin-top: 1.8em; border-bottom: 1px solid #ccc; padding-bottom: 0.2em; }
        .sub { color: #555; margin-top: 0; } .note { color: #555; font-size: 0.9em; margin-top: 0.2em; }
        table { border-collapse: collapse; margin: 0.8em 0; font-size: 0.92em; } th, td { border: 1px solid #ccc; padding: 0.3em 0.6em; }
        th { background: #f2f2f2; text-align: left; } td.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
        figure { margin: 1.2em 0; page-break-inside: avoid; break-inside: avoid; } figure img { width: 100%; max-width: 960px; border: 1px solid #eee; }
        code, pre { font-family: ui-monospace, "SF Mono", Consolas, monospace; font-size: 0.9em; background: #f6f6f6; } pre { padding: 0.6em; overflow-x: auto; white-space: pre-wrap; }
        .key { display: flex; gap: 1.5em; flex-wrap: wrap; } .key div { background: #f6f8fa; border: 1px solid #ddd; padding: 0.6em 1em; border-radius: 4px; }
        .key b { display: block; font-size: 1.4em; } .t { overflow-x: auto; }
        @media print { body { max-width: none; margin: 0; } .t { overflow: visible; } table { font-size: 0.75em; } h2 { page-break-after: avoid; break-after: avoid; } table, pre { page-break-inside: avoid; break-inside: avoid; } }
        """;

    private readonly StringBuilder _body = new();
    private readonly string _title;

    /// <summary>Starts a report.</summary>
    /// <param name="title">Its title (the scenario or the comparison).</param>
    /// <param name="subtitle">A line under it: trials, seed, engine.</param>
    public HtmlReport(string title, string subtitle)
    {
        _title = title;
        _body.Append("<h1>").Append(Encode(title)).Append("</h1>\n<p class=\"sub\">").Append(Encode(subtitle)).Append("</p>\n");
    }

    /// <summary>Adds a section heading.</summary>
    public HtmlReport Heading(string text)
    {
        _body.Append("<h2>").Append(Encode(text)).Append("</h2>\n");
        return this;
    }

    /// <summary>Adds a paragraph of plain text.</summary>
    public HtmlReport Paragraph(string text, bool note = false)
    {
        _body.Append(note ? "<p class=\"note\">" : "<p>").Append(Encode(text)).Append("</p>\n");
        return this;
    }

    /// <summary>Adds a row of key figures: a label and a big value each.</summary>
    public HtmlReport KeyFigures(IEnumerable<(string Label, string Value)> figures)
    {
        _body.Append("<div class=\"key\">");
        foreach (var (label, value) in figures)
        {
            _body.Append("<div><b>").Append(Encode(value)).Append("</b>").Append(Encode(label)).Append("</div>");
        }

        _body.Append("</div>\n");
        return this;
    }

    /// <summary>Adds a table; cells of columns after the first <paramref name="textColumns"/> are right-aligned numbers.</summary>
    public HtmlReport Table(IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows, int textColumns = 1)
    {
        _body.Append("<div class=\"t\"><table><thead><tr>");
        foreach (string h in header)
        {
            _body.Append("<th>").Append(Encode(h)).Append("</th>");
        }

        _body.Append("</tr></thead><tbody>\n");
        foreach (var row in rows)
        {
            _body.Append("<tr>");
            for (int i = 0; i < row.Count; i++)
            {
                _body.Append(i < textColumns ? "<td>" : "<td class=\"n\">").Append(Encode(row[i])).Append("</td>");
            }

            _body.Append("</tr>\n");
        }

        _body.Append("</tbody></table></div>\n");
        return this;
    }

    /// <summary>Adds a chart, drawn as PNG (or <paramref name="drawn"/>, its PNG already drawn) and inlined, with its note as caption.</summary>
    public HtmlReport Chart(Chart chart, byte[]? drawn = null)
    {
        ArgumentNullException.ThrowIfNull(chart);
        string png = Convert.ToBase64String(drawn ?? ChartRenderer.Png(chart));
        _body.Append("<figure><img alt=\"").Append(Encode(chart.Title)).Append("\" src=\"data:image/png;base64,").Append(png).Append("\">");
        if (chart.Note.Length > 0)
        {
            _body.Append("<figcaption class=\"note\">").Append(Encode(chart.Note)).Append("</figcaption>");
        }

        _body.Append("</figure>\n");
        return this;
    }

    /// <summary>Adds a list of links to files beside the report.</summary>
    public HtmlReport Links(IEnumerable<(string Text, string RelativePath)> links)
    {
        _body.Append("<ul>");
        foreach (var (text, path) in links)
        {
            _body.Append("<li><a href=\"").Append(Encode(Uri.EscapeDataString(path).Replace("%2F", "/", StringComparison.Ordinal))).Append("\">").Append(Encode(text)).Append("</a></li>");
        }

        _body.Append("</ul>\n");
        return this;
    }

    /// <summary>Adds preformatted text (commands).</summary>
    public HtmlReport Code(string text)
    {
        _body.Append("<pre><code>").Append(Encode(text)).Append("</code></pre>\n");
        return this;
    }

    /// <summary>The whole document.</summary>
    public string Render() =>
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>"
        + Encode(_title) + "</title>\n<style>\n" + Style + "\n</style>\n</head>\n<body>\n" + _body + "</body>\n</html>\n";

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
