using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.Specialized;
using System.Globalization;
using System.IO;
using System.Text;
using System.Text.Json;

namespace CocoTools.Engine.Coco
{
    /// <summary>
    /// The JSON members of an entity that CocoTools does not model, in file order, kept as their exact
    /// UTF-8 JSON text so they are written back verbatim. Reading a member converts it to plain .NET
    /// values (string, long, double, bool, null, ordered dictionaries and object arrays).
    /// </summary>
    public sealed class JsonMemberBag : IEnumerable<KeyValuePair<string, object?>>
    {
        // Most bags hold one member (an annotation's attributes, an image's dicom object) and millions of them are
        // kept, so the first member sits in the bag itself and only further ones in an array grown by hand.
        private string? _firstName;
        private byte[]? _firstValue;
        private KeyValuePair<string, byte[]>[] _more = Array.Empty<KeyValuePair<string, byte[]>>();
        private int _count;

        /// <summary>Number of members.</summary>
        public int Count => _count;

        /// <summary>Member names in order.</summary>
        public IEnumerable<string> Names
        {
            get
            {
                for (int i = 0; i < _count; i++)
                {
                    yield return At(i).Key;
                }
            }
        }

        /// <summary>The member's value as plain .NET data, or null when absent.</summary>
        public object? this[string name]
        {
            get => TryGetRaw(name, out var raw) ? JsonValueConversion.ToObject(raw) : null;
            set => Set(name, value);
        }

        /// <summary>True when a member of that name is present.</summary>
        public bool Contains(string name) => IndexOf(name) >= 0;

        /// <summary>The exact JSON text of a member, or null when absent.</summary>
        public string? GetRawJson(string name) => TryGetRaw(name, out var raw) ? Encoding.UTF8.GetString(raw) : null;

        /// <summary>Gets a member that is a JSON string.</summary>
        public bool TryGetString(string name, out string value)
        {
            value = string.Empty;
            if (!TryGetRaw(name, out var raw))
            {
                return false;
            }

            var reader = new Utf8JsonReader(raw);
            if (reader.Read() && reader.TokenType == JsonTokenType.String)
            {
                value = reader.GetString() ?? string.Empty;
                return true;
            }

            return false;
        }

        /// <summary>The raw UTF-8 JSON bytes of a member (shared with other bags: read them, never change them).</summary>
        public bool TryGetRaw(string name, out byte[] raw)
        {
            int i = IndexOf(name);
            raw = i >= 0 ? At(i).Value : Array.Empty<byte>();
            return i >= 0;
        }

        /// <summary>Sets a member from plain .NET data (see <see cref="JsonValueConversion.ToJson"/>), replacing one of the same name in place.</summary>
        public void Set(string name, object? value) => SetRaw(name, JsonValueConversion.ToJson(value));

        /// <summary>Sets a member from JSON text, which must be one complete JSON value.</summary>
        public void SetRawJson(string name, string json)
        {
            var bytes = Encoding.UTF8.GetBytes(json);
            var reader = new Utf8JsonReader(bytes);
            try
            {
                if (!reader.Read() || !reader.TrySkip() || reader.Read())
                {
                    throw new JsonException("not a single JSON value");
                }
            }
            catch (JsonException e)
            {
                throw new CocoToolsException("InvalidJsonValue", FailureKind.InvalidArgument, $"The value for '{name}' is not one JSON value: {e.Message}", e);
            }

            SetRaw(name, bytes);
        }

        /// <summary>
        /// True for a frozen bag that several entities hold (rows of a list with equal attributes): it never changes,
        /// and an entity that hands its bag out for change (<see cref="CocoEntity.Extra"/>) takes a copy first.
        /// </summary>
        internal bool IsShared { get; private set; }

        /// <summary>A frozen bag with the one member <paramref name="name"/>, for entities to share.</summary>
        internal static JsonMemberBag SharedWith(string name, byte[] rawJson) =>
            new JsonMemberBag { _firstName = name, _firstValue = rawJson, _count = 1, IsShared = true };

        /// <summary>Sets a member from raw UTF-8 JSON bytes that the caller has already validated.</summary>
        internal void SetRaw(string name, byte[] rawJson)
        {
            int i = IndexOf(name);
            if (i >= 0)
            {
                SetAt(i, new KeyValuePair<string, byte[]>(name, rawJson));
            }
            else
            {
                AddRaw(name, rawJson);
            }
        }

        /// <summary>Appends a member read from a file; a repeated name keeps both, as the file had them.</summary>
        internal void AddRaw(string name, byte[] rawJson)
        {
            ThrowIfShared();
            if (_count > 0 && _count - 1 == _more.Length)
            {
                Array.Resize(ref _more, _more.Length == 0 ? 1 : _more.Length * 2);
            }

            SetAt(_count++, new KeyValuePair<string, byte[]>(name, rawJson));
        }

        /// <summary>Removes a member; true when it was present.</summary>
        public bool Remove(string name)
        {
            ThrowIfShared();
            int i = IndexOf(name);
            if (i < 0)
            {
                return false;
            }

            for (int j = i; j < _count - 1; j++)
            {
                SetAt(j, At(j + 1));
            }

            SetAt(--_count, default);
            return true;
        }

        /// <summary>Writes every member to a JSON object being written, optionally leaving some out.</summary>
        internal void WriteTo(Utf8JsonWriter writer, Func<string, bool>? skip = null)
        {
            for (int i = 0; i < _count; i++)
            {
                var m = At(i);
                if (skip != null && skip(m.Key))
                {
                    continue;
                }

                writer.WritePropertyName(m.Key);
                writer.WriteRawValue(m.Value, skipInputValidation: true);
            }
        }

        /// <summary>A copy that shares no state with this bag (and can change, also when this bag is shared).</summary>
        public JsonMemberBag Clone()
        {
            return new JsonMemberBag { _firstName = _firstName, _firstValue = _firstValue, _more = (KeyValuePair<string, byte[]>[])_more.Clone(), _count = _count };
        }

        /// <inheritdoc />
        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
        {
            for (int i = 0; i < _count; i++)
            {
                var m = At(i);
                yield return new KeyValuePair<string, object?>(m.Key, JsonValueConversion.ToObject(m.Value));
            }
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        /// <summary>The member names, for display.</summary>
        public override string ToString() => "{" + string.Join(", ", Names) + "}";

        private KeyValuePair<string, byte[]> At(int i) => i == 0 ? new KeyValuePair<string, byte[]>(_firstName!, _firstValue!) : _more[i - 1];

        private void ThrowIfShared()
        {
            if (IsShared)
            {
                throw new InvalidOperationException("A shared member bag cannot change; the entity's Extra property gives a copy of its own.");
            }
        }

        private void SetAt(int i, KeyValuePair<string, byte[]> member)
        {
            ThrowIfShared();
            if (i == 0)
            {
                _firstName = member.Key;
                _firstValue = member.Value;
            }
            else
            {
                _more[i - 1] = member;
            }
        }

        private int IndexOf(string name)
        {
            for (int i = 0; i < _count; i++)
            {
                if (string.Equals(i == 0 ? _firstName : _more[i - 1].Key, name, StringComparison.Ordinal))
                {
                    return i;
                }
            }

            return -1;
        }
    }

    /// <summary>Converts between raw JSON and plain .NET values for <see cref="JsonMemberBag"/>.</summary>
    public static class JsonValueConversion
    {
        /// <summary>Parses one JSON value into string, long, double, bool, null, <see cref="OrderedDictionary"/> or object[].</summary>
        public static object? ToObject(byte[] rawJson)
        {
            var reader = new Utf8JsonReader(rawJson, new JsonReaderOptions { MaxDepth = 256 });
            reader.Read();
            return ReadValue(ref reader);
        }

        private static object? ReadValue(ref Utf8JsonReader reader)
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.String:
                    return reader.GetString();
                case JsonTokenType.Number:
                    // Not a conditional expression: its common type would turn every long into a double.
                    if (reader.TryGetInt64(out long l))
                    {
                        return l;
                    }

                    return reader.GetDouble();
                case JsonTokenType.True:
                    return true;
                case JsonTokenType.False:
                    return false;
                case JsonTokenType.StartObject:
                    var dict = new OrderedDictionary(StringComparer.Ordinal);
                    while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                    {
                        string key = reader.GetString()!;
                        reader.Read();
                        dict[key] = ReadValue(ref reader);
                    }

                    return dict;
                case JsonTokenType.StartArray:
                    var list = new List<object?>();
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    {
                        list.Add(ReadValue(ref reader));
                    }

                    return list.ToArray();
                default:
                    return null;
            }
        }

        /// <summary>
        /// Serializes plain .NET data to UTF-8 JSON: null, strings, booleans, numbers, dictionaries
        /// (keys as strings, in their order), other enumerables as arrays; anything else as its invariant text.
        /// </summary>
        public static byte[] ToJson(object? value)
        {
            using var stream = new MemoryStream();
            using (var writer = new Utf8JsonWriter(stream))
            {
                Write(writer, value, 0);
            }

            return stream.ToArray();
        }

        private static void Write(Utf8JsonWriter writer, object? value, int depth)
        {
            if (depth > 64)
            {
                throw new CocoToolsException("ValueTooDeep", FailureKind.LimitsExceeded, "The value nests deeper than 64 levels.");
            }

            switch (value)
            {
                case null:
                    writer.WriteNullValue();
                    break;
                case string s:
                    writer.WriteStringValue(s);
                    break;
                case bool b:
                    writer.WriteBooleanValue(b);
                    break;
                case byte or sbyte or short or ushort or int or uint or long:
                    writer.WriteNumberValue(Convert.ToInt64(value, CultureInfo.InvariantCulture));
                    break;
                case ulong u:
                    writer.WriteNumberValue(u);
                    break;
                case float or double or decimal:
                    double d = Convert.ToDouble(value, CultureInfo.InvariantCulture);
                    if (!NumberText.IsFinite(d))
                    {
                        throw new CocoToolsException("NonFiniteNumber", FailureKind.InvalidArgument, "JSON cannot hold NaN or infinite numbers.");
                    }

                    writer.WriteNumberValue(d);
                    break;
                case IDictionary dict:
                    writer.WriteStartObject();
                    foreach (DictionaryEntry e in dict)
                    {
                        writer.WritePropertyName(Convert.ToString(e.Key, CultureInfo.InvariantCulture) ?? string.Empty);
                        Write(writer, e.Value, depth + 1);
                    }

                    writer.WriteEndObject();
                    break;
                case IEnumerable seq:
                    writer.WriteStartArray();
                    foreach (var item in seq)
                    {
                        Write(writer, item, depth + 1);
                    }

                    writer.WriteEndArray();
                    break;
                case IFormattable f:
                    writer.WriteStringValue(f.ToString(null, CultureInfo.InvariantCulture));
                    break;
                default:
                    writer.WriteStringValue(value.ToString());
                    break;
            }
        }
    }
}
