using System.Collections.Generic;

namespace CocoTools.Engine.Coco
{
    /// <summary>
    /// The geometry the JSON reader and writer fill in (box, area, compressed RLE) but cannot compute themselves:
    /// it needs Masks/, which Coco/ never references. Operations/AnnotationGeometry implements it and registers
    /// itself in <see cref="CocoGeometry.Current"/> when the engine assembly loads, so the dependency points one way.
    /// </summary>
    public interface IAnnotationGeometry
    {
        /// <summary>The box spanning all vertices, or null when there are none.</summary>
        CocoBox? PolygonBox(IReadOnlyList<double[]> polygons);

        /// <summary>The area as COCO defines it (shoelace for polygons, pixel count for RLE), or null.</summary>
        double? ComputeArea(CocoAnnotation annotation);

        /// <summary>The bbox as COCO defines it, or null.</summary>
        CocoBox? ComputeBbox(CocoAnnotation annotation);

        /// <summary>The segmentation as compressed RLE counts (ASCII), or null; throws CocoToolsException when it cannot be.</summary>
        byte[]? ToCompressedRle(CocoAnnotation annotation, CocoImage? image);
    }

    /// <summary>Where the reader and writer find the geometry (set by Operations when the assembly loads).</summary>
    public static class CocoGeometry
    {
        /// <summary>The implementation in use.</summary>
        public static IAnnotationGeometry Current { get; internal set; } = null!;
    }
}
