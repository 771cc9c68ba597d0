using System.Collections.Generic;

namespace CocoTools.Engine.Coco
{
    /// <summary>A COCO panoptic <c>annotations</c> record: one per image, pointing at its segment PNG.</summary>
    public sealed class CocoPanopticAnnotation
    {
        private JsonMemberBag? _extra;

        /// <summary>The image.</summary>
        public long ImageId { get; set; }

        /// <summary>The PNG holding the segment ids (R + 256 G + 256^2 B).</summary>
        public string FileName { get; set; } = string.Empty;

        /// <summary>The segments in the PNG.</summary>
        public List<CocoPanopticSegment> SegmentsInfo { get; } = new List<CocoPanopticSegment>();

        /// <summary>Members the model does not name.</summary>
        public JsonMemberBag Extra => _extra ??= new JsonMemberBag();

        internal JsonMemberBag? ExtraOrNull => _extra;

        /// <inheritdoc />
        public override string ToString() => $"image {ImageId}: {FileName} ({SegmentsInfo.Count} segments)";

        /// <summary>A copy that shares no state with this one.</summary>
        public CocoPanopticAnnotation Clone()
        {
            var copy = new CocoPanopticAnnotation { ImageId = ImageId, FileName = FileName, _extra = _extra?.Clone() };
            foreach (var s in SegmentsInfo)
            {
                copy.SegmentsInfo.Add(s.Clone());
            }

            return copy;
        }
    }

    /// <summary>One entry of a panoptic annotation's <c>segments_info</c>.</summary>
    public sealed class CocoPanopticSegment
    {
        private JsonMemberBag? _extra;

        /// <summary>The segment id as encoded in the PNG.</summary>
        public long Id { get; set; }

        /// <summary>The category.</summary>
        public long CategoryId { get; set; }

        /// <summary>Pixel count.</summary>
        public double? Area { get; set; }

        /// <summary>Bounding box of the segment's pixels.</summary>
        public CocoBox? Bbox { get; set; }

        /// <summary>1 for a crowd region.</summary>
        public int? IsCrowd { get; set; }

        /// <summary>Members the model does not name.</summary>
        public JsonMemberBag Extra => _extra ??= new JsonMemberBag();

        internal JsonMemberBag? ExtraOrNull => _extra;

        /// <inheritdoc />
        public override string ToString() => $"segment {Id}: category {CategoryId}";

        /// <summary>A copy that shares no state with this one.</summary>
        public CocoPanopticSegment Clone() => new CocoPanopticSegment { Id = Id, CategoryId = CategoryId, Area = Area, Bbox = Bbox, IsCrowd = IsCrowd, _extra = _extra?.Clone() };
    }
}
