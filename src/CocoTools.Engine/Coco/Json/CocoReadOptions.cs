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

        /// <summary>
        /// When set, the read streams: each standard image and annotation goes to the sink as soon as it is parsed and
        /// is not kept, so the dataset read holds only info, licenses, categories and unknown top-level members.
        /// </summary>
        internal ICocoRecordSink? RecordSink { get; set; }
    }

    /// <summary>Takes the records of a streaming read (<see cref="CocoReadOptions.RecordSink"/>) one at a time, in file order.</summary>
    internal interface ICocoRecordSink
    {
        /// <summary>An image with an integer id, as parsed (no reference checked yet).</summary>
        void Image(CocoImage image);

        /// <summary>An annotation with integer id and image_id and no viewer construct, as parsed (references not checked).</summary>
        void Annotation(CocoAnnotation annotation);

        /// <summary>
        /// Called once at the end when some records could not be streamed (viewer flavour, attribute records, panoptic
        /// entries): the file needs a whole-file read to be resolved.
        /// </summary>
        void HeldBack(int records);
    }
}
