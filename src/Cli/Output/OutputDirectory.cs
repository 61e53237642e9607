using System.Text;

namespace DisasterSim.Cli.Output;

/// <summary>
/// Writes a set of files into one directory so that a reader never sees a half-written one: each goes to a temporary
/// name first, and all are renamed into place by <see cref="Commit"/>. Disposing without committing deletes the temporary files.
/// </summary>
public sealed class OutputDirectory : IDisposable
{
    private const string TemporarySuffix = ".partial";
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private readonly List<string> _pending = [];

    /// <summary>Creates the directory if needed.</summary>
    /// <exception cref="IOException">The directory cannot be created.</exception>
    /// <exception cref="UnauthorizedAccessException">The directory cannot be created.</exception>
    public OutputDirectory(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Path = path;
        Directory.CreateDirectory(path);
    }

    /// <summary>Gets the directory's path, as given.</summary>
    public string Path { get; }

    /// <summary>Writes a file's bytes under a temporary name.</summary>
    public void Write(string fileName, Action<Stream> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        string temporary = TemporaryPath(fileName);
        _pending.Add(fileName);
        using var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None);
        write(stream);
    }

    /// <summary>Writes a text file (UTF-8 without BOM) under a temporary name.</summary>
    public void WriteText(string fileName, Action<TextWriter> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        Write(fileName, stream =>
        {
            using var writer = new StreamWriter(stream, Utf8NoBom, bufferSize: 1 << 16, leaveOpen: true) { NewLine = "\n" };
            write(writer);
        });
    }

    /// <summary>Renames every file written into place, replacing older ones.</summary>
    public void Commit()
    {
        foreach (string fileName in _pending)
        {
            File.Move(TemporaryPath(fileName), System.IO.Path.Combine(Path, fileName), overwrite: true);
        }

        _pending.Clear();
    }

    /// <summary>Deletes the temporary files of an uncommitted set.</summary>
    public void Dispose()
    {
        foreach (string fileName in _pending)
        {
            try
            {
                File.Delete(TemporaryPath(fileName));
            }
            catch (IOException)
            {
                // Best effort: a leftover ".partial" file never looks like a finished output.
            }
            catch (UnauthorizedAccessException)
            {
                // As above.
            }
        }

        _pending.Clear();
    }

    private string TemporaryPath(string fileName) => System.IO.Path.Combine(Path, fileName + TemporarySuffix);
}
