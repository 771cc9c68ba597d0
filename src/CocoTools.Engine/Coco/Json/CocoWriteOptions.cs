namespace CocoTools.Engine.Coco.Json
{
    /// <summary>How <see cref="CocoJsonWriter"/> lays out a dataset.</summary>
    public sealed class CocoWriteOptions
    {
        /// <summary>Indent for people (default) or write compactly.</summary>
        public bool Indented { get; set; } = true;

        /// <summary>Standard COCO (default) or the DICOM viewer's layout.</summary>
        public CocoFlavor Flavor { get; set; } = CocoFlavor.Standard;
    }
}
