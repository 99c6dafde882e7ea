using System.Globalization;
using System.IO.Compression;

namespace Confide.Documents.Sandbox;

/// <summary>What a scan found, and the first cap it broke (<see cref="Refusal"/>, a code), if any.</summary>
/// <param name="Refusal"><c>nesting</c>, <c>objects</c>, <c>pages</c>, <c>decompressed</c>, <c>page-tree-loop</c>, <c>object-stream</c>; null when every cap holds.</param>
/// <param name="Detail">The refusal in words (no content of the file), or empty.</param>
/// <param name="Objects">Indirect objects seen (those in object streams included).</param>
/// <param name="Depth">Deepest nesting seen.</param>
/// <param name="Pages">Pages as the page tree expands (saturates just past the cap).</param>
/// <param name="Decompressed">Bytes the compressed streams inflated to (stops at the cap).</param>
public sealed record PdfScanResult(string? Refusal, string Detail, int Objects, int Depth, long Pages, long Decompressed)
{
    /// <summary>True when every cap holds.</summary>
    public bool Passed => Refusal is null;
}

/// <summary>
/// A bounded pre-scan of a PDF's bytes, before any PDF library parses them: a lexer without
/// recursion (so nesting cannot overflow its stack) that counts nesting depth, indirect objects,
/// pages through the page tree (expanding shared nodes the way a reader does, loops refused) and
/// the bytes every FlateDecode stream inflates to (inflating in chunks, never holding the output,
/// stopping at the cap). Object streams are inflated (within the same cap) and scanned too. Work is
/// linear in the file and the inflated bytes. It is a filter against bombs, not a validator: a file
/// that passes can still be unreadable.
/// </summary>
public static class PdfScanner
{
    private const int ChunkBytes = 64 * 1024;

    /// <summary>The largest object stream kept in memory to be scanned (its bytes count against the inflate cap too).</summary>
    private const int MaxObjectStreamBytes = 64 * 1024 * 1024;

    /// <summary>Scans <paramref name="pdf"/> against <paramref name="limits"/>; stops at the first cap broken.</summary>
    public static PdfScanResult Scan(byte[] pdf, PdfLimits limits)
    {
        ArgumentNullException.ThrowIfNull(pdf);
        ArgumentNullException.ThrowIfNull(limits);
        var state = new State(limits);
        try
        {
            state.Lex(pdf, 0, pdf.Length, fixedObject: -1);
            state.CountPages();
        }
        catch (Refused refused)
        {
            return state.Result(refused.Code, refused.Message);
        }
        return state.Result(null, "");
    }

    private sealed class Refused(string code, string message) : Exception(message)
    {
        public string Code { get; } = code;
    }

    private sealed class Node
    {
        public bool IsPages;
        public List<int> Kids = [];
    }

    /// <summary>The dictionary keys the scan acts on; the value that follows them is read.</summary>
    private enum Key
    {
        None,
        Type,
        Kids,
        Filter,
        N,
        First,
    }

    private sealed class State(PdfLimits limits)
    {
        private readonly Dictionary<int, Node> _nodes = [];
        private int _objects;
        private int _depthSeen;
        private long _pages;
        private long _inflated;

        public PdfScanResult Result(string? code, string detail) => new(code, detail, _objects, _depthSeen, _pages, _inflated);

        /// <summary>Lexes <c>data[from..to)</c>; <paramref name="fixedObject"/> is the object it belongs to (inside an object stream), else -1.</summary>
        public void Lex(byte[] data, int from, int to, int fixedObject)
        {
            var depth = 0;
            var current = fixedObject;
            long previousInt = -1, lastInt = -1;
            var intsInRow = 0;
            var key = Key.None;
            var kidsDepth = -1; // depth of the open /Kids array, -1 when not in one
            var filterDepth = -1; // depth of an open /Filter array
            bool flate = false, objStm = false, firstFilter = true;
            long streamCount = 0, streamFirst = 0;
            var objectDepth = 0; // nesting at the object's start

            void NewObject()
            {
                flate = false;
                objStm = false;
                firstFilter = true;
                streamCount = 0;
                streamFirst = 0;
                key = Key.None;
                kidsDepth = -1;
                filterDepth = -1;
                objectDepth = depth;
            }

            void Open()
            {
                depth++;
                if (depth > _depthSeen)
                {
                    _depthSeen = depth;
                }
                if (depth > limits.MaxNesting)
                {
                    throw new Refused("nesting", $"its arrays and dictionaries nest deeper than {limits.MaxNesting} levels");
                }
            }

            void Close()
            {
                if (kidsDepth == depth)
                {
                    kidsDepth = -1;
                }
                if (filterDepth == depth)
                {
                    filterDepth = -1;
                }
                depth = Math.Max(0, depth - 1);
            }

            NewObject();
            var i = from;
            while (i < to)
            {
                var c = data[i];
                if (IsWhite(c))
                {
                    i++;
                    continue;
                }
                var wasInt = false;
                switch (c)
                {
                    case (byte)'%':
                        while (i < to && data[i] != '\n' && data[i] != '\r')
                        {
                            i++;
                        }
                        continue; // a comment does not break "N G obj"
                    case (byte)'(':
                        i = SkipLiteral(data, i + 1, to);
                        key = Key.None;
                        break;
                    case (byte)'<' when i + 1 < to && data[i + 1] == '<':
                        i += 2;
                        Open();
                        key = Key.None;
                        break;
                    case (byte)'<':
                        i = Array.IndexOf(data, (byte)'>', i + 1, to - i - 1) is var end and >= 0 ? end + 1 : to;
                        key = Key.None;
                        break;
                    case (byte)'>':
                        i += i + 1 < to && data[i + 1] == '>' ? 2 : 1;
                        Close();
                        key = Key.None;
                        break;
                    case (byte)'[':
                        i++;
                        Open();
                        if (key == Key.Kids)
                        {
                            kidsDepth = depth;
                        }
                        else if (key == Key.Filter)
                        {
                            filterDepth = depth;
                        }
                        key = Key.None;
                        break;
                    case (byte)']':
                        i++;
                        Close();
                        key = Key.None;
                        break;
                    case (byte)'{' or (byte)'}' or (byte)')':
                        i++;
                        key = Key.None;
                        break;
                    case (byte)'/':
                        {
                            var start = ++i;
                            while (i < to && !IsWhite(data[i]) && !IsDelimiter(data[i]))
                            {
                                i++;
                            }
                            var name = data.AsSpan(start, i - start);
                            if (key == Key.Type && depth - objectDepth == 1)
                            {
                                if (name.SequenceEqual("Pages"u8) && current >= 0)
                                {
                                    NodeOf(current).IsPages = true;
                                }
                                else if (name.SequenceEqual("ObjStm"u8))
                                {
                                    objStm = true;
                                }
                                key = Key.None;
                            }
                            else if (key == Key.Filter || filterDepth >= 0)
                            {
                                if (firstFilter)
                                {
                                    flate = name.SequenceEqual("FlateDecode"u8) || name.SequenceEqual("Fl"u8);
                                    firstFilter = false;
                                }
                                key = Key.None;
                            }
                            else
                            {
                                key = name switch
                                {
                                    _ when name.SequenceEqual("Type"u8) => Key.Type,
                                    _ when name.SequenceEqual("Kids"u8) => Key.Kids,
                                    _ when name.SequenceEqual("Filter"u8) => Key.Filter,
                                    _ when name.SequenceEqual("N"u8) => Key.N,
                                    _ when name.SequenceEqual("First"u8) => Key.First,
                                    _ => Key.None,
                                };
                            }
                            break;
                        }
                    default:
                        {
                            var start = i;
                            while (i < to && !IsWhite(data[i]) && !IsDelimiter(data[i]))
                            {
                                i++;
                            }
                            if (i == start)
                            {
                                i++; // a stray delimiter byte
                                break;
                            }
                            var word = data.AsSpan(start, i - start);
                            if (IsInteger(word, out var value))
                            {
                                previousInt = lastInt;
                                lastInt = value;
                                intsInRow++;
                                wasInt = true;
                                if (key == Key.N)
                                {
                                    streamCount = value;
                                }
                                else if (key == Key.First)
                                {
                                    streamFirst = value;
                                }
                                if (key != Key.Kids)
                                {
                                    key = Key.None;
                                }
                            }
                            else if (word.SequenceEqual("obj"u8) && fixedObject < 0)
                            {
                                CountObject();
                                current = intsInRow >= 2 && previousInt is >= 0 and <= int.MaxValue ? (int)previousInt : -1;
                                NewObject();
                            }
                            else if (word.SequenceEqual("endobj"u8) && fixedObject < 0)
                            {
                                current = -1;
                            }
                            else if (word.SequenceEqual("R"u8))
                            {
                                if (kidsDepth >= 0 && intsInRow >= 2 && current >= 0 && previousInt is >= 0 and <= int.MaxValue)
                                {
                                    NodeOf(current).Kids.Add((int)previousInt);
                                }
                                key = Key.None;
                            }
                            else if (word.SequenceEqual("stream"u8))
                            {
                                i = Stream(data, i, to, flate, objStm, streamCount, streamFirst);
                                key = Key.None;
                            }
                            else
                            {
                                key = Key.None;
                            }
                            break;
                        }
                }
                if (!wasInt)
                {
                    intsInRow = 0;
                }
            }
        }

        private void CountObject()
        {
            if (++_objects > limits.MaxObjects)
            {
                throw new Refused("objects", $"it has more than {limits.MaxObjects} objects");
            }
        }

        private Node NodeOf(int number)
        {
            if (!_nodes.TryGetValue(number, out var node))
            {
                node = new Node();
                _nodes[number] = node;
            }
            return node;
        }

        /// <summary>Skips a stream's data (from after the <c>stream</c> keyword to past <c>endstream</c>), inflating it when it is FlateDecode; returns where lexing goes on.</summary>
        private int Stream(byte[] data, int i, int to, bool flate, bool objStm, long count, long first)
        {
            if (i < to && data[i] == '\r')
            {
                i++;
            }
            if (i < to && data[i] == '\n')
            {
                i++;
            }
            var end = data.AsSpan(i, to - i).IndexOf("endstream"u8);
            var stop = end < 0 ? to : i + end;
            if (flate && stop > i)
            {
                if (objStm)
                {
                    var inflated = Inflate(data, i, stop - i, keep: true)!;
                    ObjectStream(inflated, count, first);
                }
                else
                {
                    Inflate(data, i, stop - i, keep: false);
                }
            }
            return end < 0 ? to : stop + "endstream".Length;
        }

        /// <summary>Inflates, counting every byte against the cap; keeps the output only for an object stream. Damaged data ends the stream quietly (the reader will judge it).</summary>
        private byte[]? Inflate(byte[] data, int offset, int length, bool keep)
        {
            using var kept = keep ? new MemoryStream() : null;
            var buffer = new byte[ChunkBytes];
            try
            {
                using var z = new ZLibStream(new MemoryStream(data, offset, length, writable: false), CompressionMode.Decompress);
                int read;
                while ((read = z.Read(buffer, 0, buffer.Length)) > 0)
                {
                    _inflated += read;
                    if (_inflated > limits.MaxDecompressedBytes)
                    {
                        throw new Refused("decompressed", $"its compressed streams inflate to more than {limits.MaxDecompressedBytes / (1024 * 1024)} MB");
                    }
                    kept?.Write(buffer, 0, read);
                    if (kept is { Length: > MaxObjectStreamBytes })
                    {
                        throw new Refused("object-stream", $"an object stream inflates to more than {MaxObjectStreamBytes / (1024 * 1024)} MB");
                    }
                }
            }
            catch (InvalidDataException)
            {
                // not zlib data: nothing more comes out of it
            }
            return kept?.ToArray();
        }

        /// <summary>The objects of an object stream: <paramref name="count"/> pairs "number offset", then the objects from <paramref name="first"/>.</summary>
        private void ObjectStream(byte[] content, long count, long first)
        {
            if (count < 0 || count > limits.MaxObjects || first < 0 || first > content.Length)
            {
                throw new Refused("object-stream", "an object stream is malformed");
            }
            var header = Integers(content, (int)first, (int)count * 2);
            if (header.Count < count * 2)
            {
                throw new Refused("object-stream", "an object stream is malformed");
            }
            for (var k = 0; k < count; k++)
            {
                var number = header[2 * k];
                var start = first + header[(2 * k) + 1];
                var end = k + 1 < count ? first + header[(2 * k) + 3] : content.Length;
                if (number > int.MaxValue || start > end || end > content.Length)
                {
                    throw new Refused("object-stream", "an object stream is malformed");
                }
                CountObject();
                Lex(content, (int)start, (int)end, (int)number);
            }
        }

        /// <summary>The first <paramref name="most"/> non-negative integers of <c>content[..to)</c>.</summary>
        private static List<long> Integers(byte[] content, int to, int most)
        {
            var found = new List<long>();
            var i = 0;
            while (i < to && found.Count < most)
            {
                while (i < to && IsWhite(content[i]))
                {
                    i++;
                }
                var start = i;
                while (i < to && !IsWhite(content[i]))
                {
                    i++;
                }
                if (i > start && IsInteger(content.AsSpan(start, i - start), out var value) && value >= 0)
                {
                    found.Add(value);
                }
                else if (i > start)
                {
                    break;
                }
            }
            return found;
        }

        /// <summary>
        /// Pages as the tree expands from its root (the largest tree when several nodes are no one's
        /// kid): every node counted once per path to it, without recursion; a loop or a tree deeper
        /// than the nesting cap is refused.
        /// </summary>
        public void CountPages()
        {
            var cap = (long)limits.MaxPages + 1;
            var kidOf = new HashSet<int>(_nodes.Where(n => n.Value.IsPages).SelectMany(n => n.Value.Kids));
            var counts = new Dictionary<int, long>();
            var open = new HashSet<int>();
            var best = 0L;
            foreach (var root in _nodes.Where(n => n.Value.IsPages && !kidOf.Contains(n.Key)).Select(n => n.Key).ToList())
            {
                var stack = new Stack<(int Node, int Next)>();
                stack.Push((root, 0));
                open.Add(root);
                while (stack.Count > 0)
                {
                    var (number, next) = stack.Pop();
                    var kids = _nodes[number].Kids;
                    if (next < kids.Count)
                    {
                        stack.Push((number, next + 1));
                        var kid = kids[next];
                        if (counts.ContainsKey(kid) || !(_nodes.TryGetValue(kid, out var node) && node.IsPages))
                        {
                            continue;
                        }
                        if (!open.Add(kid))
                        {
                            throw new Refused("page-tree-loop", "its page tree loops back on itself");
                        }
                        if (stack.Count + 1 > limits.MaxNesting)
                        {
                            throw new Refused("nesting", $"its page tree is deeper than {limits.MaxNesting} levels");
                        }
                        stack.Push((kid, 0));
                        continue;
                    }
                    var sum = 0L;
                    foreach (var kid in kids)
                    {
                        sum = Math.Min(cap, sum + (counts.TryGetValue(kid, out var c) ? c : 1));
                    }
                    counts[number] = sum;
                    open.Remove(number);
                }
                best = Math.Max(best, counts[root]);
                if (best > limits.MaxPages)
                {
                    _pages = best;
                    throw new Refused("pages", $"it has more than {limits.MaxPages} pages as its page tree expands");
                }
            }
            if (_nodes.Any(n => n.Value.IsPages) && !_nodes.Any(n => n.Value.IsPages && !kidOf.Contains(n.Key)))
            {
                throw new Refused("page-tree-loop", "its page tree loops back on itself");
            }
            _pages = best;
        }
    }

    private static int SkipLiteral(byte[] data, int i, int to)
    {
        var open = 1;
        while (i < to && open > 0)
        {
            switch (data[i])
            {
                case (byte)'\\':
                    i += 2;
                    continue;
                case (byte)'(':
                    open++;
                    break;
                case (byte)')':
                    open--;
                    break;
            }
            i++;
        }
        return Math.Min(i, to);
    }

    private static bool IsWhite(byte c) => c is 0 or 9 or 10 or 12 or 13 or 32;

    private static bool IsDelimiter(byte c) => c is (byte)'(' or (byte)')' or (byte)'<' or (byte)'>' or (byte)'[' or (byte)']' or (byte)'{' or (byte)'}' or (byte)'/' or (byte)'%';

    private static bool IsInteger(ReadOnlySpan<byte> word, out long value) =>
        long.TryParse(word, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value) && word.Length <= 18;
}
