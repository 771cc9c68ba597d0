using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Encodings.Web;
using System.Text.Json;
using CocoTools.Engine.Coco;
using CocoTools.Engine.Tabular;

namespace CocoTools.Engine.Operations.AnnotationRows
{
    /// <summary>
    /// The <c>attributes</c> of annotation rows: the columns no role reads, non-empty, as one JSON object. Lists repeat
    /// the same attributes (a reader, a view, a source) row after row, so rows with equal attributes get one frozen,
    /// shared member bag (an annotation copies it before it is changed). One instance per thread: it keeps a writer,
    /// a buffer and two small tables.
    /// </summary>
    internal sealed class AttributeBags
    {
        private const int Slots = 1024;
        private const int MaxSharedLength = 256;
        private readonly MemoryStream _buffer = new MemoryStream();
        private Utf8JsonWriter? _writer;

        // Shared bags by the hash of their JSON, and (for CSV records) by the hash of the cells they were written from:
        // a repeat is then found from the characters alone, without writing JSON.
        private readonly JsonMemberBag?[] _byJson = new JsonMemberBag?[Slots];
        private readonly CellsEntry?[] _byCells = new CellsEntry?[Slots];

        /// <summary>The attributes of a CSV record, or null when every unbound cell is blank.</summary>
        [System.Runtime.CompilerServices.MethodImpl(HotPath.Optimize)]
        public JsonMemberBag? For(AnnotationHeader header, CsvRecord record)
        {
            var bound = header.IsBound;
            int count = Math.Min(record.Count, bound.Length);
            uint hash = 2166136261;
            int cells = 0;
            int length = 0;
            for (int i = 0; i < count; i++)
            {
                if (bound[i] || record.IsBlank(i))
                {
                    continue;
                }

                cells++;
                hash = (hash ^ (uint)i) * 16777619;
                var text = record[i];
                length += text.Length;
                foreach (char c in text)
                {
                    hash = (hash ^ c) * 16777619;
                }
            }

            if (cells == 0)
            {
                return null;
            }

            int slot = (int)(hash % Slots);
            if (_byCells[slot] is CellsEntry entry && entry.Matches(bound, record, count))
            {
                return entry.Bag;
            }

            var writer = Begin();
            for (int i = 0; i < count; i++)
            {
                if (!bound[i] && !record.IsBlank(i))
                {
                    writer.WriteString(header.EncodedNames[i], record[i]);
                }
            }

            var bag = End();
            if (length <= MaxSharedLength)
            {
                _byCells[slot] = new CellsEntry(bound, record, count, cells, bag);
            }

            return bag;
        }

        /// <summary>The attributes of a row of values (PowerShell objects, hashtables), or null when there are none.</summary>
        public JsonMemberBag? For(AnnotationHeader header, IReadOnlyList<object?> values)
        {
            var bound = header.IsBound;
            int count = Math.Min(values.Count, bound.Length);
            bool any = false;
            for (int i = 0; i < count && !any; i++)
            {
                any = !bound[i] && !CellValues.IsEmpty(values[i]);
            }

            if (!any)
            {
                return null;
            }

            var writer = Begin();
            for (int i = 0; i < count; i++)
            {
                if (bound[i] || CellValues.IsEmpty(values[i]))
                {
                    continue;
                }

                if (values[i] is string text)
                {
                    writer.WriteString(header.EncodedNames[i], text);
                }
                else
                {
                    writer.WritePropertyName(header.EncodedNames[i]);
                    writer.WriteRawValue(JsonValueConversion.ToJson(values[i]), skipInputValidation: true);
                }
            }

            return End();
        }

        private Utf8JsonWriter Begin()
        {
            // One buffer and writer for every row: only the finished bytes are kept.
            _buffer.SetLength(0);
            if (_writer == null)
            {
                _writer = new Utf8JsonWriter(_buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
            }
            else
            {
                _writer.Reset(_buffer);
            }

            _writer.WriteStartObject();
            return _writer;
        }

        /// <summary>Finishes the object: the shared bag of equal JSON when there is one, else a new one.</summary>
        private JsonMemberBag End()
        {
            _writer!.WriteEndObject();
            _writer.Flush();
            var bytes = new ReadOnlySpan<byte>(_buffer.GetBuffer(), 0, (int)_buffer.Length);
            uint hash = 2166136261;
            foreach (byte b in bytes)
            {
                hash = (hash ^ b) * 16777619;
            }

            int slot = (int)(hash % Slots);
            if (_byJson[slot] is JsonMemberBag shared && shared.TryGetRaw("attributes", out var raw) && bytes.SequenceEqual(raw))
            {
                return shared;
            }

            var bag = JsonMemberBag.SharedWith("attributes", bytes.ToArray());
            if (bytes.Length <= MaxSharedLength)
            {
                _byJson[slot] = bag;
            }

            return bag;
        }

        /// <summary>The non-blank unbound cells (columns and texts) a shared bag was written from.</summary>
        private sealed class CellsEntry
        {
            private readonly int[] _columns;
            private readonly string[] _texts;

            public CellsEntry(bool[] bound, CsvRecord record, int count, int cells, JsonMemberBag bag)
            {
                _columns = new int[cells];
                _texts = new string[cells];
                for (int i = 0, k = 0; i < count; i++)
                {
                    if (!bound[i] && !record.IsBlank(i))
                    {
                        _columns[k] = i;
                        _texts[k++] = record[i].ToString();
                    }
                }

                Bag = bag;
            }

            public JsonMemberBag Bag { get; }

            [System.Runtime.CompilerServices.MethodImpl(HotPath.Optimize)]
            public bool Matches(bool[] bound, CsvRecord record, int count)
            {
                int k = 0;
                for (int i = 0; i < count; i++)
                {
                    if (bound[i] || record.IsBlank(i))
                    {
                        continue;
                    }

                    if (k == _columns.Length || _columns[k] != i || !record[i].SequenceEqual(_texts[k].AsSpan()))
                    {
                        return false;
                    }

                    k++;
                }

                return k == _columns.Length;
            }
        }
    }
}
