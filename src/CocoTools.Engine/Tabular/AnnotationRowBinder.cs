using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using CocoTools.Engine.Coco;
using CocoTools.Engine.Imaging;
using CocoTools.Engine.Masks;

namespace CocoTools.Engine.Tabular
{
    /// <summary>How annotation rows become annotations.</summary>
    public sealed class AnnotationImportOptions
    {
        /// <summary>Pixel order of Kaggle EncodedPixels values.</summary>
        public PixelOrder PixelOrder { get; set; } = PixelOrder.ColumnMajor;

        /// <summary>Class values (as text, e.g. "1") to category names, for numeric classes such as RSNA's Target.</summary>
        public IDictionary<string, string>? CategoryMap { get; set; }

        /// <summary>The category of rows without a category column (lists of one kind of finding).</summary>
        public string? DefaultCategory { get; set; }

        /// <summary>Categories must already exist; an unknown one is an error instead of being created.</summary>
        public bool StrictCategory { get; set; }

        /// <summary>Create an image for a row whose image is not in the dataset (its size read from the file when found under <see cref="ImageRoot"/>).</summary>
        public bool AddMissingImage { get; set; }

        /// <summary>Where the files of missing images are looked for, and what their file_name is relative to.</summary>
        public string ImageRoot { get; set; } = Directory.GetCurrentDirectory();

        /// <summary>Keypoint names for categories this import creates (and existing ones without any).</summary>
        public IReadOnlyList<string>? Keypoints { get; set; }

        /// <summary>Skeleton edges (1-based keypoint index pairs) that go with <see cref="Keypoints"/>.</summary>
        public IReadOnlyList<int[]>? Skeleton { get; set; }
    }

    /// <summary>What one row gave.</summary>
    public enum AnnotationRowOutcome
    {
        /// <summary>An annotation was added.</summary>
        Added,
        /// <summary>The row names an image but no geometry, keypoints or caption: a "no finding" row, counted, not added.</summary>
        NoFinding,
    }

    /// <summary>
    /// Turns rows of an annotation list (CSV records, PowerShell objects, hashtables) into annotations of a dataset,
    /// binding columns by name (<see cref="AnnotationColumns"/>). Detection boxes, polygons and RLE (COCO or Kaggle
    /// EncodedPixels), keypoints, captions, stuff; area and bbox from the mask engine; every other column kept in the
    /// annotation's <c>attributes</c>. A bad row throws a <see cref="CocoToolsException"/> naming the row.
    /// </summary>
    public sealed class AnnotationRowBinder
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

        /// <summary>
        /// Finishes: stuff annotations (categories with isthing 0) touched by this import become one RLE annotation per
        /// image and category, as COCO stuff segmentation has them. Returns the errors of groups that could not merge.
        /// </summary>
        public IReadOnlyList<CocoToolsException> Complete()
        {
            var errors = new List<CocoToolsException>();
            if (_touchedStuff.Count == 0)
            {
                return errors;
            }

            var groups = _dataset.Annotations
                .Where(a => a.CategoryId is long c && _touchedStuff.Contains(c) && (a.Segmentation != null || a.Bbox != null))
                .GroupBy(a => (a.ImageId, a.CategoryId!.Value))
                .Where(g => g.Count() > 1 || g.First().Segmentation is not CocoRleSegmentation)
                .ToList();
            foreach (var group in groups)
            {
                var parts = group.ToList();
                var image = _dataset.Images.Find(group.Key.ImageId);
                try
                {
                    var rles = parts.Select(p => AnnotationGeometry.ToRle(p, image, boxWhenNoSegmentation: true)!).ToList();
                    var union = RleSetOperations.Merge(rles);
                    var keep = parts[0];
                    keep.Segmentation = new CocoRleSegmentation(union.Height, union.Width, union.ToCompressedString());
                    keep.Area = union.Area;
                    var b = union.ToBbox();
                    keep.Bbox = new CocoBox(b[0], b[1], b[2], b[3]);
                    keep.IsCrowd = 0;
                    foreach (var merged in parts.Skip(1))
                    {
                        _dataset.Annotations.Remove(merged);
                        Added--;
                    }
                }
                catch (CocoToolsException e)
                {
                    errors.Add(new CocoToolsException(e.ErrorId, e.Kind, $"stuff category {group.Key.Value} on image {group.Key.ImageId} cannot be merged into one RLE: {e.Message}", e) { Target = group.Key.ImageId });
                }
            }

            return errors;
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
            string? problem = null;
            // A CSV record comes with the number of its image text: a repeat is an array lookup.
            var prepared = row.Record != null ? Prepared(row) : null;
            int imageKey = prepared != null && frame == null ? prepared.ImageKey : -1;
            var image = prepared?.Owner.Images[imageKey];
            if (image == null)
            {
                imageText = row.Text(idColumn ? AnnotationColumnRole.ImageId : AnnotationColumnRole.ImageName);
                image = _images.Resolve(imageText, frame, idColumn, out problem);
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
                if (!_options.AddMissingImage || problem!.Contains("ambiguous") || problem.Contains("multi-frame"))
                {
                    throw RowError(problem!.Contains("ambiguous") || problem.Contains("multi-frame") ? "AmbiguousImage" : "UnknownImage", where,
                        $"image {problem}{(problem.Contains("matches no image") ? "; add it with Add-CocoImage first, or use -AddMissingImage" : string.Empty)}");
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

        /// <summary>The row's mask or polygons (Kaggle EncodedPixels, COCO RLE, polygon columns), or null.</summary>
        [System.Runtime.CompilerServices.MethodImpl(HotPath.Optimize)]
        private CocoSegmentation? ReadSegmentation(in Row row, CocoImage image)
        {
            if (row.Cell(AnnotationColumnRole.EncodedPixels) is object encoded)
            {
                return EncodedPixels(CellValues.Text(encoded), image, row.Column(AnnotationColumnRole.EncodedPixels), row.Where);
            }

            if (row.Cell(AnnotationColumnRole.Rle) is object rle)
            {
                return RleCell(rle, image, row.Column(AnnotationColumnRole.Rle), row.Where, kaggleIfNumeric: true);
            }

            if (row.Cell(AnnotationColumnRole.RleCounts) is object counts)
            {
                return RleCell(counts, image, row.Column(AnnotationColumnRole.RleCounts), row.Where, kaggleIfNumeric: false);
            }

            if (row.Cell(AnnotationColumnRole.Segmentation) is object polygon)
            {
                var polygons = CellValues.Polygons(polygon, row.Column(AnnotationColumnRole.Segmentation));
                try
                {
                    AnnotationGeometry.ValidatePolygons(polygons, 0);
                }
                catch (CocoToolsException e)
                {
                    throw RowError(e.ErrorId, row.Where, e.Message.Replace("annotation 0: ", $"{row.Column(AnnotationColumnRole.Segmentation)}: "));
                }

                return new CocoPolygonSegmentation(polygons);
            }

            return null;
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

        /// <summary>The row's category; with <paramref name="create"/> false only an existing one (or null), without notes or errors.</summary>
        [System.Runtime.CompilerServices.MethodImpl(HotPath.Optimize)]
        private CocoCategory? ResolveCategory(in Row row, bool create)
        {
            var header = row.Header;
            var where = row.Where;
            var supercategory = row.Has(AnnotationColumnRole.Supercategory) ? row.Text(AnnotationColumnRole.Supercategory) : null;
            if (row.Has(AnnotationColumnRole.CategoryName))
            {
                string value = row.Text(AnnotationColumnRole.CategoryName);
                if (_options.CategoryMap != null && _options.CategoryMap.TryGetValue(value, out var mapped))
                {
                    return CategoryByName(mapped, supercategory, where, create);
                }

                if (create && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
                {
                    Note("numeric", $"Numeric class values (from column '{row.Column(AnnotationColumnRole.CategoryName)}') are used as category names as they are; map them with -CategoryMap, e.g. @{{ 1 = 'pneumonia' }}.");
                }

                return CategoryByName(value, supercategory, where, create);
            }

            if (row.Cell(AnnotationColumnRole.CategoryId) is object idCell)
            {
                string value = CellValues.Text(idCell);
                if (_options.CategoryMap != null && _options.CategoryMap.TryGetValue(value, out var mapped))
                {
                    return CategoryByName(mapped, supercategory, where, create);
                }

                if (!create)
                {
                    return long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out long known) ? _dataset.Categories.Find(known) : null;
                }

                long id = CellValues.Integer(idCell, row.Column(AnnotationColumnRole.CategoryId));
                if (_dataset.Categories.Find(id) is CocoCategory existing)
                {
                    return existing;
                }

                if (_options.StrictCategory)
                {
                    throw RowError("UnknownCategory", where, $"category id {id} is not in the dataset (-StrictCategory)");
                }

                Note("categoryid", $"Category ids not in the dataset were created with their number as name; give names with -CategoryMap.");
                var created = new CocoCategory { Id = id, Name = value, Supercategory = supercategory };
                ApplyKeypointOptions(created);
                _dataset.Categories.Add(created);
                CategoriesAdded++;
                return created;
            }

            return _options.DefaultCategory != null ? CategoryByName(_options.DefaultCategory, supercategory, where, create) : null;
        }

        [System.Runtime.CompilerServices.MethodImpl(HotPath.Optimize)]
        private CocoCategory? CategoryByName(string name, string? supercategory, RowLocation where, bool create)
        {
            if (_categoriesByName.TryGetValue(name, out var cached) && ReferenceEquals(_dataset.Categories.Find(cached.Id), cached))
            {
                return cached;
            }

            var category = FindCategory(name);
            if (category == null && !create)
            {
                return null;
            }

            if (category == null)
            {
                if (_options.StrictCategory)
                {
                    throw RowError("UnknownCategory", where, $"category '{name}' is not in the dataset (-StrictCategory); its categories are {string.Join(", ", _dataset.Categories.Select(c => c.Name))}");
                }

                category = new CocoCategory { Name = name, Supercategory = supercategory };
                ApplyKeypointOptions(category);
                _dataset.Categories.AddNew(category);
                CategoriesAdded++;
            }
            else if (category.Keypoints == null)
            {
                ApplyKeypointOptions(category);
            }

            _categoriesByName[name] = category;
            return category;
        }

        /// <summary>
        /// The category of a name, exact first, then ignoring case. Allocates nothing: "No finding" rows ask for a
        /// name that is not there once per row, and nothing is collected while a list loads.
        /// </summary>
        private CocoCategory? FindCategory(string name)
        {
            var categories = _dataset.Categories;
            for (int i = 0; i < categories.Count; i++)
            {
                if (string.Equals(categories[i].Name, name, StringComparison.Ordinal))
                {
                    return categories[i];
                }
            }

            return categories.FindByName(name);
        }

        private void ApplyKeypointOptions(CocoCategory category)
        {
            if (_options.Keypoints != null && category.Keypoints == null)
            {
                category.Keypoints = _options.Keypoints.ToArray();
                category.Skeleton ??= _options.Skeleton?.ToArray();
            }
        }

        private CocoImage AddMissingImage(string value, int? frame)
        {
            string relative = value.Replace('\\', '/');
            CocoImage? image = null;
            foreach (var candidate in new[] { relative, relative + ".dcm", relative + ".png", relative + ".jpg", relative + ".jpeg" })
            {
                string path = Path.Combine(_options.ImageRoot, candidate);
                if (!File.Exists(path))
                {
                    continue;
                }

                try
                {
                    var scanned = ImageScanner.Scan(path);
                    if (scanned.SkipReason == null)
                    {
                        var scanOptions = _dataset.ScanOptions();
                        scanOptions.BasePath = _options.ImageRoot;
                        var images = ImageScanner.ToImages(scanned, scanOptions);
                        image = images[Math.Min(Math.Max((frame ?? 1) - 1, 0), images.Count - 1)];
                    }
                }
                catch (CocoToolsException)
                {
                    // Unreadable: the image is added by name only, as if the file were absent.
                }

                break;
            }

            if (image == null)
            {
                image = new CocoImage { FileName = relative };
                Note("nosize", "Images added for rows whose image was not in the dataset and whose file was not found under the image root have no width and height (masks and box checks need them).");
            }

            _dataset.Images.AddNew(image);
            _images.Index(image);
            ImagesAdded++;
            return image;
        }

        [System.Runtime.CompilerServices.MethodImpl(HotPath.Optimize)]
        private static CocoBox? ReadBox(in Row row, CocoImage image)
        {
            var where = row.Where;
            CocoBox box;
            string name;
            if (row.Cell(AnnotationColumnRole.Bbox) is object bbox)
            {
                name = row.Column(AnnotationColumnRole.Bbox);
                box = CellValues.Box(bbox, name);
            }
            else if (row.Has(AnnotationColumnRole.X) || row.Has(AnnotationColumnRole.Width))
            {
                name = "x, y, width, height";
                box = new CocoBox(row.Number(AnnotationColumnRole.X), row.Number(AnnotationColumnRole.Y), row.Number(AnnotationColumnRole.Width), row.Number(AnnotationColumnRole.Height));
            }
            else if (row.Has(AnnotationColumnRole.XMin) || row.Has(AnnotationColumnRole.XMax))
            {
                name = "x_min, y_min, x_max, y_max";
                box = CocoBox.FromCorners(row.Number(AnnotationColumnRole.XMin), row.Number(AnnotationColumnRole.YMin), row.Number(AnnotationColumnRole.XMax), row.Number(AnnotationColumnRole.YMax));
            }
            else
            {
                return null;
            }

            if (box.Width <= 0 || box.Height <= 0)
            {
                throw RowError("NegativeBoxSize", where, $"the box ({name}) {box} has {(box.Width <= 0 ? "width" : "height")} {(box.Width <= 0 ? box.Width : box.Height)}; it must be positive");
            }

            if (image.Width is int w && image.Height is int h
                && (box.X < -Tolerance || box.Y < -Tolerance || box.Right > w + Tolerance || box.Bottom > h + Tolerance))
            {
                throw RowError("BoxOutsideImage", where, $"the box {box} reaches outside its image ({w}x{h}, {image.FileName})");
            }

            return box;
        }

        private CocoSegmentation EncodedPixels(string text, CocoImage image, string column, RowLocation where)
        {
            if (image.Height is not int h || image.Width is not int w)
            {
                throw RowError("ImageSizeMissing", where, $"{column} needs the size of its image, and {image.FileName} has none");
            }

            var rle = CellValues.EncodedPixels(text, h, w, _options.PixelOrder, column);
            return new CocoRleSegmentation(h, w, rle.ToCompressedString());
        }

        private CocoSegmentation RleCell(object value, CocoImage image, string column, RowLocation where, bool kaggleIfNumeric)
        {
            if (value is IDictionary dictionary)
            {
                return RleFromObject(JsonValueConversion.ToJson(dictionary), image, column, where);
            }

            string text = CellValues.Text(value);
            if (text.StartsWith("{", StringComparison.Ordinal))
            {
                return RleFromObject(Encoding.UTF8.GetBytes(text), image, column, where);
            }

            if (image.Height is not int h || image.Width is not int w)
            {
                throw RowError("ImageSizeMissing", where, $"{column} needs the size of its image, and {image.FileName} has none");
            }

            bool numeric = text.All(ch => char.IsDigit(ch) || ch == ' ' || ch == ',' || ch == '[' || ch == ']');
            if (numeric && kaggleIfNumeric)
            {
                var rle = CellValues.EncodedPixels(text, h, w, _options.PixelOrder, column);
                return new CocoRleSegmentation(h, w, rle.ToCompressedString());
            }

            var parsed = numeric ? new Rle(h, w, CellValues.Numbers(text, column).Select(n => n >= 0 && n <= uint.MaxValue && Math.Floor(n) == n ? (uint)n : throw new CellException($"{column} has the run length {n}")).ToArray())
                : Rle.FromCompressedString(text, h, w);
            CheckRle(parsed, h, w, column, where);
            return numeric ? new CocoRleSegmentation(h, w, parsed.Counts.ToArray()) : new CocoRleSegmentation(h, w, text);
        }

        private CocoSegmentation RleFromObject(byte[] json, CocoImage image, string column, RowLocation where)
        {
            try
            {
                using var doc = JsonDocument.Parse(json);
                var root = doc.RootElement;
                var size = root.GetProperty("size").EnumerateArray().Select(v => v.GetInt32()).ToArray();
                var counts = root.GetProperty("counts");
                if (size.Length != 2)
                {
                    throw new CellException($"{column}: an RLE size is [height, width]");
                }

                var rle = counts.ValueKind == JsonValueKind.String
                    ? Rle.FromCompressedString(counts.GetString()!, size[0], size[1])
                    : new Rle(size[0], size[1], counts.EnumerateArray().Select(v => v.GetUInt32()).ToArray());
                if (image.Height is int h && image.Width is int w && (size[0] != h || size[1] != w))
                {
                    throw RowError("RleSizeMismatch", where, $"{column}: the RLE size is {size[0]}x{size[1]} but its image is {h}x{w}");
                }

                CheckRle(rle, size[0], size[1], column, where);
                return counts.ValueKind == JsonValueKind.String
                    ? new CocoRleSegmentation(size[0], size[1], counts.GetString()!)
                    : new CocoRleSegmentation(size[0], size[1], rle.Counts.ToArray());
            }
            catch (Exception e) when (e is JsonException || e is KeyNotFoundException || e is InvalidOperationException || e is FormatException)
            {
                throw RowError("InvalidRle", where, $"{column} is not a COCO RLE object {{\"size\": [h, w], \"counts\": ...}} ({e.Message})");
            }
        }

        private static void CheckRle(Rle rle, int h, int w, string column, RowLocation where)
        {
            if (rle.PixelTotal != (long)h * w)
            {
                throw RowError("InvalidRle", where, $"{column}: the runs add up to {rle.PixelTotal}, not height x width = {(long)h * w}");
            }
        }

        private static bool HasKeypointColumns(in Row row, IReadOnlyList<string> keypointNames)
        {
            foreach (var name in keypointNames)
            {
                string n = AnnotationColumns.Normalize(name);
                if (row.HasAt(row.Header.Find(n + "x")) || row.HasAt(row.Header.Find(n)))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>Keypoints from a keypoints column (x, y, v triples) or from per-name columns (name_x, name_y, name_v, or name as "x y v").</summary>
        [System.Runtime.CompilerServices.MethodImpl(HotPath.Optimize)]
        private static double[]? ReadKeypoints(in Row row, CocoCategory category)
        {
            var header = row.Header;
            var where = row.Where;
            double[]? keypoints = null;
            if (row.Cell(AnnotationColumnRole.Keypoints) is object k)
            {
                keypoints = CellValues.Numbers(k, header.Names[header[AnnotationColumnRole.Keypoints]]);
                if (category.Keypoints == null && keypoints.Length % 3 != 0)
                {
                    throw RowError("InvalidKeypoints", where, $"{keypoints.Length} keypoint numbers are not x, y, v triples");
                }
            }
            else if (category.Keypoints != null && HasKeypointColumns(row, category.Keypoints))
            {
                keypoints = new double[category.Keypoints.Count * 3];
                for (int i = 0; i < category.Keypoints.Count; i++)
                {
                    string n = AnnotationColumns.Normalize(category.Keypoints[i]);
                    var whole = row.CellAt(header.Find(n));
                    if (whole != null)
                    {
                        var triple = CellValues.Numbers(whole, category.Keypoints[i]);
                        if (triple.Length < 2 || triple.Length > 3)
                        {
                            throw RowError("InvalidKeypoints", where, $"keypoint '{category.Keypoints[i]}' is '{CellValues.Text(whole)}', not x y [v]");
                        }

                        keypoints[3 * i] = triple[0];
                        keypoints[(3 * i) + 1] = triple[1];
                        keypoints[(3 * i) + 2] = triple.Length == 3 ? triple[2] : 2;
                        continue;
                    }

                    var x = row.CellAt(header.Find(n + "x"));
                    var y = row.CellAt(header.Find(n + "y"));
                    var v = row.CellAt(header.Find(n + "v")) ?? row.CellAt(header.Find(n + "visibility"));
                    if (x != null && y != null)
                    {
                        keypoints[3 * i] = CellValues.Number(x, category.Keypoints[i] + "_x");
                        keypoints[(3 * i) + 1] = CellValues.Number(y, category.Keypoints[i] + "_y");
                        keypoints[(3 * i) + 2] = v != null ? CellValues.Number(v, category.Keypoints[i] + "_v") : 2;
                    }
                }
            }

            if (keypoints == null)
            {
                return null;
            }

            if (category.Keypoints != null && keypoints.Length != 3 * category.Keypoints.Count)
            {
                throw RowError("InvalidKeypoints", where, $"category '{category.Name}' has {category.Keypoints.Count} keypoints, so 3 x {category.Keypoints.Count} = {3 * category.Keypoints.Count} numbers are needed, not {keypoints.Length}");
            }

            for (int i = 2; i < keypoints.Length; i += 3)
            {
                if (keypoints[i] != 0 && keypoints[i] != 1 && keypoints[i] != 2)
                {
                    throw RowError("InvalidKeypoints", where, $"keypoint {(i / 3) + 1} has visibility {keypoints[i]}; it must be 0 (not labelled), 1 (labelled, hidden) or 2 (visible)");
                }
            }

            return keypoints;
        }

        /// <summary>The box around the labelled keypoints (v &gt; 0), when no box or segmentation was given.</summary>
        private static CocoBox? KeypointBox(double[] keypoints)
        {
            double minX = double.PositiveInfinity, minY = double.PositiveInfinity, maxX = double.NegativeInfinity, maxY = double.NegativeInfinity;
            for (int i = 0; i + 2 < keypoints.Length; i += 3)
            {
                if (keypoints[i + 2] > 0)
                {
                    minX = Math.Min(minX, keypoints[i]);
                    maxX = Math.Max(maxX, keypoints[i]);
                    minY = Math.Min(minY, keypoints[i + 1]);
                    maxY = Math.Max(maxY, keypoints[i + 1]);
                }
            }

            return double.IsPositiveInfinity(minX) ? null : CocoBox.FromCorners(minX, minY, maxX, maxY);
        }

        private static int IsCrowd(object value, string column)
        {
            string t = CellValues.Text(value).ToLowerInvariant();
            return t switch
            {
                "1" or "true" or "yes" => 1,
                "0" or "false" or "no" => 0,
                _ => throw new CellException($"{column} is '{t}'; iscrowd is 0 or 1"),
            };
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

        /// <summary>
        /// One row with its header: the cells by role, and the column names for messages. The cells are either values
        /// (PowerShell objects, hashtables) or a CSV record read in place.
        /// </summary>
        private readonly struct Row
        {
            public Row(AnnotationHeader header, IReadOnlyList<object?>? values, CsvRecord? record, RowLocation where)
            {
                Header = header;
                Values = values;
                Record = record;
                Where = where;
            }

            public AnnotationHeader Header { get; }

            public IReadOnlyList<object?>? Values { get; }

            public CsvRecord? Record { get; }

            public RowLocation Where { get; }

            public int Count => Record?.Count ?? Values!.Count;

            /// <summary>True when the role's column exists and its cell is not blank.</summary>
            [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
            public bool Has(AnnotationColumnRole role) => HasAt(Header[role]);

            [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
            public bool HasAt(int column) =>
                column >= 0 && (Record != null ? !Record.IsBlank(column) : column < Values!.Count && !CellValues.IsEmpty(Values[column]));

            /// <summary>The role's cell, or null when the list has no such column or the cell is blank.</summary>
            [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
            public object? Cell(AnnotationColumnRole role) => CellAt(Header[role]);

            [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
            public object? CellAt(int column) => !HasAt(column) ? null : Record != null ? Record.GetString(column) : Values![column];

            /// <summary>The role's cell as trimmed text (the cell must be there).</summary>
            public string Text(AnnotationColumnRole role) =>
                Record != null ? Record.GetTrimmedString(Header[role]) : CellValues.Text(Values![Header[role]]);

            /// <summary>The role's cell as a finite number; a missing or bad cell is an error naming the column.</summary>
            [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
            public double Number(AnnotationColumnRole role)
            {
                int column = Header[role];
                if (Record != null && column >= 0 && column < Record.Count && Record.TryGetNumber(column, out double value))
                {
                    return value;
                }

                return CellValues.Number(Cell(role), Column(role));
            }

            /// <summary>The role's column name as the list spells it.</summary>
            public string Column(AnnotationColumnRole role) => Header[role] >= 0 ? Header.Names[Header[role]] : role.ToString();
        }
    }

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
