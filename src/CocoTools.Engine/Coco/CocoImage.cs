namespace CocoTools.Engine.Coco
{
    /// <summary>A COCO <c>images</c> record.</summary>
    public sealed class CocoImage : CocoEntity
    {
        private string? _fileName;

        /// <summary>Width in pixels; null when the file did not give one.</summary>
        public int? Width { get; set; }

        /// <summary>Height in pixels; null when the file did not give one.</summary>
        public int? Height { get; set; }

        /// <summary>The image's path, relative to the image root, with forward slashes.</summary>
        public string? FileName
        {
            get => _fileName;
            set
            {
                _fileName = value;
                Owner?.OnIndexedFieldChanged();
            }
        }

        /// <summary>The <c>license</c> id.</summary>
        public long? License { get; set; }

        /// <summary>The <c>flickr_url</c> member.</summary>
        public string? FlickrUrl { get; set; }

        /// <summary>The <c>coco_url</c> member; a <c>dicomweb://</c> URL for images of the DICOM viewer.</summary>
        public string? CocoUrl { get; set; }

        /// <summary>The <c>date_captured</c> member as written in the file.</summary>
        public string? DateCaptured { get; set; }

        /// <summary>How many annotations of its dataset name this image; null while the image belongs to none.</summary>
        public int? AnnotationCount => (Owner as CocoImageCollection)?.Annotations.ForImage(Id).Count;

        /// <summary>The DICOM modality (CT, MR, CR ...), for images read from DICOM files.</summary>
        public string? Modality => ExtraOrNull == null ? null : CocoImageDicom.Of(this)?.Modality;

        /// <summary>The frame number within a multi-frame DICOM object (1-based), when the image is one frame of several.</summary>
        public int? Frame => ExtraOrNull == null ? null : CocoImageDicom.Of(this)?.Frame;

        /// <summary>A detached copy with the same id and members.</summary>
        public CocoImage Clone()
        {
            var copy = (CocoImage)MemberwiseClone();
            copy.Owner = null;
            copy.CopyExtraFrom(this);
            return copy;
        }

        /// <inheritdoc />
        public override string ToString() => $"{Id}: {FileName} ({Width}x{Height}{(Frame is int f ? $", frame {f}" : string.Empty)})";
    }
}
