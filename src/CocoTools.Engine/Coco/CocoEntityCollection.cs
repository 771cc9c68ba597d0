using System;
using System.Collections;
using System.Collections.Generic;

namespace CocoTools.Engine.Coco
{
    /// <summary>
    /// An ordered list of COCO records with unique ids and an index by id. Ids are fixed while a record
    /// belongs to the collection, so the index never goes stale.
    /// </summary>
    public class CocoEntityCollection<T> : IReadOnlyList<T>, ICocoEntityOwner
        where T : CocoEntity
    {
        private List<T> _items = new List<T>();

        // While the ids are consecutive in list order (1, 2, 3 ... as AddNew and most files number them), the position
        // of an id is arithmetic and no dictionary is kept: millions of annotations save its memory and its hashing.
        // The first add that breaks the run builds the dictionary.
        private Dictionary<long, T>? _byId;
        private long _firstId;
        private int _reserved;
        private readonly string _entityName;
        private long _maxId;

        internal CocoEntityCollection(string entityName)
        {
            _entityName = entityName;
        }

        /// <summary>Number of records.</summary>
        public int Count => _items.Count;

        /// <summary>The record at a position.</summary>
        public T this[int index] => _items[index];

        /// <summary>The id the next <see cref="AddNew"/> assigns: one more than the largest id, at least 1.</summary>
        public long NextId => Math.Max(_maxId, 0) + 1;

        /// <summary>The record with an id, or null.</summary>
        public T? Find(long id)
        {
            if (_byId != null)
            {
                return _byId.TryGetValue(id, out var item) ? item : null;
            }

            long index = id - _firstId;
            return index >= 0 && index < _items.Count ? _items[(int)index] : null;
        }

        /// <summary>True when a record has this id.</summary>
        public bool Contains(long id) => Find(id) != null;

        /// <summary>Adds a record with the id it carries; a duplicate id throws.</summary>
        public T Add(T item)
        {
            if (item == null)
            {
                throw new ArgumentNullException(nameof(item));
            }

            if (item.Owner != null)
            {
                throw new InvalidOperationException($"This {_entityName} already belongs to a dataset; add a copy (Clone()) instead.");
            }

            if (_byId == null && _items.Count > 0 && item.Id != _firstId + _items.Count)
            {
                IndexById();
            }

            if (_byId != null)
            {
                if (_byId.ContainsKey(item.Id))
                {
                    throw new CocoToolsException("DuplicateId", FailureKind.ResourceExists, $"There is already a{(StartsWithVowel(_entityName) ? "n" : string.Empty)} {_entityName} with id {item.Id}.") { Target = item.Id };
                }

                _byId.Add(item.Id, item);
            }
            else if (_items.Count == 0)
            {
                _firstId = item.Id;
            }

            _items.Add(item);
            _maxId = _items.Count == 1 ? item.Id : Math.Max(_maxId, item.Id);
            item.Owner = this;
            OnIndexedFieldChanged();
            return item;
        }

        /// <summary>Adds a record under a newly allocated id (<see cref="NextId"/>).</summary>
        public T AddNew(T item)
        {
            if (item == null)
            {
                throw new ArgumentNullException(nameof(item));
            }

            item.Id = NextId;
            return Add(item);
        }

        /// <summary>Makes room for <paramref name="count"/> more records, so a bulk load never regrows.</summary>
        internal void Reserve(int count)
        {
            if (_items.Count == 0 && count > 0)
            {
                _items = new List<T>(count);
                _reserved = count;
            }
        }

        /// <summary>
        /// Puts the records in a new order and numbers them 1..N in it (a merge's canonical order). The order must hold
        /// every record of the collection once; references to the old ids are the caller's to follow.
        /// </summary>
        internal void Renumber(IReadOnlyList<T> order)
        {
            if (order.Count != _items.Count)
            {
                throw new ArgumentException("The new order must hold every record once.", nameof(order));
            }

            var items = new List<T>(order.Count);
            for (int i = 0; i < order.Count; i++)
            {
                if (!ReferenceEquals(order[i].Owner, this))
                {
                    throw new ArgumentException("The new order holds a record of another collection.", nameof(order));
                }

                order[i].SetIdUnchecked(i + 1);
                items.Add(order[i]);
            }

            _items = items;
            _byId = null;
            _firstId = 1;
            _maxId = items.Count;
            OnIndexedFieldChanged();
        }

        /// <summary>Removes a record; true when it was present.</summary>
        public bool Remove(T item)
        {
            if (item == null || !ReferenceEquals(Find(item.Id), item))
            {
                return false;
            }

            IndexById();
            _items.Remove(item);
            _byId!.Remove(item.Id);
            item.Owner = null;
            OnIndexedFieldChanged();
            return true;
        }

        /// <summary>Removes every record matching a condition, in one pass; returns how many.</summary>
        public int RemoveWhere(Func<T, bool> match)
        {
            IndexById();
            int removed = _items.RemoveAll(item =>
            {
                if (!match(item))
                {
                    return false;
                }

                _byId!.Remove(item.Id);
                item.Owner = null;
                return true;
            });
            if (removed > 0)
            {
                OnIndexedFieldChanged();
            }

            return removed;
        }

        /// <inheritdoc />
        public IEnumerator<T> GetEnumerator() => _items.GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        void ICocoEntityOwner.OnIndexedFieldChanged() => OnIndexedFieldChanged();

        /// <summary>Called when records are added or removed or an indexed field of one changes.</summary>
        private protected virtual void OnIndexedFieldChanged()
        {
        }

        /// <summary>Leaves the consecutive-id mode: builds the dictionary by id (removals and out-of-run ids need it).</summary>
        private void IndexById()
        {
            if (_byId != null)
            {
                return;
            }

            // Sized for the whole bulk load when one is under way (files with ids out of order leave the run early).
            var index = new Dictionary<long, T>(Math.Max(_items.Count, _reserved));
            foreach (var item in _items)
            {
                index.Add(item.Id, item);
            }

            _byId = index;
        }

        private static bool StartsWithVowel(string s) => s.Length > 0 && "aeiou".IndexOf(s[0]) >= 0;
    }

    /// <summary>The dataset's images, indexed by id and by file name.</summary>
    public sealed class CocoImageCollection : CocoEntityCollection<CocoImage>
    {
        private Dictionary<string, CocoImage>? _byFileName;

        internal CocoImageCollection(CocoAnnotationCollection annotations)
            : base("image")
        {
            Annotations = annotations;
        }

        /// <summary>The annotations of the same dataset (for an image's annotation count).</summary>
        internal CocoAnnotationCollection Annotations { get; }

        /// <summary>The first image with exactly this file_name, or null.</summary>
        public CocoImage? FindByFileName(string fileName)
        {
            if (_byFileName == null)
            {
                var index = new Dictionary<string, CocoImage>(StringComparer.Ordinal);
                foreach (var image in this)
                {
                    if (image.FileName != null && !index.ContainsKey(image.FileName))
                    {
                        index.Add(image.FileName, image);
                    }
                }

                _byFileName = index;
            }

            return _byFileName.TryGetValue(fileName, out var found) ? found : null;
        }

        private protected override void OnIndexedFieldChanged() => _byFileName = null;
    }

    /// <summary>The dataset's categories, indexed by id and by name.</summary>
    public sealed class CocoCategoryCollection : CocoEntityCollection<CocoCategory>
    {
        private Dictionary<string, CocoCategory>? _byName;
        private Dictionary<string, CocoCategory>? _byNameIgnoreCase;

        internal CocoCategoryCollection()
            : base("category")
        {
        }

        /// <summary>The first category with this name (exact match first, then ignoring case), or null.</summary>
        public CocoCategory? FindByName(string name)
        {
            if (_byName == null || _byNameIgnoreCase == null)
            {
                var exact = new Dictionary<string, CocoCategory>(StringComparer.Ordinal);
                var folded = new Dictionary<string, CocoCategory>(StringComparer.OrdinalIgnoreCase);
                foreach (var category in this)
                {
                    if (!exact.ContainsKey(category.Name))
                    {
                        exact.Add(category.Name, category);
                    }

                    if (!folded.ContainsKey(category.Name))
                    {
                        folded.Add(category.Name, category);
                    }
                }

                _byName = exact;
                _byNameIgnoreCase = folded;
            }

            return _byName.TryGetValue(name, out var found) ? found
                : _byNameIgnoreCase.TryGetValue(name, out found) ? found : null;
        }

        private protected override void OnIndexedFieldChanged()
        {
            _byName = null;
            _byNameIgnoreCase = null;
        }
    }

    /// <summary>The dataset's annotations, indexed by id and by image.</summary>
    public sealed class CocoAnnotationCollection : CocoEntityCollection<CocoAnnotation>
    {
        private Dictionary<long, List<CocoAnnotation>>? _byImage;

        internal CocoAnnotationCollection()
            : base("annotation")
        {
        }

        /// <summary>The categories of the same dataset (for an annotation's category name).</summary>
        internal CocoCategoryCollection? Categories { get; set; }

        /// <summary>The annotations of one image, in dataset order.</summary>
        public IReadOnlyList<CocoAnnotation> ForImage(long imageId)
        {
            if (_byImage == null)
            {
                var index = new Dictionary<long, List<CocoAnnotation>>();
                foreach (var annotation in this)
                {
                    if (!index.TryGetValue(annotation.ImageId, out var list))
                    {
                        list = new List<CocoAnnotation>();
                        index.Add(annotation.ImageId, list);
                    }

                    list.Add(annotation);
                }

                _byImage = index;
            }

            return _byImage.TryGetValue(imageId, out var found) ? found : (IReadOnlyList<CocoAnnotation>)Array.Empty<CocoAnnotation>();
        }

        private protected override void OnIndexedFieldChanged() => _byImage = null;
    }

    /// <summary>The dataset's licences, indexed by id.</summary>
    public sealed class CocoLicenseCollection : CocoEntityCollection<CocoLicense>
    {
        internal CocoLicenseCollection()
            : base("license")
        {
        }
    }
}
