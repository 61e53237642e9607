using System.Collections.Immutable;
using System.Text;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace DisasterSim.Models.Loading;

/// <summary>The outcome of loading a scenario: the scenario when there is no error, and every diagnostic.</summary>
/// <param name="Scenario">The scenario, or null when any error was found.</param>
/// <param name="Diagnostics">Every error and warning, in file order.</param>
public sealed record LoadResult(Scenario? Scenario, ImmutableArray<Diagnostic> Diagnostics)
{
    /// <summary>Gets whether the scenario loaded without error.</summary>
    public bool Success => Scenario is not null;
}

/// <summary>Reads scenario YAML into a validated <see cref="Scenario"/>.</summary>
public static class ScenarioLoader
{
    /// <summary>The largest scenario file accepted, in bytes (10 MiB).</summary>
    public const long MaxFileBytes = ReadContext.MaxFileBytes;

    /// <summary>Loads and validates a scenario file. Never throws for bad content; I/O problems become diagnostics too.</summary>
    public static LoadResult Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var ctx = new ReadContext(path);
        string text;
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists)
            {
                ctx.ErrorWithoutPosition(Directory.Exists(path)
                    ? LoaderMessages.FileUnreadable($"'{path}' is a directory; give the path of a .yaml file")
                    : LoaderMessages.FileMissing(path));
                return new LoadResult(null, ctx.Diagnostics());
            }

            if (info.Length > ReadContext.MaxFileBytes)
            {
                ctx.Error(ReadContext.WholeFile, "", LoaderMessages.FileTooLarge(info.Length, ReadContext.MaxFileBytes));
                return new LoadResult(null, ctx.Diagnostics());
            }

            text = File.ReadAllText(path, Encoding.UTF8);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException or System.Security.SecurityException)
        {
            ctx.ErrorWithoutPosition(LoaderMessages.FileUnreadable(ex.Message));
            return new LoadResult(null, ctx.Diagnostics());
        }

        return Parse(text, ctx);
    }

    /// <summary>Parses and validates scenario text; <paramref name="fileName"/> is used in diagnostics.</summary>
    public static LoadResult Parse(string yaml, string fileName)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        ArgumentNullException.ThrowIfNull(fileName);
        return Parse(yaml, new ReadContext(fileName));
    }

    private static LoadResult Parse(string yaml, ReadContext ctx)
    {
        // Characters are at least one byte each, so the cheap length test settles most huge inputs.
        long bytes = yaml.Length > ReadContext.MaxFileBytes ? yaml.Length : Encoding.UTF8.GetByteCount(yaml);
        if (bytes > ReadContext.MaxFileBytes)
        {
            ctx.Error(ReadContext.WholeFile, "", LoaderMessages.FileTooLarge(bytes, ReadContext.MaxFileBytes));
            return new LoadResult(null, ctx.Diagnostics());
        }

        if (!YamlGuard.Check(yaml, ctx))
        {
            return new LoadResult(null, ctx.Diagnostics());
        }

        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException ex)
        {
            ctx.Error(YamlGuard.Locate(ex, yaml, Mark.Empty), "", LoaderMessages.Syntax(YamlGuard.CleanMessage(ex)));
            return new LoadResult(null, ctx.Diagnostics());
        }

        Scenario? scenario = new ScenarioReader(ctx).Read(stream.Documents[0].RootNode);
        return new LoadResult(ctx.HasErrors ? null : scenario, ctx.Diagnostics());
    }
}
