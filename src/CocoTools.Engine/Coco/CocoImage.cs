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

        /// <summary>A detached copy with the same id and members.</summary>
        public CocoImage Clone()
        {
            var copy = (CocoImage)MemberwiseClone();
            copy.Owner = null;
            copy.CopyExtraFrom(this);
            return copy;
        }

        /// <inheritdoc />
        public override string ToString() => $"{Id}: {FileName} ({Width}x{Height})";
    }
}
