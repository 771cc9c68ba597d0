using System;
using System.Text.Json;
using CocoTools.Engine.Masks;

namespace CocoTools.Engine.Validation
{
    // Checks of one categories[] record and its keypoint skeleton.
    internal sealed partial class CocoFileValidation
    {
        private void CheckCategory(JsonElement e, int index)
        {
            string at = $"/categories/{index}";
            if (!IsObject(e, at, "a category"))
            {
                return;
            }

            var facts = new CategoryFacts { Index = index };
            bool hasId = ReadId(e, at, "id", "categories", out long id);
            facts.Id = id;
            if (hasId && id == 0)
            {
                _sink.Add(CocoRules.CategoryIdZero, at + "/id", "category id 0: detectron2, mmdetection and others take 0 for the background; number categories from 1.");
            }

            if (Member(e, at, "name", JsonValueKind.String, required: true) is JsonElement name)
            {
                string text = name.GetString() ?? string.Empty;
                if (_categoryNames.TryGetValue(text, out int first))
                {
                    _sink.Add(CocoRules.DuplicateCategoryName, () => at + "/name", () => $"category name \"{Shorten(text)}\" is also the name of /categories/{first}.");
                }
                else
                {
                    _categoryNames.Add(text, index);
                }
            }

            Member(e, at, "supercategory", JsonValueKind.String, required: false);
            if (Member(e, at, "isthing", JsonValueKind.Number, required: false) is JsonElement isThing && !(TryInteger(isThing, out long thing) && (thing == 0 || thing == 1)))
            {
                TypeError(at + "/isthing", "isthing", isThing, "0 or 1");
            }

            if (Member(e, at, "keypoints", JsonValueKind.Array, required: false) is JsonElement keypoints)
            {
                int count = 0;
                foreach (var k in keypoints.EnumerateArray())
                {
                    if (k.ValueKind != JsonValueKind.String)
                    {
                        TypeError($"{at}/keypoints/{count}", "a keypoint name", k, "a string");
                    }

                    count++;
                }

                facts.KeypointCount = count;
            }

            if (Member(e, at, "skeleton", JsonValueKind.Array, required: false) is JsonElement skeleton)
            {
                CheckSkeleton(skeleton, at, facts.KeypointCount ?? 0);
            }

            if (hasId)
            {
                if (_categories.TryGetValue(id, out var other))
                {
                    _sink.Add(CocoRules.DuplicateId, () => at + "/id", () => $"category id {id} is also the id of /categories/{other.Index}.");
                }
                else
                {
                    _categories.Add(id, facts);
                }
            }
        }

        private void CheckSkeleton(JsonElement skeleton, string at, int keypointCount)
        {
            int i = 0;
            foreach (var edge in skeleton.EnumerateArray())
            {
                string edgeAt = $"{at}/skeleton/{i}";
                if (edge.ValueKind != JsonValueKind.Array || edge.GetArrayLength() != 2)
                {
                    TypeError(edgeAt, "a skeleton edge", edge, "a pair [a, b] of keypoint indexes");
                }
                else
                {
                    int j = 0;
                    foreach (var end in edge.EnumerateArray())
                    {
                        if (!TryInteger(end, out long k) || k < 1 || k > keypointCount)
                        {
                            int position = j;
                            _sink.Add(CocoRules.SkeletonIndex, () => $"{edgeAt}/{position}", () => $"skeleton index {end.GetRawText()} is not a keypoint: the category has {keypointCount} keypoint name(s), indexed from 1.");
                        }

                        j++;
                    }
                }

                i++;
            }
        }
    }
}
