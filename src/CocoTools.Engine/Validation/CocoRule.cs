using System;
using System.Collections.Generic;
using System.Linq;

namespace CocoTools.Engine.Validation
{
    /// <summary>A validation rule: a stable id, a name, its severity and what it checks.</summary>
    public sealed class CocoRule
    {
        internal CocoRule(string id, string name, FindingSeverity severity, string title, string? hint = null)
        {
            Id = id;
            Name = name;
            Severity = severity;
            Title = title;
            Hint = hint;
        }

        /// <summary>The stable id, <c>COCO</c> and four digits.</summary>
        public string Id { get; }

        /// <summary>A short name.</summary>
        public string Name { get; }

        /// <summary>The severity of its findings.</summary>
        public FindingSeverity Severity { get; }

        /// <summary>What the rule checks, in one line.</summary>
        public string Title { get; }

        /// <summary>How to fix what it finds, when there is a known way.</summary>
        public string? Hint { get; }

        /// <inheritdoc />
        public override string ToString() => $"{Id} {Name}";
    }

    /// <summary>Every rule of <c>Test-CocoFile</c>, documented one by one in docs/Test-CocoFile-rules.md.</summary>
    public static class CocoRules
    {
        private const string Repairs = "Import-CocoJson repairs this (Import-CocoJson x.json | Export-CocoJson fixed.json).";

#pragma warning disable CS1591 // Each rule is documented in docs/Test-CocoFile-rules.md.
        public static readonly CocoRule JsonSyntax = new CocoRule("COCO1001", "JsonSyntax", FindingSeverity.Error, "The file is valid UTF-8 JSON.");
        public static readonly CocoRule Document = new CocoRule("COCO1002", "Document", FindingSeverity.Error, "The document is a JSON object (a results file: an array of detections).");
        public static readonly CocoRule Section = new CocoRule("COCO1003", "Section", FindingSeverity.Error, "images, annotations and categories are present and are arrays; info is an object.");
        public static readonly CocoRule FieldType = new CocoRule("COCO1101", "FieldType", FindingSeverity.Error, "Every known field has its COCO type (integer ids, numbers, strings, [x, y, w, h] boxes ...).");
        public static readonly CocoRule RequiredField = new CocoRule("COCO1102", "RequiredField", FindingSeverity.Error, "The fields each kind of file requires are present.");
        public static readonly CocoRule NonFinite = new CocoRule("COCO1103", "NonFinite", FindingSeverity.Error, "No NaN, Infinity or number too large for a double.");
        public static readonly CocoRule DuplicateId = new CocoRule("COCO1201", "DuplicateId", FindingSeverity.Error, "Image, annotation and category ids are unique.");
        public static readonly CocoRule UnknownImage = new CocoRule("COCO1202", "UnknownImage", FindingSeverity.Error, "Every image_id names an image of the file.");
        public static readonly CocoRule UnknownCategory = new CocoRule("COCO1203", "UnknownCategory", FindingSeverity.Error, "Every category_id names a category of the file.");
        public static readonly CocoRule ViewerLayout = new CocoRule("COCO1204", "ViewerLayout", FindingSeverity.Error, "No layouts of the DICOM annotation viewer's export: string ids, category names as category_id, nested annotations, attribute records.", Repairs);
        public static readonly CocoRule UnknownLicense = new CocoRule("COCO1205", "UnknownLicense", FindingSeverity.Warning, "An image's license names a license of the file.");
        public static readonly CocoRule FlatSegmentation = new CocoRule("COCO1301", "FlatSegmentation", FindingSeverity.Error, "A polygon segmentation is a list of polygons, not one flat list of numbers.", Repairs);
        public static readonly CocoRule PolygonTooShort = new CocoRule("COCO1302", "PolygonTooShort", FindingSeverity.Error, "Every polygon has at least 6 numbers (three points).");
        public static readonly CocoRule PolygonOddCount = new CocoRule("COCO1303", "PolygonOddCount", FindingSeverity.Error, "Every polygon has an even count of numbers (x, y pairs).");
        public static readonly CocoRule CoordinateOutsideImage = new CocoRule("COCO1304", "CoordinateOutsideImage", FindingSeverity.Warning, "Polygon vertices lie within the image (one pixel of slack).");
        public static readonly CocoRule BboxSize = new CocoRule("COCO1401", "BboxSize", FindingSeverity.Error, "A bbox has positive width and height.");
        public static readonly CocoRule BboxOutsideImage = new CocoRule("COCO1402", "BboxOutsideImage", FindingSeverity.Warning, "A bbox lies within its image (one pixel of slack).");
        public static readonly CocoRule BboxCorners = new CocoRule("COCO1403", "BboxCorners", FindingSeverity.Warning, "A bbox is [x, y, width, height], not the corners [x1, y1, x2, y2].", "Convert corner boxes to [x1, y1, x2 - x1, y2 - y1].");
        public static readonly CocoRule AreaMissing = new CocoRule("COCO1501", "AreaMissing", FindingSeverity.Error, "Annotations with geometry have an area, and it is not negative (COCOeval needs it).", "Export-CocoJson fills a missing area from the geometry.");
        public static readonly CocoRule AreaInconsistent = new CocoRule("COCO1502", "AreaInconsistent", FindingSeverity.Warning, "area agrees with the geometry: the polygons' shoelace area within 1% (+1 px²), the RLE's pixel count within a factor of 1.5; 0 only for geometry without area.");
        public static readonly CocoRule IsCrowdValue = new CocoRule("COCO1601", "IsCrowdValue", FindingSeverity.Error, "iscrowd is 0 or 1.");
        public static readonly CocoRule CrowdWithoutRle = new CocoRule("COCO1602", "CrowdWithoutRle", FindingSeverity.Warning, "An iscrowd 1 annotation carries an RLE segmentation, as COCO's crowd regions do.", "Export-CocoJson -SegmentationFormat Rle writes every segmentation as RLE.");
        public static readonly CocoRule RleCounts = new CocoRule("COCO1701", "RleCounts", FindingSeverity.Error, "RLE counts add up to height x width.");
        public static readonly CocoRule RleSize = new CocoRule("COCO1702", "RleSize", FindingSeverity.Error, "An RLE's size is its image's [height, width].");
        public static readonly CocoRule RleString = new CocoRule("COCO1703", "RleString", FindingSeverity.Error, "A compressed RLE string uses only the characters '0' to 'o' and ends a number where it ends.");
        public static readonly CocoRule KeypointsLength = new CocoRule("COCO1801", "KeypointsLength", FindingSeverity.Error, "keypoints has 3 numbers per keypoint name of its category.");
        public static readonly CocoRule KeypointVisibility = new CocoRule("COCO1802", "KeypointVisibility", FindingSeverity.Error, "Every keypoint visibility is 0, 1 or 2.");
        public static readonly CocoRule NumKeypoints = new CocoRule("COCO1803", "NumKeypoints", FindingSeverity.Warning, "num_keypoints is the count of keypoints with visibility above 0.");
        public static readonly CocoRule SkeletonIndex = new CocoRule("COCO1804", "SkeletonIndex", FindingSeverity.Error, "Skeleton edges are pairs of 1-based indexes of the category's keypoints.");
        public static readonly CocoRule CategoryIdZero = new CocoRule("COCO1901", "CategoryIdZero", FindingSeverity.Warning, "No category has id 0: several trainers take 0 for the background.");
        public static readonly CocoRule DuplicateCategoryName = new CocoRule("COCO1902", "DuplicateCategoryName", FindingSeverity.Warning, "Category names are unique.");
        public static readonly CocoRule DuplicateFileName = new CocoRule("COCO1903", "DuplicateFileName", FindingSeverity.Warning, "Image file_names are unique.");
        public static readonly CocoRule ImageSize = new CocoRule("COCO1904", "ImageSize", FindingSeverity.Error, "Image width and height are positive integers.");
        public static readonly CocoRule ImageWithoutAnnotations = new CocoRule("COCO1905", "ImageWithoutAnnotations", FindingSeverity.Info, "Every image has annotations (images without are often a mistake, sometimes intended negatives).");
        public static readonly CocoRule PanopticSegments = new CocoRule("COCO2001", "PanopticSegments", FindingSeverity.Error, "Panoptic segments_info ids are unique per image and non-zero.");
        public static readonly CocoRule PanopticPng = new CocoRule("COCO2002", "PanopticPng", FindingSeverity.Error, "With -PanopticRoot: each panoptic PNG exists, has its image's size, and holds exactly the segment ids of its segments_info.");
        public static readonly CocoRule CaptionEmpty = new CocoRule("COCO2101", "CaptionEmpty", FindingSeverity.Warning, "Captions are not empty.");
        public static readonly CocoRule ResultReference = new CocoRule("COCO2201", "ResultReference", FindingSeverity.Error, "With -GroundTruth: every detection names an image and a category of the ground truth.");
        public static readonly CocoRule ResultScore = new CocoRule("COCO2202", "ResultScore", FindingSeverity.Error, "Every detection has a finite numeric score.");
        public static readonly CocoRule ImageFileMissing = new CocoRule("COCO2301", "ImageFileMissing", FindingSeverity.Error, "With -ImageRoot: every image's file exists.");
        public static readonly CocoRule ImageFileSize = new CocoRule("COCO2302", "ImageFileSize", FindingSeverity.Error, "With -ImageRoot: every image file's real size (DICOM or raster header) is its width and height.");
        public static readonly CocoRule MoreFindings = new CocoRule("COCO9001", "MoreFindings", FindingSeverity.Info, "Summary: more findings of one rule than are listed one by one.");
#pragma warning restore CS1591

        private static readonly Lazy<IReadOnlyList<CocoRule>> AllRules = new Lazy<IReadOnlyList<CocoRule>>(() =>
            typeof(CocoRules).GetFields().Where(f => f.FieldType == typeof(CocoRule)).Select(f => (CocoRule)f.GetValue(null)!).OrderBy(r => r.Id, StringComparer.Ordinal).ToList());

        /// <summary>All rules, by id.</summary>
        public static IReadOnlyList<CocoRule> All => AllRules.Value;

        /// <summary>The rule with this id or name (case-insensitive), or null.</summary>
        public static CocoRule? Find(string idOrName) =>
            All.FirstOrDefault(r => string.Equals(r.Id, idOrName, StringComparison.OrdinalIgnoreCase) || string.Equals(r.Name, idOrName, StringComparison.OrdinalIgnoreCase));
    }
}
