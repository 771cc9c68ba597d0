using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using CocoTools.Engine.Coco;
using CocoTools.Engine.Dicom;

namespace CocoTools.Engine.Operations.DicomAnnotations
{
    /// <summary>What Add-CocoImage does with DICOM annotation objects (SEG, RTSTRUCT, SR).</summary>
    public enum AnnotationObjectHandling
    {
        /// <summary>Their content becomes annotations on the dataset's images, at the end of the pipeline.</summary>
        Annotate,
        /// <summary>They are left out (one verbose line each).</summary>
        Skip,
        /// <summary>A SEG's frames are added as images; RTSTRUCT and SR, which have none, are skipped with a warning.</summary>
        Image,
    }

    /// <summary>What became of one file given to the importer.</summary>
    public enum DicomImportStatus
    {
        /// <summary>An annotation object, converted; what could be placed was added.</summary>
        Converted,
        /// <summary>Not an annotation object (an image, another DICOM object, not DICOM): passed over.</summary>
        NotAnnotationObject,
        /// <summary>An annotation object that could not be used; nothing of it was added.</summary>
        Failed,
    }

    /// <summary>What the importer did with one file.</summary>
    public sealed class DicomImportOutcome
    {
        internal DicomImportOutcome(string path, DicomImportStatus status)
        {
            Path = path;
            Status = status;
        }

        /// <summary>The file.</summary>
        public string Path { get; }

        /// <summary>Converted, passed over, or failed.</summary>
        public DicomImportStatus Status { get; }

        /// <summary>SEG, RTSTRUCT, SR; null when not an annotation object.</summary>
        public string? ObjectKind { get; internal set; }

        /// <summary>The object's SOP Instance UID.</summary>
        public string? SopInstanceUid { get; internal set; }

        /// <summary>Why a file was passed over ("a CT image", "not DICOM").</summary>
        public string? PassedOverReason { get; internal set; }

        /// <summary>The annotations added, in order.</summary>
        public IReadOnlyList<CocoAnnotation> Added { get; internal set; } = Array.Empty<CocoAnnotation>();

        /// <summary>The categories this object created.</summary>
        public IReadOnlyList<CocoCategory> CategoriesAdded { get; internal set; } = Array.Empty<CocoCategory>();

        /// <summary>Items not placed.</summary>
        public IReadOnlyList<DicomNotPlaced> NotPlaced { get; internal set; } = Array.Empty<DicomNotPlaced>();

        /// <summary>Notes (warnings) about the object.</summary>
        public IReadOnlyList<string> Notes { get; internal set; } = Array.Empty<string>();

        /// <summary>The converter's counters.</summary>
        public IReadOnlyDictionary<string, int> Counts { get; internal set; } = new Dictionary<string, int>();

        /// <summary>Why the object failed, when it did.</summary>
        public CocoToolsException? Error { get; internal set; }

        /// <summary>The kind of the failure (a read failure of a DICOM file counts as Truncated, Broken or ReadFailed).</summary>
        public DicomAnnotationErrorKind? ErrorKind { get; internal set; }

        /// <summary>
        /// One line about the items not placed: how many, why, and the first referenced SOP Instance UIDs; null when all
        /// were placed.
        /// </summary>
        public string? NotPlacedMessage
        {
            get
            {
                if (NotPlaced.Count == 0)
                {
                    return null;
                }

                var uids = NotPlaced.Select(n => n.ReferencedSopInstanceUid).Where(u => u != null).Distinct().ToList();
                var reasons = NotPlaced.GroupBy(n => n.Reason).Select(g => $"{g.Count()} {Describe(g.Key)}");
                var text = new StringBuilder($"{Path}: {ObjectKind} {SopInstanceUid}: {NotPlaced.Count} item(s) not placed ({string.Join(", ", reasons)}; first: {NotPlaced[0].Item})");
                if (uids.Count > 0)
                {
                    text.Append("; referenced SOP Instance UID(s) not in the dataset: ").Append(string.Join(", ", uids.Take(3))).Append(uids.Count > 3 ? $" and {uids.Count - 3} more" : string.Empty);
                }

                return text.Append('.').ToString();
            }
        }

        private static string Describe(DicomAnnotationErrorKind kind) => kind switch
        {
            DicomAnnotationErrorKind.ImageMissing => "whose image is not in the dataset",
            DicomAnnotationErrorKind.NotPlaceable => "that no image of the dataset holds",
            DicomAnnotationErrorKind.OffPlane => "off the plane of their image",
            _ => kind.ToString(),
        };
    }

    /// <summary>Totals over the files one importer read, for the summary line.</summary>
    public sealed class DicomImportSummary
    {
        private readonly SortedDictionary<string, int> _objects = new SortedDictionary<string, int>(StringComparer.Ordinal);
        private readonly SortedDictionary<string, int> _annotations = new SortedDictionary<string, int>(StringComparer.Ordinal);
        private readonly SortedDictionary<string, int> _counts = new SortedDictionary<string, int>(StringComparer.Ordinal);

        /// <summary>Files passed over (not annotation objects).</summary>
        public int PassedOver { get; private set; }

        /// <summary>Objects that failed.</summary>
        public int Failed { get; private set; }

        /// <summary>Items not placed.</summary>
        public int NotPlaced { get; private set; }

        /// <summary>Categories created.</summary>
        public int CategoriesAdded { get; private set; }

        /// <summary>Objects converted, by kind.</summary>
        public IReadOnlyDictionary<string, int> Objects => _objects;

        /// <summary>Annotations added, by what they carry (RLE mask, polygon, keypoints, box).</summary>
        public IReadOnlyDictionary<string, int> Annotations => _annotations;

        /// <summary>The converters' counters, summed.</summary>
        public IReadOnlyDictionary<string, int> Counts => _counts;

        internal void Add(DicomImportOutcome outcome)
        {
            switch (outcome.Status)
            {
                case DicomImportStatus.NotAnnotationObject:
                    PassedOver++;
                    return;
                case DicomImportStatus.Failed:
                    Failed++;
                    return;
            }

            Bump(_objects, outcome.ObjectKind ?? "?", 1);
            foreach (var annotation in outcome.Added)
            {
                Bump(_annotations, KindOf(annotation), 1);
            }

            foreach (var pair in outcome.Counts)
            {
                Bump(_counts, pair.Key, pair.Value);
            }

            NotPlaced += outcome.NotPlaced.Count;
            CategoriesAdded += outcome.CategoriesAdded.Count;
        }

        /// <inheritdoc />
        public override string ToString()
        {
            string List(IReadOnlyDictionary<string, int> d) => d.Count == 0 ? "none" : string.Join(", ", d.Select(p => p.Value.ToString(CultureInfo.InvariantCulture) + " " + p.Key));
            var text = $"Annotation objects: {List(_objects)} converted, {Failed} failed, {PassedOver} other file(s) passed over; annotations added: {List(_annotations)}; {CategoriesAdded} new categories; {NotPlaced} item(s) not placed";
            return _counts.Count == 0 ? text + "." : text + "; " + List(_counts) + ".";
        }

        private static string KindOf(CocoAnnotation a) =>
            a.Segmentation is CocoRleSegmentation ? "RLE mask" : a.Segmentation is CocoPolygonSegmentation ? "polygon" : a.Keypoints != null ? "keypoints" : "box";

        private static void Bump(SortedDictionary<string, int> d, string key, int by) => d[key] = (d.TryGetValue(key, out int n) ? n : 0) + by;
    }

    /// <summary>
    /// Reads DICOM files and adds the annotation objects among them (SEG, RTSTRUCT, SR) to a dataset as COCO
    /// annotations on its images: picks the converter by SOP Class UID, passes over other files, and adds each object's
    /// result all at once (an object that fails adds nothing).
    /// </summary>
    public sealed class DicomAnnotationImporter
    {
        private readonly CocoDataset _dataset;
        private readonly DicomAnnotationOptions _options;
        private readonly IReadOnlyList<IDicomAnnotationConverter> _converters;
        private ImagePlacementIndex? _placement;

        /// <summary>An importer adding to <paramref name="dataset"/>; the converters default to <see cref="DicomAnnotationConverters.All"/>.</summary>
        public DicomAnnotationImporter(CocoDataset dataset, DicomAnnotationOptions? options = null, IReadOnlyList<IDicomAnnotationConverter>? converters = null)
        {
            _dataset = dataset ?? throw new ArgumentNullException(nameof(dataset));
            _options = options ?? new DicomAnnotationOptions();
            _converters = converters ?? DicomAnnotationConverters.All;
        }

        /// <summary>Totals so far.</summary>
        public DicomImportSummary Summary { get; } = new DicomImportSummary();

        /// <summary>True when some converter reads this SOP class (for Add-CocoImage to route annotation objects here).</summary>
        public static bool IsAnnotationObject(string? sopClassUid) =>
            sopClassUid != null && DicomAnnotationConverters.All.Any(c => c.CanConvert(sopClassUid));

        /// <summary>Reads one file's header and converts it when it is an annotation object.</summary>
        public DicomImportOutcome Import(string path)
        {
            DicomHeader header;
            try
            {
                header = DicomReader.ReadHeader(path);
            }
            catch (DicomException e) when (e.ErrorId == "NotDicom")
            {
                return Record(new DicomImportOutcome(path, DicomImportStatus.NotAnnotationObject) { PassedOverReason = "not DICOM" });
            }
            catch (CocoToolsException e)
            {
                return Record(new DicomImportOutcome(path, DicomImportStatus.Failed) { Error = e, ErrorKind = KindOf(e) });
            }

            return Import(header);
        }

        /// <summary>
        /// The kind of a failure the DICOM reader or a pixel decoder reported in its own words, for reading the object
        /// and for converting it alike: a cut file is Truncated, a file that cannot be read ReadFailed, what the module
        /// does not decode Unsupported, anything else Broken.
        /// </summary>
        private static DicomAnnotationErrorKind KindOf(CocoToolsException e) =>
            e.ErrorId == "DicomTruncated" || e.ErrorId == "PixelDataTruncated" ? DicomAnnotationErrorKind.Truncated
            : e.Kind == FailureKind.ReadError || e.Kind == FailureKind.ObjectNotFound ? DicomAnnotationErrorKind.ReadFailed
            : e.Kind == FailureKind.NotImplemented ? DicomAnnotationErrorKind.Unsupported
            : DicomAnnotationErrorKind.Broken;

        /// <summary>Converts an object already read (its <see cref="DicomHeader.SourcePath"/> is the file).</summary>
        public DicomImportOutcome Import(DicomHeader header)
        {
            string path = header.SourcePath ?? "<stream>";
            string? sopClass = header.SopClassUid;
            var converter = sopClass == null ? null : _converters.FirstOrDefault(c => c.CanConvert(sopClass));
            if (converter == null)
            {
                return Record(new DicomImportOutcome(path, DicomImportStatus.NotAnnotationObject)
                {
                    PassedOverReason = $"not an annotation object (SOP Class {sopClass ?? "unknown"}, modality {header.Modality ?? "unknown"})",
                });
            }

            if (_placement == null || _placement.ImageCount != _dataset.Images.Count)
            {
                _placement = ImagePlacementIndex.Build(_dataset);
            }

            DicomConversion conversion;
            try
            {
                conversion = converter.Convert(header, new DicomAnnotationContext(_dataset, _placement, _options));
            }
            catch (DicomAnnotationException e)
            {
                return Record(new DicomImportOutcome(path, DicomImportStatus.Failed) { ObjectKind = converter.ObjectKind, SopInstanceUid = header.SopInstanceUid, Error = e, ErrorKind = e.ErrorKind });
            }
            catch (CocoToolsException e)
            {
                // The pixel decoders and readers below the converter speak in their own ids; keep them, with a kind.
                return Record(new DicomImportOutcome(path, DicomImportStatus.Failed) { ObjectKind = converter.ObjectKind, SopInstanceUid = header.SopInstanceUid, Error = e, ErrorKind = KindOf(e) });
            }

            if (conversion.PassedOverReason != null)
            {
                return Record(new DicomImportOutcome(path, DicomImportStatus.NotAnnotationObject) { ObjectKind = converter.ObjectKind, SopInstanceUid = header.SopInstanceUid, PassedOverReason = conversion.PassedOverReason });
            }

            var outcome = new DicomImportOutcome(path, DicomImportStatus.Converted)
            {
                ObjectKind = converter.ObjectKind,
                SopInstanceUid = header.SopInstanceUid,
                NotPlaced = conversion.NotPlaced,
                Notes = conversion.Notes,
                Counts = conversion.Counts,
            };
            Apply(conversion, outcome);
            return Record(outcome);
        }

        /// <summary>Adds a conversion to the dataset: categories by name (created when missing), then the annotations.</summary>
        private void Apply(DicomConversion conversion, DicomImportOutcome outcome)
        {
            var created = new List<CocoCategory>();
            var ids = new Dictionary<DicomCategorySpec, long>();
            foreach (var item in conversion.Annotations)
            {
                if (ids.ContainsKey(item.Category))
                {
                    continue;
                }

                var category = _dataset.Categories.FindByName(item.Category.Name);
                if (category == null)
                {
                    category = new CocoCategory { Name = item.Category.Name, Supercategory = item.Category.Supercategory, Color = item.Category.Color, Keypoints = item.Category.Keypoints };
                    foreach (var member in item.Category.Members)
                    {
                        category.Extra.Set(member.Key, member.Value);
                    }

                    _dataset.Categories.AddNew(category);
                    created.Add(category);
                }
                else if (category.Keypoints == null && item.Category.Keypoints != null)
                {
                    // Points of a category that so far had outlines only (an SR finding drawn both ways): name the keypoint.
                    category.Keypoints = item.Category.Keypoints;
                }

                ids.Add(item.Category, category.Id);
            }

            var added = new List<CocoAnnotation>(conversion.Annotations.Count);
            foreach (var item in conversion.Annotations)
            {
                item.Annotation.CategoryId = ids[item.Category];
                _dataset.Annotations.AddNew(item.Annotation);
                added.Add(item.Annotation);
            }

            outcome.Added = added;
            outcome.CategoriesAdded = created;
        }

        private DicomImportOutcome Record(DicomImportOutcome outcome)
        {
            Summary.Add(outcome);
            return outcome;
        }
    }
}
