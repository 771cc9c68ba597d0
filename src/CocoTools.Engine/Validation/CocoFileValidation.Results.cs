using System;
using System.Text.Json;
using CocoTools.Engine.Masks;

namespace CocoTools.Engine.Validation
{
    // Checks of one record of a results file (a bare array of detections).
    internal sealed partial class CocoFileValidation
    {
        private void CheckResult(JsonElement e, int index)
        {
            string at = $"/{index}";
            if (!IsObject(e, at, "a detection"))
            {
                return;
            }

            long? imageId = ReadReference(e, at, "image_id", required: true);
            bool caption = e.TryGetProperty("caption", out _);
            long? categoryId = caption ? null : ReadReference(e, at, "category_id", required: true);
            if (_truth != null)
            {
                if (imageId is long i && !_truth.Images.Contains(i))
                {
                    _sink.Add(CocoRules.ResultReference, () => at + "/image_id", () => $"image_id {i} is not an image of the ground truth.");
                }

                if (categoryId is long c && !_truth.Categories.Contains(c))
                {
                    _sink.Add(CocoRules.ResultReference, () => at + "/category_id", () => $"category_id {c} is not a category of the ground truth.");
                }
            }

            if (caption)
            {
                CheckCaption(e, at);
                return;
            }

            if (!e.TryGetProperty("score", out var score))
            {
                _sink.Add(CocoRules.ResultScore, at, "the detection has no score; COCOeval ranks detections by score.");
            }
            else if (score.ValueKind != JsonValueKind.Number || !score.TryGetDouble(out _))
            {
                _sink.Add(CocoRules.ResultScore, () => at + "/score", () => $"score is {Describe(score)}, not a finite number.");
            }

            var facts = new AnnotationFacts();
            bool geometry = false;
            if (e.TryGetProperty("bbox", out var bbox))
            {
                geometry = true;
                if (bbox.ValueKind == JsonValueKind.Array)
                {
                    CheckBox(bbox, at + "/bbox", ref facts);
                }
                else
                {
                    TypeError(at + "/bbox", "bbox", bbox, "[x, y, width, height]");
                }
            }

            if (e.TryGetProperty("segmentation", out var segmentation))
            {
                geometry = true;
                CheckSegmentation(segmentation, at + "/segmentation", ref facts, out _, out _);
            }

            if (e.TryGetProperty("keypoints", out var keypoints))
            {
                geometry = true;
                CheckKeypoints(e, keypoints, at, ref facts);
            }

            if (!geometry)
            {
                _sink.Add(CocoRules.RequiredField, at, "the detection has no bbox, segmentation or keypoints.");
            }
        }
    }
}
