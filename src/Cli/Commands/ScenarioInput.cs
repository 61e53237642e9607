using DisasterSim.Models.Loading;

namespace DisasterSim.Cli.Commands;

/// <summary>Loads a scenario for a command and reports its diagnostics.</summary>
internal static class ScenarioInput
{
    /// <summary>Reads a scenario file's bytes again (for its hash or a shard's copy) within the loader's size limit and time limit.</summary>
    /// <exception cref="InputFileException">The file cannot be read within the limits, or is empty now (a pipe, read once already by the loader).</exception>
    public static byte[] ReadBytes(string path)
    {
        byte[] bytes = InputFile.ReadAllBytes(path, ScenarioLoader.MaxFileBytes);

        // No empty file loads: empty now, it was a pipe (or was emptied meanwhile), and its hash would not be the scenario's.
        return bytes.Length > 0 ? bytes : throw new InputFileException(path, "was empty when read again for its hash (a pipe can be read only once); give a regular file");
    }

    /// <summary>Reads a text file a command is given besides its scenarios (a sweep's <c>--grid</c>) within the loader's limits, as UTF-8.</summary>
    /// <exception cref="InputFileException">The file cannot be read within the limits, or is not UTF-8 text (the message says where).</exception>
    public static string ReadText(string path)
    {
        byte[] bytes = InputFile.ReadAllBytes(path, ScenarioLoader.MaxFileBytes);
        return InputFile.TryDecodeText(bytes, out string text, out var problem)
            ? text
            : throw new InputFileException(path, string.Create(System.Globalization.CultureInfo.InvariantCulture, $"is not text: line {problem.Line}, column {problem.Column}: {problem.Message}"));
    }

    /// <summary>Loads <paramref name="path"/>, printing every diagnostic to stderr; null when the scenario cannot be used.</summary>
    public static LoadedScenario Load(string path, CliContext context)
    {
        var stderr = context.Stderr;

        // Checked here, before the loader, so a typo in the path gets a clear message even if the loader cannot run.
        if (!File.Exists(path))
        {
            string why = Directory.Exists(path) ? "is a directory, not a scenario file" : "file not found";
            stderr.WriteLine(new Diagnostic(Severity.Error, path, 0, 0, "", $"{why}; give the path of a scenario YAML file.").ToString());
            return new(null, 1, 0, null);
        }

        var result = context.LoadScenario(path);
        int errors = 0;
        int warnings = 0;
        foreach (var diagnostic in result.Diagnostics)
        {
            stderr.WriteLine(diagnostic.ToString());
            if (diagnostic.Severity == Severity.Error)
            {
                errors++;
            }
            else
            {
                warnings++;
            }
        }

        if (result.Scenario is null && errors == 0)
        {
            // The loader promises an error diagnostic whenever it returns no scenario; never fail silently if it does not.
            stderr.WriteLine(new Diagnostic(Severity.Error, path, 0, 0, "", "the scenario could not be loaded.").ToString());
            errors = 1;
        }

        return new(errors == 0 ? result.Scenario : null, errors, warnings, result.SourceBytes);
    }
}

/// <summary>A scenario as a command loaded it, with the count of its diagnostics.</summary>
/// <param name="Scenario">The scenario, or null when it cannot be used.</param>
/// <param name="ErrorCount">Errors printed.</param>
/// <param name="WarningCount">Warnings printed.</param>
/// <param name="Bytes">The bytes the loader read and parsed, when it read a file; null when a test's loader does not say.</param>
internal sealed record LoadedScenario(Models.Scenario? Scenario, int ErrorCount, int WarningCount, byte[]? Bytes)
{
    /// <summary>The scenario and the counts, as most commands use them.</summary>
    public void Deconstruct(out Models.Scenario? scenario, out int errorCount, out int warningCount) =>
        (scenario, errorCount, warningCount) = (Scenario, ErrorCount, WarningCount);
}
