namespace DisasterSim.Models.Loading;

/// <summary>How serious a diagnostic is.</summary>
public enum Severity
{
    /// <summary>The scenario cannot be run.</summary>
    Error,

    /// <summary>The scenario runs, but probably not as meant.</summary>
    Warning,
}

/// <summary>One problem found in a scenario file, with its location.</summary>
/// <param name="Severity">Error or warning.</param>
/// <param name="File">The file's path as given.</param>
/// <param name="Line">1-based line (0 when unknown).</param>
/// <param name="Column">1-based column (0 when unknown).</param>
/// <param name="Path">The path inside the scenario, e.g. <c>services[2].recovery.failover.after</c>.</param>
/// <param name="Message">What is wrong, with the value found and what was expected.</param>
public sealed record Diagnostic(Severity Severity, string File, int Line, int Column, string Path, string Message)
{
    /// <inheritdoc/>
    public override string ToString() =>
        $"{File}:{Line}:{Column}: {(Severity == Severity.Error ? "error" : "warning")}: {(Path.Length == 0 ? "" : Path + ": ")}{Message}";
}
