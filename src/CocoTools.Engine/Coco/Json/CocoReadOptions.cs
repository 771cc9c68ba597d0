namespace CocoTools.Engine.Coco.Json
{
    /// <summary>How <see cref="CocoJsonReader"/> treats non-standard input.</summary>
    public sealed class CocoReadOptions
    {
        /// <summary>Refuse to repair the viewer flavour (string ids, flat segmentations, ...): report each as an error instead.</summary>
        public bool Strict { get; set; }

        /// <summary>Told (bytes read, file length) as the file is read, about once a megabyte: for progress bars.</summary>
        public System.Action<long, long>? Progress { get; set; }

        /// <summary>Starting read-buffer size in bytes; only tests change it, to exercise buffer refills.</summary>
        internal int? BufferSize { get; set; }
    }
}
