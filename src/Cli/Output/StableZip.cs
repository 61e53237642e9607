using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;

namespace DisasterSim.Cli.Output;

/// <summary>
/// Copies a zip archive (an .xlsx) so that the same content always gives the same bytes: every entry stamped with one fixed
/// time, and the random relationship ids some writers put in the workbook's small parts numbered in order of appearance.
/// </summary>
/// <remarks>
/// MiniExcel stamps each entry with the time of writing and names the workbook's sheet relationships <c>R</c> and a new
/// GUID; both would make two runs of the same scenario differ. Entries are copied in their order, streamed; only parts
/// below 1 MiB (workbook.xml, the relationships, content types, styles) are read as text to renumber ids.
/// </remarks>
internal static partial class StableZip
{
    private const int SmallPart = 1 << 20;

    // The zip format's earliest time: no clock, no time zone.
    private static readonly DateTimeOffset FixedTime = new(1980, 1, 1, 0, 0, 0, TimeSpan.Zero);

    // Parts keep their byte order mark, if any, as it was.
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    private static ReadOnlySpan<byte> ByteOrderMark => [0xEF, 0xBB, 0xBF];

    /// <summary>Copies the archive in <paramref name="source"/> (seekable) to <paramref name="destination"/>.</summary>
    public static void Copy(Stream source, Stream destination)
    {
        using var input = new ZipArchive(source, ZipArchiveMode.Read, leaveOpen: true);
        using var output = new ZipArchive(destination, ZipArchiveMode.Create, leaveOpen: true);
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in input.Entries)
        {
            var copy = output.CreateEntry(entry.FullName, CompressionLevel.Fastest);
            copy.LastWriteTime = FixedTime;
            using var from = entry.Open();
            using var to = copy.Open();
            if (entry.Length < SmallPart && (entry.FullName.EndsWith(".xml", StringComparison.Ordinal) || entry.FullName.EndsWith(".rels", StringComparison.Ordinal)))
            {
                using var buffer = new MemoryStream();
                from.CopyTo(buffer);
                var bytes = buffer.GetBuffer().AsSpan(0, (int)buffer.Length);
                int bom = bytes.StartsWith(ByteOrderMark) ? ByteOrderMark.Length : 0;
                to.Write(bytes[..bom]);
                to.Write(Utf8NoBom.GetBytes(RandomId().Replace(Utf8NoBom.GetString(bytes[bom..]), m => Renumber(ids, m.Value))));
            }
            else
            {
                from.CopyTo(to);
            }
        }
    }

    // The same id keeps its number across parts, so a relationship and its reference still match.
    private static string Renumber(Dictionary<string, string> ids, string id)
    {
        if (!ids.TryGetValue(id, out string? number))
        {
            number = "R" + (ids.Count + 1).ToString("x32", System.Globalization.CultureInfo.InvariantCulture);
            ids.Add(id, number);
        }

        return number;
    }

    [GeneratedRegex("R[0-9a-f]{32}")]
    private static partial Regex RandomId();
}
