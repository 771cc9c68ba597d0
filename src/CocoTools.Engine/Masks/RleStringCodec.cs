using System;
using System.Buffers;
using System.Text;

namespace CocoTools.Engine.Masks
{
    /// <summary>
    /// pycocotools' compressed counts strings: <c>rleToString</c> (LEB128-like deltas, 5 bits per character from '0')
    /// and <c>rleFrString</c> with its C integer behaviour on malformed text, plus the check of whether a string is one
    /// the encoder could have written. <see cref="Rle"/>'s string members call these.
    /// </summary>
    internal static class RleStringCodec
    {
        /// <summary>The compressed counts string of <paramref name="counts"/> (pycocotools' <c>rleToString</c>).</summary>
        public static string ToText(ReadOnlySpan<uint> counts)
        {
            var pool = ArrayPool<byte>.Shared;
            var bytes = pool.Rent(Math.Max(1, counts.Length * 7));
            try
            {
                int length = Compress(counts, bytes);
                return Encoding.ASCII.GetString(bytes, 0, length);
            }
            finally
            {
                pool.Return(bytes);
            }
        }

        /// <summary>The compressed counts of <paramref name="counts"/> as ASCII bytes; the result is the only allocation.</summary>
        public static byte[] ToBytes(ReadOnlySpan<uint> counts)
        {
            var pool = ArrayPool<byte>.Shared;
            var bytes = pool.Rent(Math.Max(1, counts.Length * 7));
            try
            {
                int length = Compress(counts, bytes);
                var result = new byte[length];
                Buffer.BlockCopy(bytes, 0, result, 0, length);
                return result;
            }
            finally
            {
                pool.Return(bytes);
            }
        }

        /// <summary>rleToString of <paramref name="counts"/> into a buffer of at least 7 bytes per count; returns the length.</summary>
        [System.Runtime.CompilerServices.MethodImpl(HotPath.Optimize)]
        public static int Compress(ReadOnlySpan<uint> counts, byte[] output)
        {
            int p = 0;
            for (int i = 0; i < counts.Length; i++)
            {
                long x = counts[i];
                if (i > 2)
                {
                    x -= counts[i - 2];
                }

                // Most deltas fit one character.
                if (x >= -16 && x < 16)
                {
                    output[p++] = (byte)((x & 0x1f) + 48);
                    continue;
                }

                bool more = true;
                while (more)
                {
                    int c = (int)(x & 0x1f);
                    x >>= 5;
                    more = (c & 0x10) != 0 ? x != -1 : x != 0;
                    if (more)
                    {
                        c |= 0x20;
                    }

                    output[p++] = (byte)(c + 48);
                }
            }

            return p;
        }

        /// <summary>Parses a compressed counts string as pycocotools' <c>rleFrString</c> does on its UTF-8 bytes (see <see cref="Rle.FromCompressedString"/>).</summary>
        public static Rle Parse(string counts, int height, int width)
        {
            if (counts == null)
            {
                throw new ArgumentNullException(nameof(counts));
            }

            bool ascii = true;
            foreach (char ch in counts)
            {
                if (ch >= 128)
                {
                    ascii = false;
                    break;
                }
            }

            // pycocotools parses the UTF-8 bytes; for ASCII text those are the characters themselves, otherwise each
            // byte becomes one code unit (0-255) and the same signed-char arithmetic applies.
            return ascii ? ParseChars(counts.AsSpan(), height, width) : Parse(Encoding.UTF8.GetBytes(counts), height, width);
        }

        /// <summary>Why a compressed counts string is not one pycocotools' encoder could have written, or null (see <see cref="Rle.CompressedStringProblem"/>).</summary>
        public static string? Problem(string counts)
        {
            for (int i = 0; i < counts.Length; i++)
            {
                char c = counts[i];
                if (c < '0' || c > 'o')
                {
                    return $"character {i + 1} is '{(c < ' ' ? "\\u" + ((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture) : c.ToString())}', outside '0' to 'o'";
                }
            }

            if (counts.Length > 0 && ((counts[counts.Length - 1] - 48) & 0x20) != 0)
            {
                return "it ends in the middle of a number";
            }

            // Decode as pycocotools does and look for runs that wrapped below zero.
            long previous2 = 0, previous1 = 0;
            int m = 0, p = 0;
            while (p < counts.Length)
            {
                long x = 0;
                int k = 0;
                bool more = true;
                while (more)
                {
                    int c = counts[p] - 48;
                    x |= (long)(c & 0x1f) << (5 * k);
                    more = (c & 0x20) != 0;
                    p++;
                    k++;
                    if (!more && (c & 0x10) != 0)
                    {
                        x |= -1L << (5 * k);
                    }
                }

                if (m > 2)
                {
                    x += previous2;
                }

                if (x < 0)
                {
                    return $"run {m + 1} decodes to the negative length {x}";
                }

                previous2 = previous1;
                previous1 = x;
                m++;
            }

            return null;
        }

        /// <summary>Parses compressed counts given as bytes (the UTF-8 of the string), as <see cref="Parse(string, int, int)"/>.</summary>
        public static Rle Parse(ReadOnlySpan<byte> counts, int height, int width)
        {
            var chars = new char[counts.Length];
            for (int i = 0; i < chars.Length; i++)
            {
                chars[i] = (char)counts[i];
            }

            return ParseChars(chars, height, width);
        }

        [System.Runtime.CompilerServices.MethodImpl(HotPath.Optimize)]
        private static Rle ParseChars(ReadOnlySpan<char> s, int height, int width)
        {
            int length = s.IndexOf('\0');
            if (length < 0)
            {
                length = s.Length;
            }

            var cnts = new uint[length];
            int m = 0, p = 0;
            while (p < length)
            {
                long x = 0;
                int k = 0;
                bool more = true;
                while (more)
                {
                    int c = (sbyte)((p < length ? s[p] : 0) - 48);
                    x |= (long)((c & 0x1f) << (5 * k));
                    more = (c & 0x20) != 0 && p < length;
                    p++;
                    k++;
                    if ((c & 0x20) == 0 && (c & 0x10) != 0)
                    {
                        x |= (long)(-1 << (5 * k));
                    }
                }

                if (m > 2)
                {
                    x += cnts[m - 2];
                }

                cnts[m++] = unchecked((uint)x);
            }

            if (m < cnts.Length)
            {
                Array.Resize(ref cnts, m);
            }

            return new Rle(height, width, cnts);
        }
    }
}
