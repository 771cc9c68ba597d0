using System.Collections.Generic;

namespace CocoTools.Engine.Validation
{
    /// <summary>What the cross-record rules need of an image, kept while the file streams past.</summary>
    internal sealed class ImageFacts
    {
        public int Index;
        public long Id;
        public int? Width;
        public int? Height;
        public string? FileName;
        public long? License;
        public bool HasAnnotations;
    }

    /// <summary>What the cross-record rules need of a category.</summary>
    internal sealed class CategoryFacts
    {
        public int Index;
        public long Id;
        public int? KeypointCount;
    }

    /// <summary>What the cross-record rules need of an annotation: compact, one per annotation.</summary>
    internal struct AnnotationFacts
    {
        public int Index;
        public long? ImageId;
        public long? CategoryId;
        public bool HasBox;
        public double BoxX, BoxY, BoxWidth, BoxHeight;

        /// <summary>Polygon vertex extents, when the segmentation is polygons.</summary>
        public bool HasPolygon;
        public double MinX, MinY, MaxX, MaxY;

        /// <summary>RLE size, when the segmentation is an RLE (0 otherwise).</summary>
        public int RleHeight, RleWidth;

        /// <summary>The number of keypoint triples given, or -1.</summary>
        public int KeypointTriples;
    }

    /// <summary>A panoptic annotation's segments, for the id and PNG rules.</summary>
    internal sealed class PanopticFacts
    {
        public int Index;
        public long? ImageId;
        public string? FileName;
        public List<(long Id, long? CategoryId, int Position)> Segments = new List<(long, long?, int)>();
    }
}
