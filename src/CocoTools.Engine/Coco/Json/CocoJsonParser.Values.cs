using System;
using System.Collections.Generic;
using System.Text.Json;

namespace CocoTools.Engine.Coco.Json
{
    /// <summary>Typed value readers: each one reports a wrong type at its exact JSON pointer.</summary>
    internal sealed partial class CocoJsonParser
    {
        // Integers up to 2^53 survive a trip through double, so integral doubles (1.0) are accepted as ids.
        private const double MaxExactInteger = NumberText.MaxExactInteger;

        /// <summary>On a property name: reads its value as an integer.</summary>
        private long ReadInteger(ref Utf8JsonReader reader, string member, string expected)
        {
            _pointer.PushName(member);
            Next(ref reader);
            long value = ToInteger(ref reader, expected);
            _pointer.Pop();
            return value;
        }

        /// <summary>On a value token: the integer it holds.</summary>
        private long ToInteger(ref Utf8JsonReader reader, string expected)
        {
            if (reader.TokenType == JsonTokenType.Number)
            {
                if (reader.TryGetInt64(out long l))
                {
                    return l;
                }

                if (reader.TryGetDouble(out double d) && Math.Floor(d) == d && Math.Abs(d) <= MaxExactInteger)
                {
                    return (long)d;
                }
            }

            throw TypeError(ref reader, expected);
        }

        private int? ReadOptionalInt32(ref Utf8JsonReader reader, string member)
        {
            _pointer.PushName(member);
            Next(ref reader);
            int? value = null;
            if (reader.TokenType != JsonTokenType.Null)
            {
                long l = ToInteger(ref reader, "an integer");
                if (l < int.MinValue || l > int.MaxValue)
                {
                    throw Fail(ref reader, "JsonType", $"{member} is out of range: {l}.");
                }

                value = (int)l;
            }

            _pointer.Pop();
            return value;
        }

        private double? ReadOptionalDouble(ref Utf8JsonReader reader, string member)
        {
            _pointer.PushName(member);
            Next(ref reader);
            double? value = reader.TokenType == JsonTokenType.Null ? null : ToDouble(ref reader);
            _pointer.Pop();
            return value;
        }

        private double ToDouble(ref Utf8JsonReader reader)
        {
            if (reader.TokenType != JsonTokenType.Number)
            {
                throw TypeError(ref reader, "a number");
            }

            return GetDouble(ref reader, -1);
        }

        /// <summary>The double of the current number token; <paramref name="index"/> names the array element in an error.</summary>
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
        private double GetDouble(ref Utf8JsonReader reader, int index)
        {
            if (!reader.HasValueSequence && DecimalParser.TryParseFast(reader.ValueSpan, out double fast))
            {
                return fast;
            }

            if (!reader.TryGetDouble(out double d) || !NumberText.IsFinite(d))
            {
                if (index >= 0)
                {
                    _pointer.SetIndex(index);
                }

                throw Fail(ref reader, "JsonType", "the number is out of the range of a double.");
            }

            return d;
        }

        private string? ReadString(ref Utf8JsonReader reader, string member)
        {
            _pointer.PushName(member);
            Next(ref reader);
            string? value = reader.TokenType switch
            {
                JsonTokenType.String => reader.GetString(),
                JsonTokenType.Null => null,
                _ => throw TypeError(ref reader, "a string"),
            };
            _pointer.Pop();
            return value;
        }

        /// <summary>
        /// A descriptive member (urls, dates, supercategory) that CocoTools never computes with: typed when it is
        /// a string, otherwise kept verbatim in Extra so that odd files still load and round-trip.
        /// </summary>
        private string? ReadSoftString(ref Utf8JsonReader reader, CocoEntity owner)
        {
            // Fast path: peek at the value on a copy of the reader; only odd types pay for the raw copy.
            var probe = reader;
            if (probe.Read() && probe.TokenType == JsonTokenType.String)
            {
                reader = probe;
                return reader.GetString();
            }

            string name = reader.GetString()!;
            var raw = _buffer.ReadRawValue(ref reader);
            var r = new Utf8JsonReader(raw);
            r.Read();
            if (r.TokenType == JsonTokenType.String)
            {
                return r.GetString();
            }

            owner.Extra.AddRaw(name, raw);
            return null;
        }

        private long? ReadSoftInteger(ref Utf8JsonReader reader, CocoEntity owner)
        {
            var probe = reader;
            if (probe.Read() && probe.TokenType == JsonTokenType.Number && probe.TryGetInt64(out long number))
            {
                reader = probe;
                return number;
            }

            string name = reader.GetString()!;
            var raw = _buffer.ReadRawValue(ref reader);
            var r = new Utf8JsonReader(raw);
            r.Read();
            if (r.TokenType == JsonTokenType.Number && r.TryGetInt64(out long value))
            {
                return value;
            }

            owner.Extra.AddRaw(name, raw);
            return null;
        }

        private void AddExtra(ref Utf8JsonReader reader, JsonMemberBag bag)
        {
            string name = reader.GetString()!;
            bag.AddRaw(name, _buffer.ReadRawValue(ref reader));
        }

        private string[]? ReadStringArray(ref Utf8JsonReader reader, string member)
        {
            _pointer.PushName(member);
            Next(ref reader);
            if (reader.TokenType == JsonTokenType.Null)
            {
                _pointer.Pop();
                return null;
            }

            if (reader.TokenType != JsonTokenType.StartArray)
            {
                throw TypeError(ref reader, "an array of strings");
            }

            var list = new List<string>();
            _pointer.PushIndex(0);
            while (Next(ref reader) && reader.TokenType != JsonTokenType.EndArray)
            {
                _pointer.SetIndex(list.Count);
                if (reader.TokenType != JsonTokenType.String)
                {
                    throw TypeError(ref reader, "a string");
                }

                list.Add(reader.GetString()!);
            }

            _pointer.Pop();
            _pointer.Pop();
            return list.ToArray();
        }

        private int[]? ReadIntArray(ref Utf8JsonReader reader, string member)
        {
            _pointer.PushName(member);
            Next(ref reader);
            var result = reader.TokenType == JsonTokenType.Null ? null : ReadIntArrayHere(ref reader);
            _pointer.Pop();
            return result;
        }

        private int[] ReadIntArrayHere(ref Utf8JsonReader reader)
        {
            if (reader.TokenType != JsonTokenType.StartArray)
            {
                throw TypeError(ref reader, "an array of integers");
            }

            var list = new List<int>(4);
            _pointer.PushIndex(0);
            while (Next(ref reader) && reader.TokenType != JsonTokenType.EndArray)
            {
                _pointer.SetIndex(list.Count);
                long l = ToInteger(ref reader, "an integer");
                if (l < int.MinValue || l > int.MaxValue)
                {
                    throw Fail(ref reader, "JsonType", $"the integer {l} is out of range.");
                }

                list.Add((int)l);
            }

            _pointer.Pop();
            return list.ToArray();
        }

        private int[][]? ReadSkeleton(ref Utf8JsonReader reader)
        {
            _pointer.PushName("skeleton");
            Next(ref reader);
            if (reader.TokenType == JsonTokenType.Null)
            {
                _pointer.Pop();
                return null;
            }

            if (reader.TokenType != JsonTokenType.StartArray)
            {
                throw TypeError(ref reader, "an array of [from, to] pairs");
            }

            var edges = new List<int[]>();
            _pointer.PushIndex(0);
            while (Next(ref reader) && reader.TokenType != JsonTokenType.EndArray)
            {
                _pointer.SetIndex(edges.Count);
                edges.Add(ReadIntArrayHere(ref reader));
            }

            _pointer.Pop();
            _pointer.Pop();
            return edges.ToArray();
        }

        private double[]? ReadNumberArray(ref Utf8JsonReader reader, string member)
        {
            _pointer.PushName(member);
            Next(ref reader);
            double[]? result = null;
            if (reader.TokenType != JsonTokenType.Null)
            {
                if (reader.TokenType != JsonTokenType.StartArray)
                {
                    throw TypeError(ref reader, "an array of numbers");
                }

                result = ReadNumbersFrom(ref reader, alreadyOnFirst: false);
            }

            _pointer.Pop();
            return result;
        }

        /// <summary>
        /// Reads numbers up to the closing bracket: from the array's start token, or (alreadyOnFirst) from
        /// its first number. Uses one scratch buffer so each array costs a single exact-size allocation.
        /// </summary>
        [System.Runtime.CompilerServices.MethodImpl(HotPath.Optimize)]
        private double[] ReadNumbersFrom(ref Utf8JsonReader reader, bool alreadyOnFirst)
        {
            int count = 0;
            _pointer.PushIndex(0);
            if (!alreadyOnFirst)
            {
                Next(ref reader);
            }

            while (reader.TokenType != JsonTokenType.EndArray)
            {
                if (reader.TokenType != JsonTokenType.Number)
                {
                    _pointer.SetIndex(count);
                    throw TypeError(ref reader, "a number");
                }

                if (count == _numbers.Length)
                {
                    Array.Resize(ref _numbers, count * 2);
                }

                _numbers[count] = GetDouble(ref reader, count);
                count++;
                Next(ref reader);
            }

            _pointer.Pop();
            var result = new double[count];
            Array.Copy(_numbers, result, count);
            return result;
        }

        [System.Runtime.CompilerServices.MethodImpl(HotPath.Optimize)]
        private CocoBox? ReadBox(ref Utf8JsonReader reader)
        {
            _pointer.PushName("bbox");
            Next(ref reader);
            CocoBox? box = null;
            if (reader.TokenType != JsonTokenType.Null)
            {
                if (reader.TokenType != JsonTokenType.StartArray)
                {
                    throw TypeError(ref reader, "a bbox [x, y, width, height]");
                }

                long start = _buffer.TokenOffset(ref reader);
                int count = 0;
                double x = 0, y = 0, w = 0, h = 0;
                _pointer.PushIndex(0);
                while (Next(ref reader) && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (reader.TokenType != JsonTokenType.Number)
                    {
                        _pointer.SetIndex(count);
                        throw TypeError(ref reader, "a number");
                    }

                    double v = GetDouble(ref reader, count);
                    switch (count++)
                    {
                        case 0: x = v; break;
                        case 1: y = v; break;
                        case 2: w = v; break;
                        case 3: h = v; break;
                    }
                }

                _pointer.Pop();
                if (count != 4)
                {
                    throw FailAt("JsonType", $"a bbox needs 4 numbers [x, y, width, height], found {count}.", _pointer.ToString(), start);
                }

                box = new CocoBox(x, y, w, h);
            }

            _pointer.Pop();
            return box;
        }
    }
}
