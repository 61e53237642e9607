namespace DisasterSim.Cli;

/// <summary>The process exit codes of <c>disastersim</c>.</summary>
/// <remarks>
/// 0 success; 1 usage error (unknown or bad options); 2 invalid scenario (missing file, any load error) or, for merge,
/// directories that are not the shards of one whole run; 3 runtime or I/O failure, including internal errors, a shard
/// file that is unreadable or altered, a checkpoint of another run, and an output directory in use; 130 cancelled by Ctrl-C
/// (128 + SIGINT, as shells report it); 143 stopped as cleanly by SIGTERM.
/// </remarks>
public static class ExitCodes
{
    /// <summary>Success.</summary>
    public const int Success = 0;

    /// <summary>Bad command line: unknown option, missing argument, value out of range.</summary>
    public const int UsageError = 1;

    /// <summary>The scenario file is missing or has errors; or the directories given to merge are not the shards of one whole run.</summary>
    public const int InvalidScenario = 2;

    /// <summary>The run or writing its output failed, or an internal error happened.</summary>
    public const int RuntimeFailure = 3;

    /// <summary>Cancelled by the user (Ctrl-C).</summary>
    public const int Cancelled = 130;

    /// <summary>Stopped by SIGTERM (a scheduler or container runtime ending the job), cleanly as by Ctrl-C (128 + SIGTERM).</summary>
    public const int Terminated = 143;
}
