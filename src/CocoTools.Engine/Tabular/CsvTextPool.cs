using System;

namespace CocoTools.Engine.Tabular
{
    /// <summary>
    /// The shared strings of one CSV read: a column's previous value when it repeats (lists are often grouped by
    /// image), else a pool by text (the first 65,536 distinct texts). Used only by the thread that consumes the records.
    /// </summary>
    internal sealed class CsvTextPool
    {
        private const int MaxPooled = 1 << 16;
        private readonly TextNumbering _numbers = new TextNumbering(MaxPooled);
        private readonly NumberedValues<string> _strings = new NumberedValues<string>();
        private readonly string?[] _last = new string?[64];

        [System.Runtime.CompilerServices.MethodImpl(HotPath.Optimize)]
        public string Shared(int column, ReadOnlySpan<char> span)
        {
            if (column < _last.Length && _last[column] is string last && span.SequenceEqual(last.AsSpan()))
            {
                return last;
            }

            string value = Pool(span);
            if (column < _last.Length)
            {
                _last[column] = value;
            }

            return value;
        }

        private string Pool(ReadOnlySpan<char> span)
        {
            if (span.Length == 0)
            {
                return string.Empty;
            }

            int number = _numbers.Number(span);
            if (number < 0)
            {
                return span.ToString();
            }

            var pooled = _strings[number];
            if (pooled == null)
            {
                pooled = span.ToString();
                _strings.Set(number, pooled);
            }

            return pooled;
        }
    }
}
