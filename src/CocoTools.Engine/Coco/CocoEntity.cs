using System;

namespace CocoTools.Engine.Coco
{
    /// <summary>
    /// Base of every COCO record that has an integer id: images, annotations, categories, licenses.
    /// Members the model does not know are kept in <see cref="Extra"/> and written back verbatim.
    /// </summary>
    public abstract class CocoEntity
    {
        private long _id;
        private JsonMemberBag? _extra;

        /// <summary>The record's id. Fixed once the record belongs to a dataset (renumbering goes through the dataset).</summary>
        public long Id
        {
            get => _id;
            set
            {
                if (Owner != null && value != _id)
                {
                    throw new InvalidOperationException($"The id of a {GetType().Name} cannot change while it belongs to a dataset; remove it first or use the dataset's renumbering operations.");
                }

                _id = value;
            }
        }

        /// <summary>JSON members this model does not name, in file order.</summary>
        public JsonMemberBag Extra
        {
            get
            {
                // A bag shared with other records (equal attributes of a big list) is copied before it is handed out.
                if (_extra == null || _extra.IsShared)
                {
                    _extra = _extra?.Clone() ?? new JsonMemberBag();
                }

                return _extra;
            }
        }

        /// <summary>True when there is at least one unmodelled member.</summary>
        internal bool HasExtra => _extra != null && _extra.Count > 0;

        /// <summary>The collection the record belongs to; null while detached.</summary>
        internal ICocoEntityOwner? Owner { get; set; }

        internal void SetIdUnchecked(long id) => _id = id;

        /// <summary>Position in the source file's array, while a parse resolves references (for error pointers).</summary>
        internal int SourceIndex { get; set; }

        internal JsonMemberBag? ExtraOrNull => _extra;

        internal void CopyExtraFrom(CocoEntity other) => _extra = other._extra is { IsShared: true } shared ? shared : other._extra?.Clone();

        /// <summary>Makes a shared, frozen bag this record's members (see <see cref="JsonMemberBag.IsShared"/>).</summary>
        internal void ShareExtra(JsonMemberBag shared) => _extra = shared;
    }

    /// <summary>A collection that indexes its records and must hear when an indexed field changes.</summary>
    internal interface ICocoEntityOwner
    {
        void OnIndexedFieldChanged();
    }
}
