namespace DisasterSim.Cli.Sharding;

/// <summary>Writes a file that is either absent or complete, even if the process is killed or the power fails midway; nothing already at its temporary name is followed.</summary>
internal static class AtomicFile
{
    /// <summary>Writes to <c>PATH.partial</c>, forces it to disk, then renames it to <paramref name="path"/>.</summary>
    public static void Write(string path, Action<Stream> write)
    {
        string temporary = path + ".partial";
        try
        {
            // A leftover of a killed run, or a link planted there, is removed (a link as a link); CreateNew then refuses anything that reappears.
            File.Delete(temporary);
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    /// <summary>Deletes a file if it can; a leftover temporary file is harmless.</summary>
    public static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: a ".partial" name never looks complete.
        }
    }
}
