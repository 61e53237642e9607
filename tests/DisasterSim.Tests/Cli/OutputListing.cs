using DisasterSim.Cli.Output;

namespace DisasterSim.Tests.Cli;

/// <summary>What an output directory holds for its user: every file and folder but the lock file each command leaves there.</summary>
internal static class OutputListing
{
    /// <summary>The names of the entries of <paramref name="directory"/> without the lock file, in ordinal order.</summary>
    public static string[] Names(string directory) =>
        [.. Directory.GetFileSystemEntries(directory).Select(f => Path.GetFileName(f)).Where(n => n != OutputDirectory.LockFileName).Order(StringComparer.Ordinal)];

    /// <summary>The names of the files of <paramref name="directory"/> without the lock file, in ordinal order.</summary>
    public static string[] Files(string directory) =>
        [.. Directory.GetFiles(directory).Select(f => Path.GetFileName(f)).Where(n => n != OutputDirectory.LockFileName).Order(StringComparer.Ordinal)];
}
