namespace CocoTools.Engine.Coco
{
    /// <summary>A COCO <c>licenses</c> record.</summary>
    public sealed class CocoLicense : CocoEntity
    {
        /// <summary>The licence name.</summary>
        public string? Name { get; set; }

        /// <summary>The licence URL.</summary>
        public string? Url { get; set; }

        /// <summary>A detached copy with the same id and members.</summary>
        public CocoLicense Clone()
        {
            var copy = (CocoLicense)MemberwiseClone();
            copy.Owner = null;
            copy.CopyExtraFrom(this);
            return copy;
        }

        /// <inheritdoc />
        public override string ToString() => $"{Id}: {Name}";
    }
}
