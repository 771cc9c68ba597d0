using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;

namespace CocoTools.Engine.Coco.Json
{
    /// <summary>
    /// Finds where a JSON pointer's value starts in a file by streaming to it, skipping every subtree that
    /// cannot contain it. Used only on the error path, so a parse need not remember where every record was.
    /// </summary>
    internal static class JsonPointerLocator
    {
        /// <summary>The byte offset of the pointer's value, or null when the file or the pointer cannot be followed.</summary>
        public static long? Find(string? path, string pointer)
        {
            if (path == null || !File.Exists(path))
            {
                return null;
            }

            var segments = pointer.Length == 0 ? Array.Empty<string>() : pointer.Substring(1).Split('/');
            for (int i = 0; i < segments.Length; i++)
            {
                segments[i] = segments[i].Replace("~1", "/").Replace("~0", "~");
            }

            try
            {
                using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.SequentialScan);
                using var buffer = new JsonReadBuffer(stream, new JsonReaderOptions { MaxDepth = 64 });
                var reader = buffer.CreateReader();
                return buffer.Read(ref reader) ? Descend(ref reader, buffer, segments, 0) : null;
            }
            catch (Exception e) when (e is JsonException || e is IOException || e is CocoToolsException || e is UnauthorizedAccessException)
            {
                return null;
            }
        }

        private static long? Descend(ref Utf8JsonReader reader, JsonReadBuffer buffer, string[] segments, int level)
        {
            if (level == segments.Length)
            {
                return buffer.TokenOffset(ref reader);
            }

            if (reader.TokenType == JsonTokenType.StartObject)
            {
                while (buffer.Read(ref reader) && reader.TokenType == JsonTokenType.PropertyName)
                {
                    bool match = reader.ValueTextEquals(segments[level]);
                    buffer.Read(ref reader);
                    if (match)
                    {
                        return Descend(ref reader, buffer, segments, level + 1);
                    }

                    buffer.Skip(ref reader);
                }
            }
            else if (reader.TokenType == JsonTokenType.StartArray && int.TryParse(segments[level], out int target))
            {
                int index = 0;
                while (buffer.Read(ref reader) && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (index == target)
                    {
                        return Descend(ref reader, buffer, segments, level + 1);
                    }

                    buffer.Skip(ref reader);
                    index++;
                }
            }

            return null;
        }

        /// <summary>
        /// The byte offsets of many pointers' values in one pass: only the subtrees on the way to a pointer are
        /// entered, the rest skipped. Pointers that cannot be followed are absent from the result.
        /// </summary>
        public static Dictionary<string, long> FindMany(string path, IEnumerable<string> pointers)
        {
            var result = new Dictionary<string, long>(StringComparer.Ordinal);
            var root = new PointerTrie();
            foreach (var pointer in pointers)
            {
                var node = root;
                if (pointer.Length > 0)
                {
                    foreach (var segment in pointer.Substring(1).Split('/'))
                    {
                        string name = segment.Replace("~1", "/").Replace("~0", "~");
                        if (!node.Children.TryGetValue(name, out var child))
                        {
                            child = new PointerTrie();
                            node.Children.Add(name, child);
                        }

                        node = child;
                    }
                }

                node.Pointer = pointer;
            }

            try
            {
                using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 16, FileOptions.SequentialScan);
                using var buffer = new JsonReadBuffer(stream, new JsonReaderOptions { MaxDepth = 64 });
                var reader = buffer.CreateReader();
                if (buffer.Read(ref reader))
                {
                    Walk(ref reader, buffer, root, result);
                }
            }
            catch (Exception e) when (e is JsonException || e is IOException || e is CocoToolsException || e is UnauthorizedAccessException)
            {
                // What was found before the file stopped making sense is still good.
            }

            return result;
        }

        /// <summary>Records the pointers that end at this value and walks into the children wanted; always consumes the value.</summary>
        private static void Walk(ref Utf8JsonReader reader, JsonReadBuffer buffer, PointerTrie node, Dictionary<string, long> result)
        {
            if (node.Pointer != null)
            {
                result[node.Pointer] = buffer.TokenOffset(ref reader);
            }

            if (node.Children.Count == 0)
            {
                buffer.Skip(ref reader);
                return;
            }

            if (reader.TokenType == JsonTokenType.StartObject)
            {
                while (buffer.Read(ref reader) && reader.TokenType == JsonTokenType.PropertyName)
                {
                    string name = reader.GetString() ?? string.Empty;
                    buffer.Read(ref reader);
                    if (node.Children.TryGetValue(name, out var child))
                    {
                        Walk(ref reader, buffer, child, result);
                    }
                    else
                    {
                        buffer.Skip(ref reader);
                    }
                }
            }
            else if (reader.TokenType == JsonTokenType.StartArray)
            {
                int index = 0;
                while (buffer.Read(ref reader) && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (node.Children.TryGetValue(index.ToString(System.Globalization.CultureInfo.InvariantCulture), out var child))
                    {
                        Walk(ref reader, buffer, child, result);
                    }
                    else
                    {
                        buffer.Skip(ref reader);
                    }

                    index++;
                }
            }
        }

        private sealed class PointerTrie
        {
            public Dictionary<string, PointerTrie> Children { get; } = new Dictionary<string, PointerTrie>(StringComparer.Ordinal);

            public string? Pointer { get; set; }
        }
    }
}
