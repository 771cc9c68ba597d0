using System.Collections.Generic;

namespace CocoTools.Engine.Coco
{
    /// <summary>A COCO <c>categories</c> record, including the keypoint and panoptic members.</summary>
    public sealed class CocoCategory : CocoEntity
    {
        private string _name = string.Empty;

        /// <summary>The category name.</summary>
        public string Name
        {
            get => _name;
            set
            {
                _name = value ?? string.Empty;
                Owner?.OnIndexedFieldChanged();
            }
        }

        /// <summary>The <c>supercategory</c> member.</summary>
        public string? Supercategory { get; set; }

        /// <summary>Keypoint names, for keypoint categories.</summary>
        public IReadOnlyList<string>? Keypoints { get; set; }

        /// <summary>Skeleton edges as 1-based keypoint index pairs.</summary>
        public IReadOnlyList<int[]>? Skeleton { get; set; }

        /// <summary>Panoptic <c>isthing</c>: 1 for countable things, 0 for stuff.</summary>
        public int? IsThing { get; set; }

        /// <summary>Panoptic display colour <c>[r, g, b]</c>.</summary>
        public int[]? Color { get; set; }

        /// <summary>A detached copy with the same id and members.</summary>
        public CocoCategory Clone()
        {
            var copy = (CocoCategory)MemberwiseClone();
            copy.Owner = null;
            copy.CopyExtraFrom(this);
            return copy;
        }

        /// <inheritdoc />
        public override string ToString() => $"{Id}: {Name}";
    }
}
