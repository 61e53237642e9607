using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace DisasterSim.Cli.Commands;

/// <summary>Checks of the options and arguments every command shares, so that a misuse is a usage error that says what was expected.</summary>
internal static class OptionChecks
{
    /// <summary>Parses <c>--seed</c>: a whole number from 0 to 2^64 − 1 (the parser's own message names a .NET type).</summary>
    public static ulong? Seed(ArgumentResult result)
    {
        string text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
        if (ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out ulong seed))
        {
            return seed;
        }

        result.AddError($"--seed must be a whole number from 0 to {ulong.MaxValue}; got '{text}'.");
        return null;
    }

    /// <summary>Refuses an empty <c>--out</c>, or one holding a NUL character, before it reaches the file system.</summary>
    public static void OutputDirectory(OptionResult result)
    {
        string text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
        if (text.Trim().Length == 0 || text.Contains('\0', StringComparison.Ordinal))
        {
            result.AddError($"--out must name a directory; got '{text.Replace("\0", "\\0", StringComparison.Ordinal)}'.");
        }
    }

    /// <summary>Refuses a file argument that looks like an option and is no file: an unknown option, such as a misspelt <c>--bogus</c>, is not taken for a file name.</summary>
    public static void NoOptionLikeFiles(ArgumentResult result)
    {
        foreach (var token in result.Tokens)
        {
            if (token.Value.Length > 1 && token.Value[0] == '-' && !File.Exists(token.Value) && !Directory.Exists(token.Value))
            {
                result.AddError($"unknown option '{token.Value}'; a file whose name starts with '-' can be given as ./{token.Value}.");
            }
        }
    }

    /// <summary>Adds the checks to a command's file argument, <c>--out</c> and <c>--seed</c>, those it has.</summary>
    public static void AddTo(Argument argument, Option<string?>? output = null, Option<ulong?>? seed = null)
    {
        argument.Validators.Add(NoOptionLikeFiles);
        output?.Validators.Add(OutputDirectory);
        if (seed is not null)
        {
            seed.CustomParser = Seed;
        }
    }

    /// <summary>The name of a default output folder made from a file name: the name itself, unless it is empty or dots only (<c>...yaml</c> would name the folder <c>..</c>).</summary>
    public static string FolderName(string name) =>
        name.Trim().Trim('.').Length == 0 ? "scenario" : name;
}
