using System;

namespace CocoTools.Engine.Coco.Json
{
    /// <summary>How <see cref="CocoJsonWriter"/> lays out a dataset.</summary>
    public sealed class CocoWriteOptions
    {
        /// <summary>Indent for people (default) or write compactly.</summary>
        public bool Indented { get; set; } = true;

        /// <summary>Standard COCO (default) or the DICOM viewer's layout.</summary>
        public CocoFlavor Flavor { get; set; } = CocoFlavor.Standard;

        /// <summary>Keep segmentations as they are (default) or write every one as compressed RLE.</summary>
        public CocoSegmentationFormat SegmentationFormat { get; set; } = CocoSegmentationFormat.Keep;

        /// <summary>Write the area and bbox COCO expects where an annotation has none (default); present values are never changed.</summary>
        public bool FillMissingGeometry { get; set; } = true;

        /// <summary>
        /// Written as info's <c>generator</c> member (replacing one already there) when set, e.g. "CocoTools 0.1.0"
        /// (<see cref="ToolVersion.Generator"/>); the dataset's own info, its <c>version</c> included, is kept.
        /// </summary>
        public string? Generator { get; set; }

        /// <summary>Told about each annotation whose segmentation cannot be converted; it is written unconverted.</summary>
        public Action<CocoToolsException>? OnAnnotationError { get; set; }

        /// <summary>Told (records written, records in all) every few thousand images and annotations: for progress bars.</summary>
        public Action<long, long>? Progress { get; set; }
    }

    /// <summary>How segmentations are written.</summary>
    public enum CocoSegmentationFormat
    {
        /// <summary>As they are in the dataset.</summary>
        Keep,
        /// <summary>Compressed RLE, exactly as pycocotools' <c>merge(frPyObjects(segmentation, h, w))</c>.</summary>
        Rle,
    }

    /// <summary>What a write did beyond copying the dataset.</summary>
    public sealed class CocoWriteReport
    {
        /// <summary>Annotations written with a computed area.</summary>
        public int FilledArea { get; internal set; }

        /// <summary>Annotations written with a computed bbox.</summary>
        public int FilledBbox { get; internal set; }

        /// <summary>Segmentations written as compressed RLE that were not.</summary>
        public int ConvertedToRle { get; internal set; }

        /// <summary>Annotations whose segmentation could not be converted.</summary>
        public int Failed { get; internal set; }
    }
}
