using System;

namespace CocoTools.Engine.Tabular
{
    /// <summary>Values by the numbers of <see cref="TextNumbering"/>: an array that grows as needed; -1 has none.</summary>
    internal sealed class NumberedValues<T>
        where T : class
    {
        private T?[] _values = new T?[256];

        /// <summary>The value of a number, or null.</summary>
        public T? this[int number] => number >= 0 && number < _values.Length ? _values[number] : null;

        /// <summary>Sets the value of a number (nothing for -1).</summary>
        public void Set(int number, T value)
        {
            if (number < 0)
            {
                return;
            }

            if (number >= _values.Length)
            {
                Array.Resize(ref _values, Math.Max(number + 1, 2 * _values.Length));
            }

            _values[number] = value;
        }
    }
}
