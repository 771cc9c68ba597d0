using System;
using System.Collections.Generic;
using System.Linq;

namespace CocoTools.Engine.Coco
{
    /// <summary>An annotation's segmentation: a list of polygons or a run-length encoded mask.</summary>
    public abstract class CocoSegmentation
    {
        private protected CocoSegmentation()
        {
        }
    }

    /// <summary>One or more polygons, each a flat <c>[x1, y1, x2, y2, ...]</c> list.</summary>
    public sealed class CocoPolygonSegmentation : CocoSegmentation
    {
        /// <summary>Creates a segmentation from polygons (the arrays are kept, not copied).</summary>
        public CocoPolygonSegmentation(IReadOnlyList<double[]> polygons)
        {
            Polygons = polygons ?? throw new ArgumentNullException(nameof(polygons));
        }

        /// <summary>The polygons, each a flat coordinate list.</summary>
        public IReadOnlyList<double[]> Polygons { get; }

        /// <summary>Total number of vertices over all polygons.</summary>
        public int VertexCount => Polygons.Sum(p => p.Length / 2);

        /// <inheritdoc />
        public override string ToString() => Polygons.Count == 1 ? $"polygon ({Polygons[0].Length / 2} points)" : $"{Polygons.Count} polygons ({VertexCount} points)";
    }

    /// <summary>
    /// A run-length encoded mask in COCO's column-major order: either uncompressed <see cref="Counts"/>
    /// or the compressed <see cref="CompressedCounts"/> string, as it was read or written.
    /// </summary>
    public sealed class CocoRleSegmentation : CocoSegmentation
    {
        /// <summary>An uncompressed RLE.</summary>
        public CocoRleSegmentation(int height, int width, uint[] counts)
        {
            Height = height;
            Width = width;
            Counts = counts ?? throw new ArgumentNullException(nameof(counts));
        }

        /// <summary>A compressed RLE (the pycocotools counts string).</summary>
        public CocoRleSegmentation(int height, int width, string compressedCounts)
        {
            Height = height;
            Width = width;
            CompressedCounts = compressedCounts ?? throw new ArgumentNullException(nameof(compressedCounts));
        }

        /// <summary>Mask height (the first number of <c>size</c>).</summary>
        public int Height { get; }

        /// <summary>Mask width (the second number of <c>size</c>).</summary>
        public int Width { get; }

        /// <summary>Run lengths, starting with a run of zeros; null when compressed.</summary>
        public uint[]? Counts { get; }

        /// <summary>The compressed counts string; null when uncompressed.</summary>
        public string? CompressedCounts { get; }

        /// <summary>True for the compressed string form.</summary>
        public bool IsCompressed => CompressedCounts != null;

        /// <inheritdoc />
        public override string ToString() => $"RLE {Height}x{Width}{(IsCompressed ? " (compressed)" : string.Empty)}";
    }
}
