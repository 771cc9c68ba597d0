using System;

namespace CocoTools.Engine.Tabular
{
    /// <summary>
    /// The shared strings of one CSV read: a column's previous value when it repeats (lists are often grouped by
    /// image), else a pool by text. Used only by the thread that consumes the records.
    /// </summary>
    internal sealed class CsvTextPool
    {
        private readonly TextKeyedCache<string> _pool = new TextKeyedCache<string>();
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

            var pooled = _pool.Find(span);
            if (pooled == null)
            {
                pooled = span.ToString();
                _pool.Add(pooled, pooled);
            }

            return pooled;
        }
    }
}
