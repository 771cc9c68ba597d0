using System;
using System.Collections.Generic;
using System.Linq;
using CocoTools.Engine.Coco;
using CocoTools.Engine.Masks;
using CocoTools.Engine.Tabular;

namespace CocoTools.Engine.Operations.AnnotationRows
{
    /// <summary>
    /// Turns rows of an annotation list (CSV records, PowerShell objects, hashtables) into annotations of a dataset,
    /// binding columns by name (<see cref="AnnotationColumns"/>). Detection boxes, polygons and RLE (COCO or Kaggle
    /// EncodedPixels), keypoints, captions, stuff; area and bbox from the mask engine; every other column kept in the
    /// annotation's <c>attributes</c>. A bad row throws a <see cref="CocoToolsException"/> naming the row.
    /// </summary>
    public sealed partial class AnnotationRowBinder
    {
        private const double Tolerance = 1e-6;

        private readonly CocoDataset _dataset;
        private readonly AnnotationImportOptions _options;
        private readonly ImageResolver _images;
        private readonly Dictionary<string, CocoCategory> _categoriesByName = new Dictionary<string, CocoCategory>(StringComparer.Ordinal);
        private readonly HashSet<long> _touchedStuff = new HashSet<long>();
        private readonly List<string> _notes = new List<string>();
        private readonly HashSet<string> _noted = new HashSet<string>(StringComparer.Ordinal);
        private AnnotationHeader? _header;
        private IReadOnlyList<string>? _headerNames;
        private readonly AttributeBags _attributes = new AttributeBags();

        // Prepares CSV records that were read without this binder's preparation (see StartReadAhead).
        private CsvRowPreparer? _preparer;

        /// <summary>Prepares to add rows to a dataset.</summary>
        public AnnotationRowBinder(CocoDataset dataset, AnnotationImportOptions options)
        {
            _dataset = dataset;
            _options = options;
            _images = new ImageResolver(dataset);
        }

        /// <summary>Annotations added.</summary>
        public int Added { get; private set; }

        /// <summary>Rows without geometry ("no finding").</summary>
        public int NoFindingRows { get; private set; }

        /// <summary>Images created for rows whose image was missing (-AddMissingImage).</summary>
        public int ImagesAdded { get; private set; }

        /// <summary>Categories created on first use.</summary>
        public int CategoriesAdded { get; private set; }

        /// <summary>Things worth telling the user once (numeric classes used as names, images without a size ...).</summary>
        public IReadOnlyList<string> Notes => _notes;

        /// <summary>
        /// Adds one row. <paramref name="names"/> is the header (the same list for every row of a file, so the binding
        /// is worked out once); <paramref name="where"/> names the row in errors, e.g. "boxes.csv row 17".
        /// </summary>
        public AnnotationRowOutcome Add(IReadOnlyList<string> names, IReadOnlyList<object?> values, RowLocation where) =>
            AddChecked(new Row(HeaderFor(names), values, null, where));

        /// <summary>
        /// Adds one record of a CSV file whose header is <paramref name="names"/>, reading its fields in place (the
        /// fast path of -CsvPath: numbers parsed from the characters, repeated text shared).
        /// </summary>
        [System.Runtime.CompilerServices.MethodImpl(HotPath.Optimize)]
        public AnnotationRowOutcome Add(IReadOnlyList<string> names, CsvRecord record, RowLocation where) =>
            AddChecked(new Row(HeaderFor(names), null, record, where));

        /// <summary>
        /// A record with bytes that were not UTF-8 in the file (read as U+FFFD): an error naming the row, line and
        /// column, for the caller to report as a warning (the row is still added, with U+FFFD in that text) or, when
        /// asked to be strict, as the row's error. Null when the record's text is all UTF-8.
        /// </summary>
        public static CocoToolsException? InvalidText(IReadOnlyList<string> names, CsvRecord record, RowLocation where)
        {
            int field = record.InvalidTextField;
            if (field < 0)
            {
                return null;
            }

            string column = field < names.Count ? names[field] : $"#{field + 1}";
            return new CocoToolsException("CsvInvalidUtf8", FailureKind.InvalidData, $"{where}, column '{column}' (field {field + 1}): bytes that are not UTF-8, read as U+FFFD; save the list as UTF-8.") { Target = where.ToString() };
        }

        /// <summary>
        /// Has a CSV reader whose header is <paramref name="names"/> read the rest of its file on a second thread and
        /// do there what needs nothing from the dataset: parse the box, score and area columns, number the image and
        /// category texts, make the attributes (<see cref="CsvRecordReader.StartReadAhead(IEnumerable{int})"/>). The records
        /// then go to <see cref="Add(IReadOnlyList{string}, CsvRecord, RowLocation)"/> as usual.
        /// </summary>
        public void StartReadAhead(CsvRecordReader reader, IReadOnlyList<string> names) =>
            StartReadAhead(reader, names, Environment.ProcessorCount > 1);

        /// <summary><see cref="StartReadAhead(CsvRecordReader, IReadOnlyList{string})"/> on a second thread or not (tests use both).</summary>
        internal void StartReadAhead(CsvRecordReader reader, IReadOnlyList<string> names, bool onSecondThread)
        {
            var header = HeaderFor(names);
            reader.StartReadAhead(NumberColumns(header), new CsvRowPreparer(header).Prepare, onSecondThread);
        }

        /// <summary>The columns of a header that this binder reads as numbers (box coordinates, score, area).</summary>
        private static IReadOnlyList<int> NumberColumns(AnnotationHeader header)
        {
            return new[]
            {
                AnnotationColumnRole.X, AnnotationColumnRole.Y, AnnotationColumnRole.Width, AnnotationColumnRole.Height,
                AnnotationColumnRole.XMin, AnnotationColumnRole.YMin, AnnotationColumnRole.XMax, AnnotationColumnRole.YMax,
                AnnotationColumnRole.Score, AnnotationColumnRole.Area,
            }.Select(role => header[role]).Where(column => column >= 0).ToArray();
        }

        [System.Runtime.CompilerServices.MethodImpl(HotPath.Optimize)]
        private AnnotationRowOutcome AddChecked(in Row row)
        {
            var where = row.Where;
            try
            {
                return AddRow(row);
            }
            catch (CellException e)
            {
                throw RowError("InvalidValue", where, e.Message);
            }
        }

        [System.Runtime.CompilerServices.MethodImpl(HotPath.Optimize)]
        private AnnotationHeader HeaderFor(IReadOnlyList<string> names)
        {
            if (_header == null || !ReferenceEquals(names, _headerNames) && !names.SequenceEqual(_headerNames!, StringComparer.Ordinal))
            {
                _header = new AnnotationHeader(names);
                _headerNames = names;
            }

            return _header;
        }

        [System.Runtime.CompilerServices.MethodImpl(HotPath.Optimize)]
        private AnnotationRowOutcome AddRow(in Row row)
        {
            var header = row.Header;
            var where = row.Where;

            // The image.
            bool idColumn = row.Has(AnnotationColumnRole.ImageId);
            if (!idColumn && !row.Has(AnnotationColumnRole.ImageName))
            {
                throw RowError("MissingImage", where, header[AnnotationColumnRole.ImageId] < 0 && header[AnnotationColumnRole.ImageName] < 0
                    ? "the list has no image column (image_id, file_name, Image Index, patientId, SOPInstanceUID, path ...)"
                    : "the image cell is empty");
            }

            int? frame = row.Cell(AnnotationColumnRole.Frame) is object f ? (int)CellValues.Integer(f, row.Column(AnnotationColumnRole.Frame)) : null;
            string imageText = string.Empty;
            var match = default(ImageMatch);
            // A CSV record comes with the number of its image text: a repeat is an array lookup.
            var prepared = row.Record != null ? Prepared(row) : null;
            int imageKey = prepared != null && frame == null ? prepared.ImageKey : -1;
            var image = prepared?.Owner.Images[imageKey];
            if (image == null)
            {
                imageText = row.Text(idColumn ? AnnotationColumnRole.ImageId : AnnotationColumnRole.ImageName);
                match = _images.Resolve(imageText, frame, idColumn);
                image = match.Image;
                if (image != null)
                {
                    prepared?.Owner.Images.Set(imageKey, image);
                }
            }

            // The geometry.
            CocoSegmentation? segmentation = null;
            CocoBox? box = null;
            double[]? keypoints = null;
            string? caption = row.Has(AnnotationColumnRole.Caption) ? row.Text(AnnotationColumnRole.Caption) : null;
            // Categories are looked up first and created only for rows that turn out to carry something, so that
            // "No finding" or Target 0 rows do not leave empty categories behind.
            // A repeated category text of a prepared record is an array lookup too (checked still to be in the dataset).
            int categoryKey = prepared?.CategoryKey ?? -1;
            var known = prepared?.Owner.Categories[categoryKey] is CocoCategory cached && ReferenceEquals(_dataset.Categories.Find(cached.Id), cached)
                ? cached
                : ResolveCategory(row, create: false);
            var keypointNames = known?.Keypoints ?? _options.Keypoints;
            bool hasGeometry = HasGeometry(row) || (keypointNames != null && HasKeypointColumns(row, keypointNames));
            if (!hasGeometry && caption == null)
            {
                NoFindingRows++;
                if (image == null && _options.AddMissingImage)
                {
                    AddMissingImage(imageText, frame);
                }

                return AnnotationRowOutcome.NoFinding;
            }

            if (image == null)
            {
                if (!_options.AddMissingImage || match.IsAmbiguous)
                {
                    throw RowError(match.IsAmbiguous ? "AmbiguousImage" : "UnknownImage", where,
                        $"image {match.Describe()}{(match.Problem == ImageMatchProblem.NoMatch ? "; add it with Add-CocoImage first, or use -AddMissingImage" : string.Empty)}");
                }

                image = AddMissingImage(imageText, frame);
            }

            var category = hasGeometry ? known ?? ResolveCategory(row, create: true) : null;
            if (category != null)
            {
                prepared?.Owner.Categories.Set(categoryKey, category);
            }

            segmentation = ReadSegmentation(row, image);
            box = ReadBox(row, image);
            if (category != null)
            {
                keypoints = ReadKeypoints(row, category);
            }

            if ((segmentation != null || box != null || keypoints != null) && category == null)
            {
                bool hasCategoryCell = header[AnnotationColumnRole.CategoryName] >= 0 || header[AnnotationColumnRole.CategoryId] >= 0;
                throw RowError("MissingCategory", where, hasCategoryCell ? "the category cell is empty" : "the list has no category column (category, label, class, Finding Label ...) and -Category was not given");
            }

            Store(row, image, category, segmentation, box, keypoints, caption, prepared);
            return AnnotationRowOutcome.Added;
        }

        /// <summary>Makes the annotation of a bound row (box, crowd, score, keypoints, area, attributes) and adds it.</summary>
        [System.Runtime.CompilerServices.MethodImpl(HotPath.Optimize)]
        private void Store(in Row row, CocoImage image, CocoCategory? category, CocoSegmentation? segmentation, CocoBox? box, double[]? keypoints, string? caption, PreparedCsvRow? prepared)
        {
            var annotation = new CocoAnnotation
            {
                ImageId = image.Id,
                CategoryId = category?.Id,
                Segmentation = segmentation,
                Caption = caption,
            };

            if (row.Cell(AnnotationColumnRole.IsCrowd) is object crowd)
            {
                annotation.IsCrowd = IsCrowd(crowd, row.Column(AnnotationColumnRole.IsCrowd));
            }
            else if (segmentation != null || box != null)
            {
                annotation.IsCrowd = 0;
            }

            if (row.Has(AnnotationColumnRole.Score))
            {
                annotation.Score = row.Number(AnnotationColumnRole.Score);
            }

            if (keypoints != null)
            {
                annotation.Keypoints = keypoints;
                int labelled = 0;
                for (int i = 2; i < keypoints.Length; i += 3)
                {
                    labelled += keypoints[i] > 0 ? 1 : 0;
                }

                annotation.NumKeypoints = labelled;
            }

            annotation.Bbox = box ?? AnnotationGeometry.ComputeBbox(annotation) ?? (keypoints != null ? KeypointBox(keypoints) : null);
            if (row.Has(AnnotationColumnRole.Area))
            {
                double a = row.Number(AnnotationColumnRole.Area);
                annotation.Area = a >= 0 ? a : throw RowError("InvalidValue", row.Where, $"{row.Column(AnnotationColumnRole.Area)} is negative ({a})");
            }
            else if (segmentation != null || box != null || annotation.Bbox != null)
            {
                annotation.Area = AnnotationGeometry.ComputeArea(annotation) ?? (annotation.Bbox is CocoBox b ? b.Area : null);
            }

            if ((prepared != null ? prepared.Attributes : _attributes.For(row.Header, row.Values!)) is JsonMemberBag attributes)
            {
                annotation.ShareExtra(attributes);
            }

            if (row.Cell(AnnotationColumnRole.AnnotationId) is object id)
            {
                annotation.Id = CellValues.Integer(id, row.Column(AnnotationColumnRole.AnnotationId));
                if (_dataset.Annotations.Contains(annotation.Id))
                {
                    throw RowError("DuplicateId", row.Where, $"annotation id {annotation.Id} is already in the dataset");
                }

                _dataset.Annotations.Add(annotation);
            }
            else
            {
                _dataset.Annotations.AddNew(annotation);
            }

            if (category?.IsThing == 0)
            {
                _touchedStuff.Add(category.Id);
            }

            Added++;
        }

        [System.Runtime.CompilerServices.MethodImpl(HotPath.Optimize)]
        private static bool HasGeometry(in Row row)
        {
            // Kaggle writes -1 (or nothing) for an image without a mask.
            if (row.Has(AnnotationColumnRole.EncodedPixels) && row.Text(AnnotationColumnRole.EncodedPixels) != "-1")
            {
                return true;
            }

            return row.Has(AnnotationColumnRole.Rle) || row.Has(AnnotationColumnRole.RleCounts) || row.Has(AnnotationColumnRole.Segmentation)
                || row.Has(AnnotationColumnRole.Bbox) || row.Has(AnnotationColumnRole.Keypoints)
                || (row.Has(AnnotationColumnRole.X) && row.Has(AnnotationColumnRole.Y))
                || (row.Has(AnnotationColumnRole.XMin) && row.Has(AnnotationColumnRole.YMin));
        }

        private void Note(string key, string message)
        {
            if (_noted.Add(key))
            {
                _notes.Add(message);
            }
        }

        /// <summary>What the reader prepared for a CSV record, or the same worked out here when it prepared nothing.</summary>
        [System.Runtime.CompilerServices.MethodImpl(HotPath.Optimize)]
        private PreparedCsvRow Prepared(in Row row)
        {
            var record = row.Record!;
            if (record.IsPrepared && record.Prepared is PreparedCsvRow prepared && prepared.Owner.Header == row.Header)
            {
                return prepared;
            }

            if (_preparer?.Header != row.Header)
            {
                _preparer = new CsvRowPreparer(row.Header);
            }

            _preparer.Prepare(record);
            return (PreparedCsvRow)record.Prepared!;
        }

        private static CocoToolsException RowError(string errorId, RowLocation where, string problem) =>
            new CocoToolsException(errorId, errorId == "UnknownImage" || errorId == "UnknownCategory" ? FailureKind.ObjectNotFound : FailureKind.InvalidData, $"{where}: {problem.TrimEnd('.')}.") { Target = where.ToString() };
    }
}
