using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Encodings.Web;
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
        public AnnotationRowOutcome Add(IReadOnlyList<string> names, IReadOnlyList<object?> values, string where)
        {
            var header = HeaderFor(names);
            try
            {
                return AddRow(header, values, where);
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

        private AnnotationHeader HeaderFor(IReadOnlyList<string> names)
        {
            if (_header == null || !ReferenceEquals(names, _headerNames) && !names.SequenceEqual(_headerNames!, StringComparer.Ordinal))
            {
                _header = new AnnotationHeader(names);
                _headerNames = names;
            }

            return _header;
        }

        private AnnotationRowOutcome AddRow(AnnotationHeader header, IReadOnlyList<object?> values, string where)
        {
            object? Cell(AnnotationColumnRole role)
            {
                int column = header[role];
                return column >= 0 && column < values.Count && !CellValues.IsEmpty(values[column]) ? values[column] : null;
            }

            string Column(AnnotationColumnRole role) => header[role] >= 0 ? header.Names[header[role]] : role.ToString();

            // The image.
            var imageCell = Cell(AnnotationColumnRole.ImageId) ?? Cell(AnnotationColumnRole.ImageName);
            bool idColumn = Cell(AnnotationColumnRole.ImageId) != null;
            if (imageCell == null)
            {
                throw RowError("MissingImage", where, header[AnnotationColumnRole.ImageId] < 0 && header[AnnotationColumnRole.ImageName] < 0
                    ? "the list has no image column (image_id, file_name, Image Index, patientId, SOPInstanceUID, path ...)"
                    : "the image cell is empty");
            }

            int? frame = Cell(AnnotationColumnRole.Frame) is object f ? (int)CellValues.Integer(f, Column(AnnotationColumnRole.Frame)) : null;
            string imageText = CellValues.Text(imageCell);
            var image = _images.Resolve(imageText, frame, idColumn, out string? problem);

            // The geometry.
            CocoSegmentation? segmentation = null;
            CocoBox? box = null;
            double[]? keypoints = null;
            string? caption = Cell(AnnotationColumnRole.Caption) is object c ? CellValues.Text(c) : null;
            // Categories are looked up first and created only for rows that turn out to carry something, so that
            // "No finding" or Target 0 rows do not leave empty categories behind.
            var known = ResolveCategory(header, Cell, Column, where, create: false, out bool hasCategoryCell);
            var keypointNames = known?.Keypoints ?? _options.Keypoints;
            bool hasGeometry = HasGeometry(Cell) || (keypointNames != null && HasKeypointColumns(header, values, keypointNames));
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

            var category = hasGeometry ? known ?? ResolveCategory(header, Cell, Column, where, create: true, out _) : null;
            if (Cell(AnnotationColumnRole.EncodedPixels) is object encoded)
            {
                segmentation = EncodedPixels(CellValues.Text(encoded), image, Column(AnnotationColumnRole.EncodedPixels), where);
            }
            else if (Cell(AnnotationColumnRole.Rle) is object rle)
            {
                segmentation = RleCell(rle, image, Column(AnnotationColumnRole.Rle), where, kaggleIfNumeric: true);
            }
            else if (Cell(AnnotationColumnRole.RleCounts) is object counts)
            {
                segmentation = RleCell(counts, image, Column(AnnotationColumnRole.RleCounts), where, kaggleIfNumeric: false);
            }
            else if (Cell(AnnotationColumnRole.Segmentation) is object polygon)
            {
                var polygons = CellValues.Polygons(polygon, Column(AnnotationColumnRole.Segmentation));
                try
                {
                    AnnotationGeometry.ValidatePolygons(polygons, 0);
                }
                catch (CocoToolsException e)
                {
                    throw RowError(e.ErrorId, where, e.Message.Replace("annotation 0: ", $"{Column(AnnotationColumnRole.Segmentation)}: "));
                }

                segmentation = new CocoPolygonSegmentation(polygons);
            }

            box = ReadBox(Cell, Column, image, where);
            if (category != null)
            {
                keypoints = ReadKeypoints(header, values, category, Cell, where);
            }

            if ((segmentation != null || box != null || keypoints != null) && category == null)
            {
                throw RowError("MissingCategory", where, hasCategoryCell ? "the category cell is empty" : "the list has no category column (category, label, class, Finding Label ...) and -Category was not given");
            }

            var annotation = new CocoAnnotation
            {
                ImageId = image.Id,
                CategoryId = category?.Id,
                Segmentation = segmentation,
                Caption = caption,
            };

            if (Cell(AnnotationColumnRole.IsCrowd) is object crowd)
            {
                annotation.IsCrowd = IsCrowd(crowd, Column(AnnotationColumnRole.IsCrowd));
            }
            else if (segmentation != null || box != null)
            {
                annotation.IsCrowd = 0;
            }

            if (Cell(AnnotationColumnRole.Score) is object score)
            {
                annotation.Score = CellValues.Number(score, Column(AnnotationColumnRole.Score));
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
            if (Cell(AnnotationColumnRole.Area) is object area)
            {
                double a = CellValues.Number(area, Column(AnnotationColumnRole.Area));
                annotation.Area = a >= 0 ? a : throw RowError("InvalidValue", where, $"{Column(AnnotationColumnRole.Area)} is negative ({a})");
            }
            else if (segmentation != null || box != null || annotation.Bbox != null)
            {
                annotation.Area = AnnotationGeometry.ComputeArea(annotation) ?? (annotation.Bbox is CocoBox b ? b.Area : null);
            }

            AddAttributes(annotation, header, values);
            if (Cell(AnnotationColumnRole.AnnotationId) is object id)
            {
                annotation.Id = CellValues.Integer(id, Column(AnnotationColumnRole.AnnotationId));
                if (_dataset.Annotations.Contains(annotation.Id))
                {
                    throw RowError("DuplicateId", where, $"annotation id {annotation.Id} is already in the dataset");
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
            return AnnotationRowOutcome.Added;
        }

        private static bool HasGeometry(Func<AnnotationColumnRole, object?> cell)
        {
            if (cell(AnnotationColumnRole.EncodedPixels) is object encoded)
            {
                // Kaggle writes -1 (or nothing) for an image without a mask.
                string t = CellValues.Text(encoded);
                if (t != "-1")
                {
                    return true;
                }
            }

            return cell(AnnotationColumnRole.Rle) != null || cell(AnnotationColumnRole.RleCounts) != null || cell(AnnotationColumnRole.Segmentation) != null
                || cell(AnnotationColumnRole.Bbox) != null || cell(AnnotationColumnRole.Keypoints) != null
                || (cell(AnnotationColumnRole.X) != null && cell(AnnotationColumnRole.Y) != null)
                || (cell(AnnotationColumnRole.XMin) != null && cell(AnnotationColumnRole.YMin) != null);
        }

        /// <summary>The row's category; with <paramref name="create"/> false only an existing one (or null), without notes or errors.</summary>
        private CocoCategory? ResolveCategory(AnnotationHeader header, Func<AnnotationColumnRole, object?> cell, Func<AnnotationColumnRole, string> column, string where, bool create, out bool hasCategoryCell)
        {
            hasCategoryCell = header[AnnotationColumnRole.CategoryName] >= 0 || header[AnnotationColumnRole.CategoryId] >= 0;
            var supercategory = cell(AnnotationColumnRole.Supercategory) is object s ? CellValues.Text(s) : null;
            if (cell(AnnotationColumnRole.CategoryName) is object nameCell)
            {
                string value = CellValues.Text(nameCell);
                if (_options.CategoryMap != null && _options.CategoryMap.TryGetValue(value, out var mapped))
                {
                    return CategoryByName(mapped, supercategory, where, create);
                }

                if (create && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
                {
                    Note("numeric", $"Numeric class values (from column '{column(AnnotationColumnRole.CategoryName)}') are used as category names as they are; map them with -CategoryMap, e.g. @{{ 1 = 'pneumonia' }}.");
                }

                return CategoryByName(value, supercategory, where, create);
            }

            if (cell(AnnotationColumnRole.CategoryId) is object idCell)
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

                long id = CellValues.Integer(idCell, column(AnnotationColumnRole.CategoryId));
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

        private CocoCategory? CategoryByName(string name, string? supercategory, string where, bool create)
        {
            if (_categoriesByName.TryGetValue(name, out var cached) && ReferenceEquals(_dataset.Categories.Find(cached.Id), cached))
            {
                return cached;
            }

            var category = _dataset.Categories.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.Ordinal))
                ?? _dataset.Categories.FindByName(name);
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
                        var images = ImageScanner.ToImages(scanned, new ImageScanOptions { BasePath = _options.ImageRoot, PatientSalt = _dataset.PatientHashKey });
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

        private CocoBox? ReadBox(Func<AnnotationColumnRole, object?> cell, Func<AnnotationColumnRole, string> column, CocoImage image, string where)
        {
            CocoBox box;
            string name;
            if (cell(AnnotationColumnRole.Bbox) is object bbox)
            {
                name = column(AnnotationColumnRole.Bbox);
                box = CellValues.Box(bbox, name);
            }
            else if (cell(AnnotationColumnRole.X) != null || cell(AnnotationColumnRole.Width) != null)
            {
                name = "x, y, width, height";
                box = new CocoBox(
                    CellValues.Number(cell(AnnotationColumnRole.X), column(AnnotationColumnRole.X)),
                    CellValues.Number(cell(AnnotationColumnRole.Y), column(AnnotationColumnRole.Y)),
                    CellValues.Number(cell(AnnotationColumnRole.Width), column(AnnotationColumnRole.Width)),
                    CellValues.Number(cell(AnnotationColumnRole.Height), column(AnnotationColumnRole.Height)));
            }
            else if (cell(AnnotationColumnRole.XMin) != null || cell(AnnotationColumnRole.XMax) != null)
            {
                name = "x_min, y_min, x_max, y_max";
                box = CocoBox.FromCorners(
                    CellValues.Number(cell(AnnotationColumnRole.XMin), column(AnnotationColumnRole.XMin)),
                    CellValues.Number(cell(AnnotationColumnRole.YMin), column(AnnotationColumnRole.YMin)),
                    CellValues.Number(cell(AnnotationColumnRole.XMax), column(AnnotationColumnRole.XMax)),
                    CellValues.Number(cell(AnnotationColumnRole.YMax), column(AnnotationColumnRole.YMax)));
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

        private CocoSegmentation EncodedPixels(string text, CocoImage image, string column, string where)
        {
            if (image.Height is not int h || image.Width is not int w)
            {
                throw RowError("ImageSizeMissing", where, $"{column} needs the size of its image, and {image.FileName} has none");
            }

            var rle = CellValues.EncodedPixels(text, h, w, _options.PixelOrder, column);
            return new CocoRleSegmentation(h, w, rle.ToCompressedString());
        }

        private CocoSegmentation RleCell(object value, CocoImage image, string column, string where, bool kaggleIfNumeric)
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

        private CocoSegmentation RleFromObject(byte[] json, CocoImage image, string column, string where)
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

        private static void CheckRle(Rle rle, int h, int w, string column, string where)
        {
            if (rle.PixelTotal != (long)h * w)
            {
                throw RowError("InvalidRle", where, $"{column}: the runs add up to {rle.PixelTotal}, not height x width = {(long)h * w}");
            }
        }

        private static bool HasKeypointColumns(AnnotationHeader header, IReadOnlyList<object?> values, IReadOnlyList<string> keypointNames) =>
            keypointNames.Any(name =>
            {
                string n = AnnotationColumns.Normalize(name);
                int x = header.Find(n + "x"), whole = header.Find(n);
                return (x >= 0 && x < values.Count && !CellValues.IsEmpty(values[x])) || (whole >= 0 && whole < values.Count && !CellValues.IsEmpty(values[whole]));
            });

        /// <summary>Keypoints from a keypoints column (x, y, v triples) or from per-name columns (name_x, name_y, name_v, or name as "x y v").</summary>
        private double[]? ReadKeypoints(AnnotationHeader header, IReadOnlyList<object?> values, CocoCategory category, Func<AnnotationColumnRole, object?> cell, string where)
        {
            double[]? keypoints = null;
            if (cell(AnnotationColumnRole.Keypoints) is object k)
            {
                keypoints = CellValues.Numbers(k, header.Names[header[AnnotationColumnRole.Keypoints]]);
                if (category.Keypoints == null && keypoints.Length % 3 != 0)
                {
                    throw RowError("InvalidKeypoints", where, $"{keypoints.Length} keypoint numbers are not x, y, v triples");
                }
            }
            else if (category.Keypoints != null && HasKeypointColumns(header, values, category.Keypoints))
            {
                keypoints = new double[category.Keypoints.Count * 3];
                for (int i = 0; i < category.Keypoints.Count; i++)
                {
                    string n = AnnotationColumns.Normalize(category.Keypoints[i]);
                    object? Value(int column) => column >= 0 && column < values.Count && !CellValues.IsEmpty(values[column]) ? values[column] : null;
                    var whole = Value(header.Find(n));
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

                    var x = Value(header.Find(n + "x"));
                    var y = Value(header.Find(n + "y"));
                    var v = Value(header.Find(n + "v")) ?? Value(header.Find(n + "visibility"));
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

        /// <summary>The columns no role reads, non-empty, as the annotation's <c>attributes</c> object.</summary>
        private static void AddAttributes(CocoAnnotation annotation, AnnotationHeader header, IReadOnlyList<object?> values)
        {
            bool any = false;
            for (int i = 0; i < values.Count && i < header.Names.Count; i++)
            {
                if (!header.IsBound[i] && !CellValues.IsEmpty(values[i]))
                {
                    any = true;
                    break;
                }
            }

            if (!any)
            {
                return;
            }

            using var stream = new MemoryStream();
            using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            {
                writer.WriteStartObject();
                for (int i = 0; i < values.Count && i < header.Names.Count; i++)
                {
                    if (!header.IsBound[i] && !CellValues.IsEmpty(values[i]))
                    {
                        writer.WritePropertyName(header.Names[i]);
                        writer.WriteRawValue(JsonValueConversion.ToJson(values[i]), skipInputValidation: true);
                    }
                }

                writer.WriteEndObject();
            }

            annotation.Extra.SetRaw("attributes", stream.ToArray());
        }

        private void Note(string key, string message)
        {
            if (_noted.Add(key))
            {
                _notes.Add(message);
            }
        }

        private static CocoToolsException RowError(string errorId, string where, string problem) =>
            new CocoToolsException(errorId, errorId == "UnknownImage" || errorId == "UnknownCategory" ? FailureKind.ObjectNotFound : FailureKind.InvalidData, $"{where}: {problem.TrimEnd('.')}.") { Target = where };
    }
}
