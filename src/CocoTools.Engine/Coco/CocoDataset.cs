using System.Collections.Generic;
using System.Linq;

namespace CocoTools.Engine.Coco
{
    /// <summary>
    /// A COCO dataset in memory: info, licences, images, annotations (object-level and panoptic) and
    /// categories, with integer ids and indexes by id, file name and category name.
    /// </summary>
    public sealed class CocoDataset
    {
        /// <summary>The <c>info</c> object.</summary>
        public CocoInfo Info { get; set; } = new CocoInfo();

        /// <summary>The <c>licenses</c> list.</summary>
        public CocoLicenseCollection Licenses { get; } = new CocoLicenseCollection();

        /// <summary>The <c>images</c> list.</summary>
        public CocoImageCollection Images { get; }

        /// <summary>Object-level annotations: detection, keypoints, stuff, captions, results.</summary>
        public CocoAnnotationCollection Annotations { get; } = new CocoAnnotationCollection();

        /// <summary>Creates an empty dataset.</summary>
        public CocoDataset()
        {
            Images = new CocoImageCollection(Annotations);
            Annotations.Categories = Categories;
        }

        /// <summary>Panoptic annotations (one per image, with <c>segments_info</c>).</summary>
        public List<CocoPanopticAnnotation> PanopticAnnotations { get; } = new List<CocoPanopticAnnotation>();

        /// <summary>The <c>categories</c> list.</summary>
        public CocoCategoryCollection Categories { get; } = new CocoCategoryCollection();

        /// <summary>Top-level members the model does not name, kept verbatim.</summary>
        public JsonMemberBag Extra { get; } = new JsonMemberBag();

        /// <summary>The file the dataset was read from, if any.</summary>
        public string? SourcePath { get; set; }

        /// <summary>A name for display, such as the split a dataset is ("train"); not written to files.</summary>
        public string? Name { get; set; }

        /// <summary>The layout the source file had.</summary>
        public CocoFlavor SourceFlavor { get; set; } = CocoFlavor.Standard;

        /// <summary>
        /// The secret <c>PatientHash</c> is keyed with (random unless a salt is given). Held in memory only, never
        /// written to a file nor shown, so the hash cannot be turned back into a Patient ID.
        /// </summary>
        internal byte[]? PatientHashKey { get; private set; }

        /// <summary>
        /// Keys the <c>PatientHash</c> of images added from now on: with <paramref name="salt"/> (shared by datasets
        /// that must group the same patients), else with the dataset's own random secret, made on first use.
        /// </summary>
        public void UsePatientSalt(string? salt)
        {
            if (salt != null)
            {
                PatientHashKey = System.Text.Encoding.UTF8.GetBytes(salt);
            }
            else if (PatientHashKey == null)
            {
                var key = new byte[32];
                using (var random = System.Security.Cryptography.RandomNumberGenerator.Create())
                {
                    random.GetBytes(key);
                }

                PatientHashKey = key;
            }
        }

        /// <summary>Carries a key over (a merge or split keeps the inputs' secret, so their hashes stay comparable).</summary>
        internal void SetPatientHashKey(byte[]? key) => PatientHashKey = key;

        /// <summary>Scan options that hash patients with this dataset's secret (see <see cref="UsePatientSalt"/>).</summary>
        public Imaging.ImageScanOptions ScanOptions(string? salt = null)
        {
            UsePatientSalt(salt);
            return new Imaging.ImageScanOptions { PatientSalt = PatientHashKey };
        }

        /// <summary>What was repaired on import, one entry per kind of repair.</summary>
        public List<CocoRepair> Repairs { get; } = new List<CocoRepair>();

        /// <summary>The annotation kinds present.</summary>
        public CocoAnnotationKind Kinds
        {
            get
            {
                var kinds = CocoAnnotationKind.None;
                if (PanopticAnnotations.Count > 0)
                {
                    kinds |= CocoAnnotationKind.Panoptic;
                }

                var stuff = new HashSet<long>(Categories.Where(c => c.IsThing == 0).Select(c => c.Id));
                foreach (var a in Annotations)
                {
                    kinds |= a.CategoryId is long c && stuff.Contains(c) ? CocoAnnotationKind.Stuff : a.Kind;
                }

                return kinds;
            }
        }

        /// <summary>
        /// The order of entries in a viewer-flavour source, so that writing that flavour back reproduces it;
        /// null for datasets that did not come from such a file.
        /// </summary>
        internal List<ViewerEntry>? ViewerLayout { get; set; }

        /// <summary>One-line description: counts and kinds.</summary>
        public override string ToString() =>
            $"{Count(Images.Count, "image")}, {Count(Annotations.Count + PanopticAnnotations.Count, "annotation")}, {Count(Categories.Count, "category", "categories")} ({Kinds})";

        private static string Count(int n, string one, string? many = null) => $"{n} {(n == 1 ? one : many ?? one + "s")}";
    }

    /// <summary>The JSON layouts CocoTools reads and writes.</summary>
    public enum CocoFlavor
    {
        /// <summary>Standard COCO as pycocotools, detectron2 and mmdetection read it.</summary>
        Standard,
        /// <summary>
        /// The export of the DICOM annotation viewer: DICOMweb URLs as image ids, UUID annotation ids shared by
        /// the parts of one object, category names in <c>category_id</c>, flat segmentations, attribute records.
        /// </summary>
        Viewer,
    }

    /// <summary>One kind of repair applied while importing a non-standard file.</summary>
    public sealed class CocoRepair
    {
        internal CocoRepair(string kind, int count, string description)
        {
            Kind = kind;
            Count = count;
            Description = description;
        }

        /// <summary>Stable name of the repair, e.g. <c>StringImageId</c>.</summary>
        public string Kind { get; }

        /// <summary>How many times it was applied.</summary>
        public int Count { get; internal set; }

        /// <summary>What was done, for logs.</summary>
        public string Description { get; }

        /// <inheritdoc />
        public override string ToString() => $"{Kind} x{Count}: {Description}";
    }

    /// <summary>One entry of a viewer-flavour annotations array: a polygon part or an attribute record.</summary>
    internal readonly struct ViewerEntry
    {
        public ViewerEntry(CocoAnnotation annotation, int part)
        {
            Annotation = annotation;
            Part = part;
            Image = null;
            AttributeName = null;
            ValueIndex = 0;
        }

        public ViewerEntry(CocoImage image, string attributeName, int valueIndex)
        {
            Annotation = null;
            Part = 0;
            Image = image;
            AttributeName = attributeName;
            ValueIndex = valueIndex;
        }

        public CocoAnnotation? Annotation { get; }

        public int Part { get; }

        public CocoImage? Image { get; }

        public string? AttributeName { get; }

        public int ValueIndex { get; }
    }
}
