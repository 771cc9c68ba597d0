// The contract between the importer and the converters of DICOM annotation objects (SEG, RTSTRUCT, SR):
//
// - DicomAnnotationImporter reads each file's header with the engine's own DICOM reader (Dicom/DicomReader; the pixel
//   data is located, not read), picks the first converter in DicomAnnotationConverters.All whose CanConvert accepts
//   the SOP Class UID, and hands it the header and a DicomAnnotationContext. Files no converter accepts come back as
//   DicomImportStatus.NotAnnotationObject; they are not errors.
// - A converter never changes the dataset. It returns a DicomConversion: the new annotations (CocoAnnotation with
//   ImageId, segmentation, bbox, area, iscrowd and attributes filled, CategoryId left unset) each with the
//   DicomCategorySpec it belongs to; the items it could not place (DicomNotPlaced: which item, why, which SOP instance
//   it names); notes for the user (one line each, e.g. "the named image's Frame of Reference differs"); and counters
//   for the summary (Count("kept as RLE (holes)") ...). The importer then adds all of it at once, resolving
//   categories by name as the rest of the module does (exact, then ignoring case) and creating the missing ones.
// - An object of an accepted SOP class that turns out not to be an annotation object (an SR without a TID 1500
//   measurement report) is passed over: return DicomConversion.PassOver("why"); it is not an error.
// - A problem that spoils the object (broken, truncated, a frame whose size differs from its image, a contour off
//   the plane of the image it names) is thrown as DicomAnnotationException with its DicomAnnotationErrorKind, naming
//   the file and the item: nothing of that object is added, the batch goes on. A referenced image that is not in the
//   dataset is not an exception: report it in NotPlaced (kind ImageMissing) and convert the rest.
// - Geometry: context.Placement finds images by (SOP Instance UID, frame) and by (Frame of Reference UID, patient
//   points); PlacedImage.Plane (DicomObjects/ImagePlane) maps patient mm to COCO pixel coordinates.
// - No patient name, id or birth date in anything a converter returns (messages, attributes, categories).
using System.Collections.Generic;
using CocoTools.Engine.Coco;
using CocoTools.Engine.Dicom;

namespace CocoTools.Engine.Operations.DicomAnnotations
{
    /// <summary>Turns one kind of DICOM annotation object into COCO annotations (see the contract at the top of this file).</summary>
    public interface IDicomAnnotationConverter
    {
        /// <summary>The kind of object, for summaries and messages: SEG, RTSTRUCT, SR.</summary>
        string ObjectKind { get; }

        /// <summary>True for the SOP classes this converter reads.</summary>
        bool CanConvert(string sopClassUid);

        /// <summary>
        /// Converts one object read as <paramref name="header"/> (its file is <see cref="DicomHeader.SourcePath"/>; the
        /// pixel data, if any, is located there but not read). Throws <see cref="DicomAnnotationException"/> for what spoils the object.
        /// </summary>
        DicomConversion Convert(DicomHeader header, DicomAnnotationContext context);
    }

    /// <summary>How SEG masks are written.</summary>
    public enum DicomSegmentationFormat
    {
        /// <summary>Compressed RLE of the source image's size (default).</summary>
        Rle,
        /// <summary>Polygons traced from the mask; masks with holes stay RLE.</summary>
        Polygon,
    }

    /// <summary>What the user chose for the conversion of annotation objects.</summary>
    public sealed class DicomAnnotationOptions
    {
        /// <summary>A FRACTIONAL SEG pixel is in the segment when value >= this x Maximum Fractional Value. Default 0.5.</summary>
        public double FractionalThreshold { get; set; } = 0.5;

        /// <summary>RLE (default) or polygons for SEG masks.</summary>
        public DicomSegmentationFormat SegmentationFormat { get; set; } = DicomSegmentationFormat.Rle;
    }

    /// <summary>What a converter gets besides the object: the dataset (to read), where its images are, the options.</summary>
    public sealed class DicomAnnotationContext
    {
        internal DicomAnnotationContext(CocoDataset dataset, ImagePlacementIndex placement, DicomAnnotationOptions options)
        {
            Dataset = dataset;
            Placement = placement;
            Options = options;
        }

        /// <summary>The dataset the annotations will be added to; read it, never change it.</summary>
        public CocoDataset Dataset { get; }

        /// <summary>Finds the images the object refers to.</summary>
        public ImagePlacementIndex Placement { get; }

        /// <summary>The user's options.</summary>
        public DicomAnnotationOptions Options { get; }

        /// <summary>The dataset's category of this name (exact, then ignoring case, as the module matches names); null when new.</summary>
        public CocoCategory? FindCategory(string name) => Dataset.Categories.FindByName(name);
    }

    /// <summary>A category an annotation belongs to, created by name when the dataset has none of that name.</summary>
    public sealed class DicomCategorySpec
    {
        /// <summary>A category of this name.</summary>
        public DicomCategorySpec(string name)
        {
            Name = name;
        }

        /// <summary>The name (Segment Label, ROI Name, Finding ...).</summary>
        public string Name { get; }

        /// <summary>The <c>supercategory</c> of a new category.</summary>
        public string? Supercategory { get; set; }

        /// <summary>The <c>color</c> [r, g, b] of a new category.</summary>
        public int[]? Color { get; set; }

        /// <summary>The <c>keypoints</c> names of a new category (point annotations).</summary>
        public IReadOnlyList<string>? Keypoints { get; set; }

        /// <summary>Further members of a new category (e.g. <c>dicom</c>: coded property type, algorithm type).</summary>
        public IDictionary<string, object?> Members { get; } = new SortedDictionary<string, object?>(System.StringComparer.Ordinal);
    }

    /// <summary>One annotation a converter made, with its category.</summary>
    public sealed class DicomNewAnnotation
    {
        /// <summary>An annotation (ImageId set, CategoryId unset) of a category.</summary>
        public DicomNewAnnotation(CocoAnnotation annotation, DicomCategorySpec category)
        {
            Annotation = annotation;
            Category = category;
        }

        /// <summary>The annotation.</summary>
        public CocoAnnotation Annotation { get; }

        /// <summary>Its category.</summary>
        public DicomCategorySpec Category { get; }
    }

    /// <summary>One item of an object that was not placed on an image.</summary>
    public sealed class DicomNotPlaced
    {
        /// <summary>Records an item not placed.</summary>
        public DicomNotPlaced(string item, DicomAnnotationErrorKind reason, string? referencedSopInstanceUid)
        {
            Item = item;
            Reason = reason;
            ReferencedSopInstanceUid = referencedSopInstanceUid;
        }

        /// <summary>Which item: "frame 3", "ROI 2 contour 5", "measurement group 1".</summary>
        public string Item { get; }

        /// <summary>Why (ImageMissing, NotPlaceable ...).</summary>
        public DicomAnnotationErrorKind Reason { get; }

        /// <summary>The SOP Instance UID the item names, when it names one.</summary>
        public string? ReferencedSopInstanceUid { get; }
    }

    /// <summary>What a converter made of one object; applied to the dataset all at once by the importer.</summary>
    public sealed class DicomConversion
    {
        private readonly SortedDictionary<string, int> _counts = new SortedDictionary<string, int>(System.StringComparer.Ordinal);

        /// <summary>The new annotations with their categories.</summary>
        public List<DicomNewAnnotation> Annotations { get; } = new List<DicomNewAnnotation>();

        /// <summary>The items not placed.</summary>
        public List<DicomNotPlaced> NotPlaced { get; } = new List<DicomNotPlaced>();

        /// <summary>Notes for the user (warnings), one line each, without the file name.</summary>
        public List<string> Notes { get; } = new List<string>();

        /// <summary>Counters for the summary, by what they count ("kept as RLE (holes)").</summary>
        public IReadOnlyDictionary<string, int> Counts => _counts;

        /// <summary>Set when the object is not an annotation object after all (see <see cref="PassOver"/>): why.</summary>
        public string? PassedOverReason { get; private set; }

        /// <summary>A result saying the object is not an annotation object after all (an SR without a measurement report): passed over, not an error.</summary>
        public static DicomConversion PassOver(string reason) => new DicomConversion { PassedOverReason = reason };

        /// <summary>Adds to a summary counter.</summary>
        public void Count(string what, int by = 1) => _counts[what] = (_counts.TryGetValue(what, out int n) ? n : 0) + by;
    }
}
