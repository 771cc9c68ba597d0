using System.Globalization;

namespace CocoTools.Engine.Operations.AnnotationRows
{
    /// <summary>
    /// Where a row came from, for messages: "boxes.csv row 17 (line 18)", "input row 3" or "the annotation".
    /// Formatted only when a message needs it, so millions of good rows cost nothing.
    /// </summary>
    public readonly struct RowLocation
    {
        private readonly string? _file;

        /// <summary>Row <paramref name="row"/> (1-based, header not counted) of a file, starting on line <paramref name="line"/>.</summary>
        public RowLocation(string file, long row, long line)
        {
            _file = file;
            Row = row;
            Line = line;
        }

        /// <summary>Row <paramref name="row"/> of the pipeline input (0: the one annotation given by parameters).</summary>
        public RowLocation(long row)
        {
            _file = null;
            Row = row;
            Line = 0;
        }

        /// <summary>The 1-based row number.</summary>
        public long Row { get; }

        /// <summary>The line the row starts on, for files.</summary>
        public long Line { get; }

        /// <inheritdoc />
        public override string ToString() =>
            _file != null ? $"{_file} row {Row} (line {Line})" : Row > 0 ? $"input row {Row}" : "the annotation";
    }
}
