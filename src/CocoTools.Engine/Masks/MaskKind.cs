namespace CocoTools.Engine.Masks
{
    /// <summary>The kinds of per-image mask PNG.</summary>
    public enum MaskKind
    {
        /// <summary>8-bit grey (16-bit past 255), pixel = category id, 0 background.</summary>
        Semantic,
        /// <summary>16-bit grey, pixel = 1-based index of the annotation in the image, with a JSON sidecar.</summary>
        Instance,
        /// <summary>8-bit 0/255: the union of the selected annotations.</summary>
        Binary,
        /// <summary>COCO panoptic: RGB, segment id = R + 256 G + 256^2 B, with a panoptic JSON beside the folder.</summary>
        Panoptic,
    }
}
