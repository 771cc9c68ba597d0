using System;
using System.Collections.Generic;
using System.Text;

namespace CocoTools.Engine.Tabular
{
    /// <summary>What a column of an annotation list holds.</summary>
    public enum AnnotationColumnRole
    {
        /// <summary>Nothing CocoTools reads: kept in the annotation's <c>attributes</c>.</summary>
        Attribute,
#pragma warning disable CS1591 // Each names the column it is.
        AnnotationId,
        ImageId,
        ImageName,
        Frame,
        CategoryName,
        CategoryId,
        Supercategory,
        Bbox,
        X,
        Y,
        Width,
        Height,
        XMin,
        YMin,
        XMax,
        YMax,
        Segmentation,
        EncodedPixels,
        Rle,
        RleCounts,
        Keypoints,
        Caption,
        IsCrowd,
        Score,
        Area,
#pragma warning restore CS1591
    }

    /// <summary>
    /// The column spellings annotation lists use, bound by name without renaming: headers are compared in lower case
    /// with everything but letters and digits removed, so <c>Image Index</c>, <c>image_id</c>, <c>ImageId</c>,
    /// <c>Bbox [x</c>, <c>h]</c>, <c>x_min</c> and <c>Finding Label</c> all bind. Where a list has several columns for
    /// one thing, the earlier spelling in this table wins and the others stay attributes.
    /// </summary>
    public static class AnnotationColumns
    {
        /// <summary>The accepted spellings (normalized), in priority order per role.</summary>
        public static IReadOnlyList<(AnnotationColumnRole Role, string[] Spellings)> Table { get; } = new (AnnotationColumnRole, string[])[]
        {
            (AnnotationColumnRole.AnnotationId, new[] { "annotationid", "annid", "id" }),
            (AnnotationColumnRole.ImageId, new[] { "imageid", "image" }),
            (AnnotationColumnRole.ImageName, new[] { "filename", "file", "imagefile", "imagename", "path", "imagepath", "filepath", "sopinstanceuid", "imageindex", "patientid", "dicomweburl", "cocourl" }),
            (AnnotationColumnRole.Frame, new[] { "frame", "framenumber", "frameindex", "frameno" }),
            (AnnotationColumnRole.CategoryName, new[] { "category", "categoryname", "classname", "class", "label", "labelname", "findinglabel", "finding", "findings", "target" }),
            (AnnotationColumnRole.CategoryId, new[] { "categoryid", "classid", "labelid" }),
            (AnnotationColumnRole.Supercategory, new[] { "supercategory" }),
            (AnnotationColumnRole.Bbox, new[] { "bbox", "box", "boundingbox" }),
            (AnnotationColumnRole.X, new[] { "x", "bboxx", "left" }),
            (AnnotationColumnRole.Y, new[] { "y", "bboxy", "top" }),
            (AnnotationColumnRole.Width, new[] { "width", "w", "bboxw", "boxwidth" }),
            (AnnotationColumnRole.Height, new[] { "height", "h", "bboxh", "boxheight" }),
            (AnnotationColumnRole.XMin, new[] { "xmin", "x1", "minx" }),
            (AnnotationColumnRole.YMin, new[] { "ymin", "y1", "miny" }),
            (AnnotationColumnRole.XMax, new[] { "xmax", "x2", "maxx" }),
            (AnnotationColumnRole.YMax, new[] { "ymax", "y2", "maxy" }),
            (AnnotationColumnRole.Segmentation, new[] { "segmentation", "polygon", "polygons", "points", "poly", "vertices" }),
            (AnnotationColumnRole.EncodedPixels, new[] { "encodedpixels" }),
            (AnnotationColumnRole.Rle, new[] { "rle", "rlemask" }),
            (AnnotationColumnRole.RleCounts, new[] { "counts" }),
            (AnnotationColumnRole.Keypoints, new[] { "keypoints", "kpts" }),
            (AnnotationColumnRole.Caption, new[] { "caption" }),
            (AnnotationColumnRole.IsCrowd, new[] { "iscrowd", "crowd" }),
            (AnnotationColumnRole.Score, new[] { "score", "confidence", "conf", "probability" }),
            (AnnotationColumnRole.Area, new[] { "area" }),
        };

        /// <summary>Lower case, letters and digits only: how headers are compared.</summary>
        public static string Normalize(string name)
        {
            var sb = new StringBuilder(name.Length);
            foreach (char c in name)
            {
                if (char.IsLetterOrDigit(c))
                {
                    sb.Append(char.ToLowerInvariant(c));
                }
            }

            return sb.ToString();
        }
    }

    /// <summary>Which column holds what, for one header: resolved once per list, then used for every row.</summary>
    public sealed class AnnotationHeader
    {
        private readonly int[] _columns;
        private readonly Dictionary<string, int> _byNormalizedName = new Dictionary<string, int>(StringComparer.Ordinal);
        private System.Text.Json.JsonEncodedText[]? _encodedNames;

        /// <summary>Binds the columns of a header.</summary>
        public AnnotationHeader(IReadOnlyList<string> names)
        {
            Names = names;
            var roles = (AnnotationColumnRole[])Enum.GetValues(typeof(AnnotationColumnRole));
            _columns = new int[roles.Length];
            for (int i = 0; i < _columns.Length; i++)
            {
                _columns[i] = -1;
            }

            for (int i = 0; i < names.Count; i++)
            {
                string normal = AnnotationColumns.Normalize(names[i]);
                if (!_byNormalizedName.ContainsKey(normal))
                {
                    _byNormalizedName.Add(normal, i);
                }
            }

            IsBound = new bool[names.Count];
            foreach (var (role, spellings) in AnnotationColumns.Table)
            {
                foreach (var spelling in spellings)
                {
                    if (_byNormalizedName.TryGetValue(spelling, out int column) && !IsBound[column])
                    {
                        _columns[(int)role] = column;
                        IsBound[column] = true;
                        break;
                    }
                }
            }
        }

        /// <summary>The column names as given.</summary>
        public IReadOnlyList<string> Names { get; }

        /// <summary>The column names, JSON-encoded once, for writing attributes.</summary>
        public System.Text.Json.JsonEncodedText[] EncodedNames => _encodedNames ??= EncodeNames();

        /// <summary>Per column: true when a role reads it (the others become attributes).</summary>
        public bool[] IsBound { get; }

        /// <summary>The column of a role, or -1.</summary>
        public int this[AnnotationColumnRole role] => _columns[(int)role];

        /// <summary>The column whose normalized name is this, or -1 (for keypoint-name columns).</summary>
        public int Find(string normalizedName) => _byNormalizedName.TryGetValue(normalizedName, out int column) ? column : -1;

        private System.Text.Json.JsonEncodedText[] EncodeNames()
        {
            var encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
            var names = new System.Text.Json.JsonEncodedText[Names.Count];
            for (int i = 0; i < names.Length; i++)
            {
                names[i] = System.Text.Json.JsonEncodedText.Encode(Names[i], encoder);
            }

            return names;
        }

        /// <summary>The roles bound, for messages.</summary>
        public IEnumerable<(AnnotationColumnRole Role, string Column)> Bindings()
        {
            for (int r = 0; r < _columns.Length; r++)
            {
                if (_columns[r] >= 0)
                {
                    yield return ((AnnotationColumnRole)r, Names[_columns[r]]);
                }
            }
        }
    }
}
