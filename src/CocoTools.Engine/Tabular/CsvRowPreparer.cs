using System;
using System.Runtime.CompilerServices;
using CocoTools.Engine.Coco;

namespace CocoTools.Engine.Tabular
{
    /// <summary>
    /// The part of binding a CSV record that needs nothing from the dataset, done where the record is read (on the
    /// read-ahead thread of -CsvPath): a number for the text of its image cell, equal texts equal numbers, and its
    /// attributes bag. The binding thread then finds a repeated image by that number in an array, and takes the bag as
    /// it is. One instance per reader and header.
    /// </summary>
    internal sealed class CsvRowPreparer
    {
        private const int MaxImageKeys = 1 << 20;
        private readonly int _imageColumn;
        private readonly TextNumbering _imageKeys = new TextNumbering(MaxImageKeys);
        private readonly AttributeBags _attributes = new AttributeBags();

        // Used by the binding thread only: the image each number resolved to.
        private CocoImage?[] _images = new CocoImage?[256];

        public CsvRowPreparer(AnnotationHeader header)
        {
            Header = header;
            _ = header.EncodedNames; // made now, not lazily on two threads
            _imageColumn = header[AnnotationColumnRole.ImageId] >= 0 ? header[AnnotationColumnRole.ImageId] : header[AnnotationColumnRole.ImageName];
        }

        public AnnotationHeader Header { get; }

        /// <summary>Prepares a record just read (on the reading thread); the result is the record's <see cref="CsvRecord.Prepared"/>.</summary>
        [MethodImpl(HotPath.Optimize)]
        public void Prepare(CsvRecord record)
        {
            if (record.Prepared is not PreparedCsvRow prepared || prepared.Owner != this)
            {
                prepared = new PreparedCsvRow(this);
                record.Prepared = prepared;
            }

            prepared.ImageKey = ImageKey(record);
            prepared.Attributes = _attributes.For(Header, record);
            record.IsPrepared = true;
        }

        /// <summary>The image a key was resolved to before (binding thread), or null.</summary>
        public CocoImage? ImageFor(int key) => key >= 0 && key < _images.Length ? _images[key] : null;

        /// <summary>Remembers what a key resolved to (binding thread).</summary>
        public void Remember(int key, CocoImage image)
        {
            if (key < 0)
            {
                return;
            }

            if (key >= _images.Length)
            {
                Array.Resize(ref _images, Math.Max(key + 1, 2 * _images.Length));
            }

            _images[key] = image;
        }

        /// <summary>
        /// The number of the record's image text, or -1 when the record names its image in another column (an image id
        /// column with this cell blank) or the text is too long or too new to be numbered.
        /// </summary>
        private int ImageKey(CsvRecord record) =>
            _imageColumn < 0 || record.IsBlank(_imageColumn) ? -1 : _imageKeys.Number(record[_imageColumn]);
    }

    /// <summary>What <see cref="CsvRowPreparer"/> worked out for one record.</summary>
    internal sealed class PreparedCsvRow
    {
        public PreparedCsvRow(CsvRowPreparer owner)
        {
            Owner = owner;
        }

        public CsvRowPreparer Owner { get; }

        /// <summary>The number of the image cell's text (see <see cref="CsvRowPreparer"/>), or -1.</summary>
        public int ImageKey { get; set; }

        /// <summary>The record's attributes, null when it has none.</summary>
        public JsonMemberBag? Attributes { get; set; }
    }
}
