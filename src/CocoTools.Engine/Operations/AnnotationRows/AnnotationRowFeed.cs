using System;
using System.Collections.Generic;
using System.IO;
using CocoTools.Engine.Coco;
using CocoTools.Engine.Tabular;

namespace CocoTools.Engine.Operations.AnnotationRows
{
    /// <summary>What the caller of an <see cref="AnnotationRowFeed"/> hears, on its own thread, as rows are bound.</summary>
    public interface IAnnotationRowListener
    {
        /// <summary>Every 256 rows: rows so far, the fraction of the file read (0 for pipeline rows), the row.</summary>
        void Progress(long rows, double fraction, RowLocation where);

        /// <summary>A row became this annotation.</summary>
        void Added(CocoAnnotation annotation);

        /// <summary>A row was refused (the error names it); the feed goes on.</summary>
        void Refused(CocoToolsException error);

        /// <summary>A row was added, but with something the user should hear of (text that was not UTF-8).</summary>
        void Warned(CocoToolsException warning);
    }

    /// <summary>
    /// Feeds rows to an <see cref="AnnotationRowBinder"/>: pipeline rows one at a time, or a whole CSV file streamed
    /// (read, parsed and prepared on a second thread ahead of the binding when <see cref="ThrottleLimit"/> allows, with the garbage collector kept out while
    /// the annotations pile up). A refused row goes to the listener and the feed goes on.
    /// </summary>
    public sealed class AnnotationRowFeed
    {
        private readonly AnnotationRowBinder _binder;
        private readonly IAnnotationRowListener _listener;
        private readonly CocoDataset _dataset;

        /// <summary>Feeds <paramref name="binder"/>, which adds to <paramref name="dataset"/>.</summary>
        public AnnotationRowFeed(CocoDataset dataset, AnnotationRowBinder binder, IAnnotationRowListener listener)
        {
            _dataset = dataset;
            _binder = binder;
            _listener = listener;
        }

        /// <summary>Rows read so far.</summary>
        public long Rows { get; private set; }

        /// <summary>Rows refused so far.</summary>
        public int Refused { get; private set; }

        /// <summary>A CSV record with bytes that are not UTF-8 is refused (else added with U+FFFD and a warning).</summary>
        public bool StrictText { get; set; }

        /// <summary>
        /// Threads a CSV file may use (default: the processor count). A CSV is one stream and its rows are applied in
        /// order (ids, images and categories are assigned in row order), so 2 or more means reading, parsing and
        /// preparing on a second thread ahead of the binding; 1 does everything on the caller's thread. The dataset is
        /// the same for any value.
        /// </summary>
        public int ThrottleLimit { get; set; } = Parallelism.DefaultThrottle;

        /// <summary>Adds one row of values (a pipeline row).</summary>
        public void Add(IReadOnlyList<string> names, IReadOnlyList<object?> values, RowLocation where) => AddRow(names, values, null, where);

        /// <summary>
        /// Streams a CSV annotation list. Throws <see cref="CocoToolsException"/> naming the file when the file as a
        /// whole cannot be read (CsvEmpty, FileReadFailed, or what the CSV reader found).
        /// </summary>
        public void AddCsvFile(string path, char delimiter)
        {
            bool hasHeader;
            try
            {
                using var reader = CsvRecordReader.Open(path, delimiter);
                hasHeader = AddCsv(reader, Path.GetFileName(path), ThrottleLimit > 1, 2 * new FileInfo(path).Length);
            }
            catch (CocoToolsException e)
            {
                throw new CocoToolsException(e.ErrorId, e.Kind, $"{path}: {e.Message}", e) { Target = path, SourcePath = path };
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw new CocoToolsException("FileReadFailed", FailureKind.ReadError, $"{path}: {e.Message}", e) { Target = path, SourcePath = path };
            }

            if (!hasHeader)
            {
                throw new CocoToolsException("CsvEmpty", FailureKind.InvalidData, $"{path}: the file is empty; an annotation list starts with a header line.") { Target = path, SourcePath = path };
            }
        }

        /// <summary>
        /// Streams the records of a CSV reader whose header is still to be read; false when there is no header. The
        /// read-ahead runs on a second thread or on this one; <paramref name="pauseBytes"/> sizes the GC pause (0: none).
        /// </summary>
        [System.Runtime.CompilerServices.MethodImpl(HotPath.Optimize)]
        internal bool AddCsv(CsvRecordReader reader, string file, bool readAheadOnSecondThread, long pauseBytes)
        {
            var header = reader.Read();
            if (header == null)
            {
                return false;
            }

            _binder.StartReadAhead(reader, header, readAheadOnSecondThread);
            using var pause = pauseBytes > 0 ? BulkLoadGcPause.Begin(pauseBytes) : null;
            long row = 0;
            while (reader.ReadRecord())
            {
                row++;
                AddRow(header, null, reader, new RowLocation(file, row, reader.RecordLine));
            }

            return true;
        }

        /// <summary>Adds a row of values, or the current record of a CSV reader; a refused row goes to the listener.</summary>
        [System.Runtime.CompilerServices.MethodImpl(HotPath.Optimize)]
        private void AddRow(IReadOnlyList<string> names, IReadOnlyList<object?>? values, CsvRecordReader? reader, RowLocation where)
        {
            Rows++;
            if ((Rows & 255) == 1)
            {
                _listener.Progress(Rows, reader?.Fraction ?? 0, where);
            }

            if (reader != null && AnnotationRowBinder.InvalidText(names, reader.Current, where) is CocoToolsException notUtf8)
            {
                if (StrictText)
                {
                    Refused++;
                    _listener.Refused(notUtf8);
                    return;
                }

                _listener.Warned(notUtf8);
            }

            try
            {
                var outcome = reader != null ? _binder.Add(names, reader.Current, where) : _binder.Add(names, values!, where);
                if (outcome == AnnotationRowOutcome.Added)
                {
                    _listener.Added(_dataset.Annotations[_dataset.Annotations.Count - 1]);
                }
            }
            catch (CocoToolsException e)
            {
                Refused++;
                _listener.Refused(e);
            }
        }
    }
}
