using System;

namespace CocoTools.Engine.Tabular
{
    /// <summary>
    /// Numbers distinct texts 0, 1, 2 ... in the order they are first seen, looked up by characters without making a
    /// string. Built to stay small in the cache: an open-addressing table of ints, one 12-byte entry per text and the
    /// characters side by side in one array, so that a lookup touches three compact arrays and no scattered objects.
    /// </summary>
    internal sealed class TextNumbering
    {
        private const int MaxKeyLength = 256;
        private readonly int _maxTexts;
        private int[] _slots = new int[1024]; // the text's number + 1; 0 for a free slot
        private Entry[] _entries = new Entry[256];
        private char[] _chars = new char[4096];
        private int _used;

        /// <summary>Numbers at most <paramref name="maxTexts"/> texts; later new texts get none.</summary>
        public TextNumbering(int maxTexts)
        {
            _maxTexts = maxTexts;
        }

        /// <summary>How many texts have a number.</summary>
        public int Count { get; private set; }

        /// <summary>The number of a text, given now when it is new; -1 when it is too long or there is no room left.</summary>
        [System.Runtime.CompilerServices.MethodImpl(HotPath.Optimize)]
        public int Number(ReadOnlySpan<char> text)
        {
            if (text.Length > MaxKeyLength)
            {
                return -1;
            }

            int hash = Hash(text);
            int mask = _slots.Length - 1;
            int slot = hash & mask;
            while (_slots[slot] != 0)
            {
                int number = _slots[slot] - 1;
                ref var entry = ref _entries[number];
                if (entry.Hash == hash && text.SequenceEqual(new ReadOnlySpan<char>(_chars, entry.Start, entry.Length)))
                {
                    return number;
                }

                slot = (slot + 1) & mask;
            }

            return Count < _maxTexts ? Add(text, hash, slot) : -1;
        }

        private int Add(ReadOnlySpan<char> text, int hash, int slot)
        {
            int number = Count++;
            if (number == _entries.Length)
            {
                Array.Resize(ref _entries, 2 * _entries.Length);
            }

            if (_used + text.Length > _chars.Length)
            {
                Array.Resize(ref _chars, Math.Max(2 * _chars.Length, _used + text.Length));
            }

            text.CopyTo(new Span<char>(_chars, _used, text.Length));
            _entries[number] = new Entry { Hash = hash, Start = _used, Length = text.Length };
            _used += text.Length;
            _slots[slot] = number + 1;
            if (2 * Count > _slots.Length)
            {
                Grow();
            }

            return number;
        }

        /// <summary>Doubles the table (kept at most half full, so probe runs stay short).</summary>
        private void Grow()
        {
            _slots = new int[2 * _slots.Length];
            int mask = _slots.Length - 1;
            for (int number = 0; number < Count; number++)
            {
                int slot = _entries[number].Hash & mask;
                while (_slots[slot] != 0)
                {
                    slot = (slot + 1) & mask;
                }

                _slots[slot] = number + 1;
            }
        }

        /// <summary>A hash of the characters, four at a time (multiply and fold), the last few one by one.</summary>
        [System.Runtime.CompilerServices.MethodImpl(HotPath.Optimize)]
        private static int Hash(ReadOnlySpan<char> text)
        {
            const ulong Multiplier = 0x9E3779B97F4A7C15;
            var bytes = System.Runtime.InteropServices.MemoryMarshal.AsBytes(text);
            ulong hash = (ulong)text.Length * Multiplier;
            while (bytes.Length >= 8)
            {
                hash = (hash ^ System.Runtime.InteropServices.MemoryMarshal.Read<ulong>(bytes)) * Multiplier;
                hash ^= hash >> 32;
                bytes = bytes.Slice(8);
            }

            foreach (byte b in bytes)
            {
                hash = (hash ^ b) * Multiplier;
            }

            hash ^= hash >> 29;
            return (int)hash & int.MaxValue;
        }

        private struct Entry
        {
            public int Hash;
            public int Start;
            public int Length;
        }
    }
}
