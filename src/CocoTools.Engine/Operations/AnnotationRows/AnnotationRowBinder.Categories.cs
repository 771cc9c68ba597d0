using System;
using System.Globalization;
using System.Linq;
using CocoTools.Engine.Coco;
using CocoTools.Engine.Tabular;

namespace CocoTools.Engine.Operations.AnnotationRows
{
    // Category resolution: by id, name or class value (-CategoryMap), created on first use unless -StrictCategory.
    public sealed partial class AnnotationRowBinder
    {
        /// <summary>The row's category; with <paramref name="create"/> false only an existing one (or null), without notes or errors.</summary>
        [System.Runtime.CompilerServices.MethodImpl(HotPath.Optimize)]
        private CocoCategory? ResolveCategory(in Row row, bool create)
        {
            var header = row.Header;
            var where = row.Where;
            var supercategory = row.Has(AnnotationColumnRole.Supercategory) ? row.Text(AnnotationColumnRole.Supercategory) : null;
            if (row.Has(AnnotationColumnRole.CategoryName))
            {
                string value = row.Text(AnnotationColumnRole.CategoryName);
                if (_options.CategoryMap != null && _options.CategoryMap.TryGetValue(value, out var mapped))
                {
                    return CategoryByName(mapped, supercategory, where, create);
                }

                if (create && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
                {
                    Note("numeric", $"Numeric class values (from column '{row.Column(AnnotationColumnRole.CategoryName)}') are used as category names as they are; map them with -CategoryMap, e.g. @{{ 1 = 'pneumonia' }}.");
                }

                return CategoryByName(value, supercategory, where, create);
            }

            if (row.Cell(AnnotationColumnRole.CategoryId) is object idCell)
            {
                string value = CellValues.Text(idCell);
                if (_options.CategoryMap != null && _options.CategoryMap.TryGetValue(value, out var mapped))
                {
                    return CategoryByName(mapped, supercategory, where, create);
                }

                if (!create)
                {
                    return long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out long known) ? _dataset.Categories.Find(known) : null;
                }

                long id = CellValues.Integer(idCell, row.Column(AnnotationColumnRole.CategoryId));
                if (_dataset.Categories.Find(id) is CocoCategory existing)
                {
                    return existing;
                }

                if (_options.StrictCategory)
                {
                    throw RowError("UnknownCategory", where, $"category id {id} is not in the dataset (-StrictCategory)");
                }

                Note("categoryid", $"Category ids not in the dataset were created with their number as name; give names with -CategoryMap.");
                var created = new CocoCategory { Id = id, Name = value, Supercategory = supercategory };
                ApplyKeypointOptions(created);
                _dataset.Categories.Add(created);
                CategoriesAdded++;
                return created;
            }

            return _options.DefaultCategory != null ? CategoryByName(_options.DefaultCategory, supercategory, where, create) : null;
        }

        [System.Runtime.CompilerServices.MethodImpl(HotPath.Optimize)]
        private CocoCategory? CategoryByName(string name, string? supercategory, RowLocation where, bool create)
        {
            if (_categoriesByName.TryGetValue(name, out var cached) && ReferenceEquals(_dataset.Categories.Find(cached.Id), cached))
            {
                return cached;
            }

            var category = FindCategory(name);
            if (category == null && !create)
            {
                return null;
            }

            if (category == null)
            {
                if (_options.StrictCategory)
                {
                    throw RowError("UnknownCategory", where, $"category '{name}' is not in the dataset (-StrictCategory); its categories are {string.Join(", ", _dataset.Categories.Select(c => c.Name))}");
                }

                category = new CocoCategory { Name = name, Supercategory = supercategory };
                ApplyKeypointOptions(category);
                _dataset.Categories.AddNew(category);
                CategoriesAdded++;
            }
            else if (category.Keypoints == null)
            {
                ApplyKeypointOptions(category);
            }

            _categoriesByName[name] = category;
            return category;
        }

        /// <summary>
        /// The category of a name, exact first, then ignoring case. Allocates nothing: "No finding" rows ask for a
        /// name that is not there once per row, and nothing is collected while a list loads.
        /// </summary>
        private CocoCategory? FindCategory(string name)
        {
            var categories = _dataset.Categories;
            for (int i = 0; i < categories.Count; i++)
            {
                if (string.Equals(categories[i].Name, name, StringComparison.Ordinal))
                {
                    return categories[i];
                }
            }

            return categories.FindByName(name);
        }

        private void ApplyKeypointOptions(CocoCategory category)
        {
            if (_options.Keypoints != null && category.Keypoints == null)
            {
                category.Keypoints = _options.Keypoints.ToArray();
                category.Skeleton ??= _options.Skeleton?.ToArray();
            }
        }
    }
}
