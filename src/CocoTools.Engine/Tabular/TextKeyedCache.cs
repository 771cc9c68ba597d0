using System;

namespace CocoTools.Engine.Tabular
{
    /// <summary>
    /// A fixed-size cache from text, looked up by the characters of a CSV field without making a string: to the shared
    /// string of that text (a record's string pool) or to what the text resolved to (an image). Lists repeat the same
    /// few thousand values over and over; this makes each repeat one hash and one comparison. When half full, it stops
    /// remembering; lookups still work.
    /// </summary>
    internal sealed class TextKeyedCache<T>
        where T : class
    {
        private const int MaxKeyLength = 128;
        private readonly string?[] _keys;
        private readonly T?[] _values;
        private readonly int _mask;
        private int _count;

        public TextKeyedCache(int capacityPowerOfTwo = 1 << 16)
        {
            _keys = new string?[capacityPowerOfTwo];
            _values = new T?[capacityPowerOfTwo];
            _mask = capacityPowerOfTwo - 1;
        }

        [System.Runtime.CompilerServices.MethodImpl(HotPath.Optimize)]
        public T? Find(ReadOnlySpan<char> text)
        {
            if (text.Length > MaxKeyLength)
            {
                return null;
            }

            for (int slot = Hash(text) & _mask, probe = 0; probe < 16; probe++, slot = (slot + 1) & _mask)
            {
                var key = _keys[slot];
                if (key == null)
                {
                    return null;
                }

                if (text.SequenceEqual(key.AsSpan()))
                {
                    return _values[slot];
                }
            }

            return null;
        }

        public void Add(ReadOnlySpan<char> text, T value)
        {
            if (HasRoomFor(text))
            {
                Add(text.ToString(), value);
            }
        }

        /// <summary>Remembers <paramref name="value"/> under <paramref name="key"/> (no copy of the key is made).</summary>
        public void Add(string key, T value)
        {
            if (!HasRoomFor(key.AsSpan()))
            {
                return;
            }

            for (int slot = Hash(key.AsSpan()) & _mask, probe = 0; probe < 16; probe++, slot = (slot + 1) & _mask)
            {
                if (_keys[slot] == null)
                {
                    _keys[slot] = key;
                    _values[slot] = value;
                    _count++;
                    return;
                }
            }
        }

        private bool HasRoomFor(ReadOnlySpan<char> text) => text.Length <= MaxKeyLength && _count < _keys.Length / 2;

        private static int Hash(ReadOnlySpan<char> text)
        {
            uint hash = 2166136261;
            foreach (char c in text)
            {
                hash = (hash ^ c) * 16777619;
            }

            return (int)(hash ^ (hash >> 15));
        }
    }
}
