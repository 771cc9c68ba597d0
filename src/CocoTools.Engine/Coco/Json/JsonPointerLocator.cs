using System;
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
    }
}
