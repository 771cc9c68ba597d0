using System.Runtime.CompilerServices;
using CocoTools.Engine.Coco;
using CocoTools.Engine.Tabular;

namespace CocoTools.Engine.Operations.AnnotationRows
{
    /// <summary>
    /// The part of binding a CSV record that needs nothing from the dataset, done where the record is read (on the
    /// read-ahead thread of -CsvPath): numbers for the texts of its image and category name cells (equal texts, equal
    /// numbers) and its attributes bag. The binding thread then finds a repeated image or category by number in an
    /// array, and takes the bag as it is. One instance per reader and header.
    /// </summary>
    internal sealed class CsvRowPreparer
    {
        private const int MaxImageKeys = 1 << 20;
        private const int MaxCategoryKeys = 1 << 12;
        private readonly int _imageColumn;
        private readonly int _categoryColumn;
        private readonly TextNumbering _imageKeys = new TextNumbering(MaxImageKeys);
        private readonly TextNumbering _categoryKeys = new TextNumbering(MaxCategoryKeys);
        private readonly AttributeBags _attributes = new AttributeBags();

        public CsvRowPreparer(AnnotationHeader header)
        {
            Header = header;
            _ = header.EncodedNames; // made now, not lazily on two threads
            _imageColumn = header[AnnotationColumnRole.ImageId] >= 0 ? header[AnnotationColumnRole.ImageId] : header[AnnotationColumnRole.ImageName];
            _categoryColumn = header[AnnotationColumnRole.CategoryName];
        }

        public AnnotationHeader Header { get; }

        /// <summary>The image each image key resolved to (binding thread only).</summary>
        public NumberedValues<CocoImage> Images { get; } = new NumberedValues<CocoImage>();

        /// <summary>The category each category key resolved to (binding thread only).</summary>
        public NumberedValues<CocoCategory> Categories { get; } = new NumberedValues<CocoCategory>();

        /// <summary>Prepares a record just read (on the reading thread); the result is the record's <see cref="CsvRecord.Prepared"/>.</summary>
        [MethodImpl(HotPath.Optimize)]
        public void Prepare(CsvRecord record)
        {
            if (record.Prepared is not PreparedCsvRow prepared || prepared.Owner != this)
            {
                prepared = new PreparedCsvRow(this);
                record.Prepared = prepared;
            }

            prepared.ImageKey = Key(_imageKeys, record, _imageColumn);
            prepared.CategoryKey = Key(_categoryKeys, record, _categoryColumn);
            prepared.Attributes = _attributes.For(Header, record);
            record.IsPrepared = true;
        }

        /// <summary>
        /// The number of the text in a column, or -1 when there is no such column, the cell is blank (for the image: the
        /// record names its image in another column) or the text is too long or too new to be numbered.
        /// </summary>
        private static int Key(TextNumbering keys, CsvRecord record, int column) =>
            column < 0 || record.IsBlank(column) ? -1 : keys.Number(record[column]);
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

        /// <summary>The number of the category name cell's text, or -1 (blank, no such column, too many).</summary>
        public int CategoryKey { get; set; }

        /// <summary>The record's attributes, null when it has none.</summary>
        public JsonMemberBag? Attributes { get; set; }
    }
}
