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

    /// <summary>Gets the bytes of the file as they were read and parsed, when loaded from a file: what its hash must be taken of (a pipe can be read only once, and a file may change meanwhile).</summary>
    public byte[]? SourceBytes { get; init; }
}

/// <summary>Reads scenario YAML into a validated <see cref="Scenario"/>.</summary>
public static class ScenarioLoader
{
    /// <summary>The largest scenario file accepted, in bytes (10 MiB).</summary>
    public const long MaxFileBytes = ReadContext.MaxFileBytes;

    /// <summary>Loads and validates a scenario file. Never throws for bad content; I/O problems become diagnostics too.</summary>
    /// <remarks>Any path is read within the size limit and <see cref="InputFile.DefaultTimeout"/>: a device, a pipe or a file that grows ends in an error, not in a hang or a runaway allocation.</remarks>
    public static LoadResult Load(string path) => Load(path, InputFile.DefaultTimeout);

    /// <summary>Loads and validates a scenario file, reading it within <paramref name="readTimeout"/>.</summary>
    public static LoadResult Load(string path, TimeSpan readTimeout)
    {
        ArgumentNullException.ThrowIfNull(path);
        var ctx = new ReadContext(path);
        return TryRead(path, ctx, readTimeout, out string text, out byte[] bytes) ? Parse(text, ctx) with { SourceBytes = bytes } : new LoadResult(null, ctx.Diagnostics());
    }

    /// <summary>Reads a scenario file's text within the limits, reporting why it cannot be read as an error of <paramref name="ctx"/>.</summary>
    internal static bool TryRead(string path, ReadContext ctx, TimeSpan readTimeout, out string text, out byte[] bytes)
    {
        text = "";
        bytes = [];
        try
        {
            bytes = InputFile.ReadAllBytes(path, ReadContext.MaxFileBytes, readTimeout);
        }
        catch (InputFileTooLargeException e)
        {
            ctx.Error(ReadContext.WholeFile, "", e.Bytes is long size ? LoaderMessages.FileTooLarge(size, e.Limit) : LoaderMessages.StreamTooLarge(e.Limit));
            return false;
        }
        catch (InputFileException e)
        {
            ctx.ErrorWithoutPosition(LoaderMessages.FileUnreadable(e.Message));
            return false;
        }

        if (!InputFile.TryDecodeText(bytes, out text, out var problem))
        {
            ctx.Error(new Mark(0, problem.Line, problem.Column), "", LoaderMessages.NotText(problem.Message));
            return false;
        }

        return true;
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
