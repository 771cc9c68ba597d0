using System;
using System.Collections.Generic;
using System.Globalization;

namespace CocoTools.Engine.Coco.Json
{
    /// <summary>
    /// The end of a parse: integer ids, references, and the viewer flavour's repairs (or, with Strict, an error
    /// for each non-standard construct), all with the JSON pointer and offset of the entry concerned.
    /// </summary>
    internal sealed partial class CocoJsonParser
    {
        private void Resolve()
        {
            var repairs = new RepairLog();
            var imagesByKey = ResolveImages(repairs);
            ResolveCategories();
            var layout = ResolveAnnotations(imagesByKey, repairs);
            ResolvePanoptic();

            if (repairs.Any)
            {
                foreach (var annotation in _dataset.Annotations)
                {
                    if (annotation.Bbox == null && annotation.Segmentation is CocoPolygonSegmentation polygons && CocoGeometry.Current.PolygonBox(polygons.Polygons) is CocoBox box)
                    {
                        annotation.Bbox = box;
                        repairs.Add(RepairLog.ComputedBbox);
                    }

                    if (annotation.Area == null && CocoGeometry.Current.ComputeArea(annotation) is double area)
                    {
                        annotation.Area = area;
                        repairs.Add(RepairLog.ComputedArea);
                    }
                }

                _dataset.SourceFlavor = CocoFlavor.Viewer;
                _dataset.ViewerLayout = layout;
            }

            _dataset.Repairs.AddRange(repairs.ToList());
        }

        /// <summary>
        /// The end of a record-streaming parse: standard images and annotations went to the sink as they were read, so
        /// only categories are resolved here; anything that needs the whole file (the viewer flavour's string ids and
        /// attribute records, panoptic entries) was held back and is reported to the sink, not resolved.
        /// </summary>
        private void ResolveStreamed()
        {
            ResolveCategories();
            int heldBack = _images.Count + _annotations.Count + _panoptic.Count + _attributeRecords.Count;
            if (heldBack > 0)
            {
                _sink!.HeldBack(heldBack);
            }
        }

        private Dictionary<string, CocoImage> ResolveImages(RepairLog repairs)
        {
            var byKey = new Dictionary<string, CocoImage>(StringComparer.Ordinal);
            long next = 1;
            foreach (var image in _images)
            {
                if (!_viewerImages.ContainsKey(image))
                {
                    next = Math.Max(next, image.Id + 1);
                }
            }

            _dataset.Images.Reserve(_images.Count);
            foreach (var image in _images)
            {
                string idPointer = "/images/" + Index(image.SourceIndex) + "/id";
                if (_viewerImages.TryGetValue(image, out var facts))
                {
                    if (_strict)
                    {
                        AddProblem("ViewerFlavor", $"the image id is the string \"{facts.StringId}\"; COCO image ids are integers (Import-CocoJson without -Strict repairs this).", idPointer, facts.IdOffset);
                        continue;
                    }

                    if (byKey.ContainsKey(facts.StringId))
                    {
                        AddProblem("DuplicateId", $"image id \"{facts.StringId}\" is used twice.", idPointer, facts.IdOffset);
                        continue;
                    }

                    image.SetIdUnchecked(next++);
                    image.Extra.Set(OriginalImageIdMember(facts.StringId), facts.StringId);
                    byKey.Add(facts.StringId, image);
                    repairs.Add(RepairLog.StringImageId);
                }
                else if (_dataset.Images.Contains(image.Id))
                {
                    AddProblem("DuplicateId", $"image id {image.Id} is used twice.", idPointer);
                    continue;
                }

                _dataset.Images.Add(image);
            }

            return byKey;
        }

        /// <summary>Where an image's original string id is kept: <c>dicomweb_url</c> for URLs, else <c>original_id</c>.</summary>
        internal static string OriginalImageIdMember(string stringId) =>
            stringId.IndexOf("://", StringComparison.Ordinal) > 0 ? "dicomweb_url" : "original_id";

        private void ResolveCategories()
        {
            _dataset.Categories.Reserve(_categories.Count);
            foreach (var category in _categories)
            {
                if (_dataset.Categories.Contains(category.Id))
                {
                    AddProblem("DuplicateId", $"category id {category.Id} is used twice.", "/categories/" + Index(category.SourceIndex) + "/id");
                    continue;
                }

                _dataset.Categories.Add(category);
            }
        }

        private List<ViewerEntry>? ResolveAnnotations(Dictionary<string, CocoImage> imagesByKey, RepairLog repairs)
        {
            // The viewer layout is only worth remembering when the file has viewer constructs at all.
            bool viewerish = _viewerImages.Count > 0 || _viewerAnnotations.Count > 0 || _attributeRecords.Count > 0;
            var layout = viewerish ? new List<ViewerEntry>() : null;
            var byUid = new Dictionary<string, CocoAnnotation>(StringComparer.Ordinal);
            var categoriesByName = new Dictionary<string, CocoCategory>(StringComparer.Ordinal);
            foreach (var category in _dataset.Categories)
            {
                if (!categoriesByName.ContainsKey(category.Name))
                {
                    categoriesByName.Add(category.Name, category);
                }
            }

            long next = 1;
            foreach (var annotation in _annotations)
            {
                if (!_viewerAnnotations.TryGetValue(annotation, out var f) || f.Uid == null)
                {
                    next = Math.Max(next, annotation.Id + 1);
                }
            }

            _dataset.Annotations.Reserve(_annotations.Count);

            // Annotations and attribute records interleave in the file; walk both in file order.
            var attributes = new Dictionary<CocoImage, List<KeyValuePair<string, byte[]?>>>();
            var attributeImages = new List<CocoImage>();
            int r = 0;
            for (int i = 0; i <= _annotations.Count; i++)
            {
                int sourceIndex = i < _annotations.Count ? _annotations[i].SourceIndex : int.MaxValue;
                for (; r < _attributeRecords.Count && _attributeRecords[r].SourceIndex < sourceIndex; r++)
                {
                    ResolveAttributeRecord(_attributeRecords[r], imagesByKey, attributes, attributeImages, layout!, repairs);
                }

                if (i < _annotations.Count)
                {
                    ResolveAnnotation(_annotations[i], imagesByKey, categoriesByName, byUid, ref next, layout, repairs);
                }
            }

            foreach (var image in attributeImages)
            {
                image.Extra.SetRaw("attributes", AttributesObject(image, attributes[image]));
            }

            return layout;
        }

        private void ResolveAnnotation(CocoAnnotation annotation, Dictionary<string, CocoImage> imagesByKey, Dictionary<string, CocoCategory> categoriesByName, Dictionary<string, CocoAnnotation> byUid, ref long next, List<ViewerEntry>? layout, RepairLog repairs)
        {
            string at = "/annotations/" + Index(annotation.SourceIndex);
            _viewerAnnotations.TryGetValue(annotation, out var facts);
            if (facts != null && _strict)
            {
                ReportViewerConstructs(facts, at);
                return;
            }

            var image = ResolveImage(facts?.ImageKey, annotation.ImageId, imagesByKey, at + "/image_id", facts?.ImageKey != null ? facts.ImageOffset : -1);
            if (image == null)
            {
                return;
            }

            annotation.ImageId = image.Id;
            if (facts?.CategoryName is string name)
            {
                if (!categoriesByName.TryGetValue(name, out var category))
                {
                    category = new CocoCategory { Name = name };
                    _dataset.Categories.AddNew(category);
                    categoriesByName.Add(name, category);
                }

                annotation.CategoryId = category.Id;
                repairs.Add(RepairLog.CategoryName);
            }
            else if (annotation.CategoryId is long categoryId && !_dataset.Categories.Contains(categoryId))
            {
                AddProblem("UnknownCategory", $"category_id {categoryId} matches no category.", at + "/category_id");
                return;
            }

            if (facts != null)
            {
                if (facts.HadEmptyNestedAnnotations)
                {
                    repairs.Add(RepairLog.EmptyNestedAnnotations);
                }

                if (facts.FlatSegmentation)
                {
                    repairs.Add(RepairLog.FlatSegmentation);
                }

                if (facts.Uid != null)
                {
                    if (byUid.TryGetValue(facts.Uid, out var whole))
                    {
                        MergePart(whole, annotation, facts, at, layout!, repairs);
                        return;
                    }

                    annotation.SetIdUnchecked(next++);
                    annotation.Extra.Set("uid", facts.Uid);
                    byUid.Add(facts.Uid, annotation);
                    repairs.Add(RepairLog.StringAnnotationId);
                }
            }

            if (_dataset.Annotations.Contains(annotation.Id))
            {
                AddProblem("DuplicateId", $"annotation id {annotation.Id} is used twice.", at + "/id");
                return;
            }

            _dataset.Annotations.Add(annotation);
            layout?.Add(new ViewerEntry(annotation, 0));
        }

        private CocoImage? ResolveImage(string? key, long number, Dictionary<string, CocoImage> imagesByKey, string pointer, long offset)
        {
            if (key != null)
            {
                if (imagesByKey.TryGetValue(key, out var byKey))
                {
                    return byKey;
                }

                AddProblem("UnknownImage", $"image_id \"{key}\" matches no image.", pointer, offset);
                return null;
            }

            var image = _dataset.Images.Find(number);
            if (image == null)
            {
                AddProblem("UnknownImage", $"image_id {number} matches no image.", pointer, offset);
            }

            return image;
        }

        private void ResolvePanoptic()
        {
            foreach (var entry in _panoptic)
            {
                string at = "/annotations/" + Index(entry.Index);
                if (!_dataset.Images.Contains(entry.Annotation.ImageId))
                {
                    AddProblem("UnknownImage", $"image_id {entry.Annotation.ImageId} matches no image.", at + "/image_id");
                    continue;
                }

                for (int i = 0; i < entry.Annotation.SegmentsInfo.Count; i++)
                {
                    long category = entry.Annotation.SegmentsInfo[i].CategoryId;
                    if (!_dataset.Categories.Contains(category))
                    {
                        AddProblem("UnknownCategory", $"category_id {category} matches no category.", at + "/segments_info/" + Index(i) + "/category_id");
                    }
                }

                _dataset.PanopticAnnotations.Add(entry.Annotation);
            }
        }

        private static string Index(int i) => i.ToString(CultureInfo.InvariantCulture);
    }
}
