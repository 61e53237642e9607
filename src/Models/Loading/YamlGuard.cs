using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace DisasterSim.Models.Loading;

/// <summary>
/// A first pass over the YAML events, before any tree is built: rejects what the tree builder would handle badly
/// (deep nesting, which it builds by recursion; non-text keys, whose hashing follows aliases) and what a scenario
/// never needs (duplicate keys, several documents).
/// </summary>
internal static class YamlGuard
{
    private sealed class Frame(bool isMapping)
    {
        public bool IsMapping { get; } = isMapping;

        public bool ExpectKey { get; set; } = true;

        public string? Key { get; set; }

        public int Index { get; set; } = -1;

        public Dictionary<string, int> KeyLines { get; } = new(StringComparer.Ordinal);
    }

    /// <summary>Checks the text; returns false (after reporting) when the tree must not be built.</summary>
    internal static bool Check(string yaml, ReadContext ctx)
    {
        var stack = new List<Frame>();
        int documents = 0;
        var parser = new Parser(new StringReader(yaml));
        Mark lastGood = Mark.Empty;
        bool ok = true;
        try
        {
            while (parser.MoveNext())
            {
                ParsingEvent? ev = parser.Current;
                lastGood = ev?.End ?? lastGood;
                switch (ev)
                {
                    case DocumentStart:
                        documents++;
                        if (documents > 1)
                        {
                            ctx.Error(ev.Start, "", LoaderMessages.MultipleDocuments());
                            return false;
                        }

                        break;
                    case Scalar or AnchorAlias or MappingStart or SequenceStart:
                        bool? verdict = Node(ev, stack, ctx);
                        if (verdict is null)
                        {
                            return false;
                        }

                        ok &= verdict.Value;
                        break;
                    case MappingEnd or SequenceEnd:
                        stack.RemoveAt(stack.Count - 1);
                        break;
                }
            }
        }
        catch (YamlException ex)
        {
            ctx.Error(Locate(ex, yaml, lastGood), PathOf(stack), LoaderMessages.Syntax(CleanMessage(ex)));
            return false;
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or IndexOutOfRangeException or FormatException or OverflowException)
        {
            // The scanner occasionally fails without a YamlException (seen for an unclosed '[' followed by 'key:').
            ctx.Error(lastGood, PathOf(stack), LoaderMessages.Syntax(LoaderMessages.UnparsableAfter()));
            return false;
        }

        if (documents == 0)
        {
            ctx.Error(Mark.Empty, "", LoaderMessages.EmptyDocument());
            return false;
        }

        return ok;
    }

    /// <summary>YamlDotNet prefixes its messages with the location, which the diagnostic already carries.</summary>
    internal static string CleanMessage(YamlException ex)
    {
        string message = ex.Message;
        int marker = message.IndexOf("): ", StringComparison.Ordinal);
        if (message.StartsWith("(Line:", StringComparison.Ordinal) && marker >= 0)
        {
            message = message[(marker + 3)..];
        }

        message = message.Trim();
        return message.Length == 0 ? "the text could not be parsed" : message;
    }

    /// <summary>Finds a position for errors the scanner reports without one (it does so for tab indentation).</summary>
    internal static Mark Locate(YamlException ex, string yaml, Mark lastGood)
    {
        if (ex.Start.Index > 0 || ex.Start.Line > 1 || ex.Start.Column > 1)
        {
            return ex.Start;
        }

        if (ex.Message.Contains("tab", StringComparison.OrdinalIgnoreCase))
        {
            string[] lines = yaml.Split('\n');
            for (int i = 0; i < lines.Length; i++)
            {
                string indent = lines[i][..(lines[i].Length - lines[i].TrimStart().Length)];
                int tab = indent.IndexOf('\t', StringComparison.Ordinal);
                if (tab >= 0)
                {
                    return new Mark(0, i + 1, tab + 1);
                }
            }
        }

        return lastGood;
    }

    /// <summary>Tracks one node event: true when fine, false for a problem worth reporting alongside others, null when scanning must stop.</summary>
    private static bool? Node(ParsingEvent ev, List<Frame> stack, ReadContext ctx)
    {
        if (stack.Count > 0)
        {
            Frame parent = stack[^1];
            if (parent.IsMapping && parent.ExpectKey)
            {
                parent.Key = null;
                if (ev is not Scalar key)
                {
                    ctx.Error(ev.Start, PathOf(stack), LoaderMessages.NonScalarKey());
                    return null;
                }

                int line = (int)ev.Start.Line;
                parent.Key = key.Value;
                if (!parent.KeyLines.TryAdd(key.Value, line))
                {
                    ctx.Error(ev.Start, PathOf(stack), LoaderMessages.DuplicateKey(key.Value, parent.KeyLines[key.Value]));
                    parent.ExpectKey = false;
                    return false;
                }

                parent.ExpectKey = false;
                return true;
            }

            if (parent.IsMapping)
            {
                parent.ExpectKey = true;
            }
            else
            {
                parent.Index++;
            }
        }

        if (ev is MappingStart or SequenceStart)
        {
            stack.Add(new Frame(ev is MappingStart));
            if (stack.Count > ReadContext.MaxDepth)
            {
                ctx.Error(ev.Start, PathOf(stack), LoaderMessages.TooDeep(ReadContext.MaxDepth));
                return null;
            }
        }

        return true;
    }

    private static string PathOf(List<Frame> stack)
    {
        var path = "";
        foreach (Frame f in stack)
        {
            if (f.IsMapping && f.Key is not null)
            {
                path = ScenarioNodes.Child(path, f.Key);
            }
            else if (!f.IsMapping && f.Index >= 0)
            {
                path = ScenarioNodes.Item(path, f.Index);
            }
        }

        return path;
    }
}
