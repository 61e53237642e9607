using DisasterSim.Models.Loading;

namespace DisasterSim.Cli.Commands;

/// <summary>Loads a scenario for a command and reports its diagnostics.</summary>
internal static class ScenarioInput
{
    /// <summary>Reads a scenario file's bytes (for its hash or a shard's copy) within the loader's size limit and time limit.</summary>
    /// <exception cref="InputFileException">The file cannot be read within the limits.</exception>
    public static byte[] ReadBytes(string path) => InputFile.ReadAllBytes(path, ScenarioLoader.MaxFileBytes);

    /// <summary>Loads <paramref name="path"/>, printing every diagnostic to stderr; null when the scenario cannot be used.</summary>
    public static (Models.Scenario? Scenario, int ErrorCount, int WarningCount) Load(string path, CliContext context)
    {
        var stderr = context.Stderr;

        // Checked here, before the loader, so a typo in the path gets a clear message even if the loader cannot run.
        if (!File.Exists(path))
        {
            string why = Directory.Exists(path) ? "is a directory, not a scenario file" : "file not found";
            stderr.WriteLine(new Diagnostic(Severity.Error, path, 0, 0, "", $"{why}; give the path of a scenario YAML file.").ToString());
            return (null, 1, 0);
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

        return (errors == 0 ? result.Scenario : null, errors, warnings);
    }
}
