using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using CocoTools.Engine.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace CocoTools.Engine.Validation
{
    internal sealed partial class CocoFileValidation
    {
        /// <summary>The rules that need the whole document: references, sizes of images, keypoint counts of categories.</summary>
        private void CheckCrossReferences()
        {
            foreach (var a in _annotations)
            {
                ImageFacts? image = null;
                if (a.ImageId is long imageId && _imagesComplete && _sawImages)
                {
                    if (!_images.TryGetValue(imageId, out image))
                    {
                        _sink.Add(CocoRules.UnknownImage, () => $"/annotations/{a.Index}/image_id", () => $"image_id {imageId} is not the id of any image.");
                    }
                    else
                    {
                        image.HasAnnotations = true;
                    }
                }

                CategoryFacts? category = null;
                if (a.CategoryId is long categoryId && _categoriesComplete && _sawCategories && !_categories.TryGetValue(categoryId, out category))
                {
                    _sink.Add(CocoRules.UnknownCategory, () => $"/annotations/{a.Index}/category_id", () => $"category_id {categoryId} is not the id of any category.");
                }

                if (category?.KeypointCount is int names && a.KeypointTriples >= 0 && a.KeypointTriples != names)
                {
                    _sink.Add(CocoRules.KeypointsLength, () => $"/annotations/{a.Index}/keypoints", () => $"keypoints has {a.KeypointTriples} triple(s) but its category has {names} keypoint name(s).");
                }

                CheckAgainstImage(a, image);
            }

            foreach (var p in _panoptic)
            {
                if (p.ImageId is long imageId && _imagesComplete && _sawImages)
                {
                    if (_images.TryGetValue(imageId, out var image))
                    {
                        image.HasAnnotations = true;
                    }
                    else
                    {
                        _sink.Add(CocoRules.UnknownImage, () => $"/annotations/{p.Index}/image_id", () => $"image_id {imageId} is not the id of any image.");
                    }
                }

                foreach (var (_, categoryId, position) in p.Segments)
                {
                    if (categoryId is long c && _categoriesComplete && _sawCategories && !_categories.ContainsKey(c))
                    {
                        _sink.Add(CocoRules.UnknownCategory, () => $"/annotations/{p.Index}/segments_info/{position}/category_id", () => $"category_id {c} is not the id of any category.");
                    }
                }
            }

            foreach (var image in _imageList)
            {
                if (!image.HasAnnotations && _sawAnnotations)
                {
                    _sink.Add(CocoRules.ImageWithoutAnnotations, () => $"/images/{image.Index}", () => $"image {image.Id} ({Shorten(image.FileName)}) has no annotations.");
                }

                if (image.License is long license && (!_sawLicenses || !_licenseIds.Contains(license)))
                {
                    _sink.Add(CocoRules.UnknownLicense, () => $"/images/{image.Index}/license", () => $"license {license} is not the id of any license{(_sawLicenses ? string.Empty : " (the file has no licenses)")}.");
                }
            }
        }

        /// <summary>Geometry against the image's size, and boxes against the polygons they should enclose.</summary>
        private void CheckAgainstImage(AnnotationFacts a, ImageFacts? image)
        {
            int? width = image?.Width, height = image?.Height;
            if (a.RleHeight > 0 && width is int w0 && height is int h0 && (a.RleHeight != h0 || a.RleWidth != w0))
            {
                _sink.Add(CocoRules.RleSize, () => $"/annotations/{a.Index}/segmentation/size", () => $"the RLE size is [{a.RleHeight}, {a.RleWidth}] but its image is {h0} high and {w0} wide.");
            }

            if (a.HasPolygon && width is int w1 && height is int h1
                && (a.MinX < -Slack || a.MinY < -Slack || a.MaxX > w1 + Slack || a.MaxY > h1 + Slack))
            {
                _sink.Add(CocoRules.CoordinateOutsideImage, () => $"/annotations/{a.Index}/segmentation", () => $"the polygons reach [{Number(a.MinX)}, {Number(a.MinY)}] to [{Number(a.MaxX)}, {Number(a.MaxY)}], outside the {w1} x {h1} image.");
            }

            if (!a.HasBox || a.BoxWidth <= 0 || a.BoxHeight <= 0)
            {
                return;
            }

            if (LooksLikeCorners(a, width, height))
            {
                _sink.Add(CocoRules.BboxCorners, () => $"/annotations/{a.Index}/bbox", () => $"the bbox [{Number(a.BoxX)}, {Number(a.BoxY)}, {Number(a.BoxWidth)}, {Number(a.BoxHeight)}] reads as corners [x1, y1, x2, y2]: as [x, y, width, height] it {(a.HasPolygon ? "does not fit its polygons" : "leaves the image")}, as corners it fits.");
                return;
            }

            if (width is int w2 && height is int h2
                && (a.BoxX < -Slack || a.BoxY < -Slack || a.BoxX + a.BoxWidth > w2 + Slack || a.BoxY + a.BoxHeight > h2 + Slack))
            {
                _sink.Add(CocoRules.BboxOutsideImage, () => $"/annotations/{a.Index}/bbox", () => $"the bbox [{Number(a.BoxX)}, {Number(a.BoxY)}, {Number(a.BoxWidth)}, {Number(a.BoxHeight)}] reaches outside the {w2} x {h2} image.");
            }
        }

        /// <summary>
        /// A box given as corners: with polygons, the corner reading matches their extents and the [x, y, w, h]
        /// reading does not; without, the [x, y, w, h] reading leaves the image and the corner reading fits it.
        /// </summary>
        private static bool LooksLikeCorners(AnnotationFacts a, int? width, int? height)
        {
            bool cornersValid = a.BoxWidth > a.BoxX && a.BoxHeight > a.BoxY;
            if (!cornersValid)
            {
                return false;
            }

            if (a.HasPolygon)
            {
                bool asBox = Near(a.BoxX, a.MinX) && Near(a.BoxY, a.MinY) && Near(a.BoxX + a.BoxWidth, a.MaxX) && Near(a.BoxY + a.BoxHeight, a.MaxY);
                bool asCorners = Near(a.BoxX, a.MinX) && Near(a.BoxY, a.MinY) && Near(a.BoxWidth, a.MaxX) && Near(a.BoxHeight, a.MaxY);
                return asCorners && !asBox;
            }

            return width is int w && height is int h
                && (a.BoxX + a.BoxWidth > w + Slack || a.BoxY + a.BoxHeight > h + Slack)
                && a.BoxWidth <= w + Slack && a.BoxHeight <= h + Slack;
        }

        private static bool Near(double a, double b) => Math.Abs(a - b) <= Slack;

        /// <summary>With -ImageRoot and -PanopticRoot: the files themselves.</summary>
        private void CheckFiles()
        {
            if (_options.ImageRoot is string root && (_sink.Wants(CocoRules.ImageFileMissing) || _sink.Wants(CocoRules.ImageFileSize)))
            {
                foreach (var image in _imageList)
                {
                    if (image.FileName == null)
                    {
                        continue;
                    }

                    string path = Path.Combine(root, image.FileName.Replace('\\', '/'));
                    if (!File.Exists(path))
                    {
                        _sink.Add(CocoRules.ImageFileMissing, () => $"/images/{image.Index}/file_name", () => $"{path} does not exist.");
                        continue;
                    }

                    try
                    {
                        var scanned = ImageScanner.Scan(path);
                        int frames = scanned.Dicom?.Frames ?? 1;
                        int w = scanned.Width, h = scanned.Height;
                        if (scanned.SkipReason == null && ((image.Width != null && w != image.Width) || (image.Height != null && h != image.Height)))
                        {
                            _sink.Add(CocoRules.ImageFileSize, () => $"/images/{image.Index}", () => $"{image.FileName} is {w} x {h}{(frames > 1 ? $" ({frames} frames)" : string.Empty)}, not {image.Width} x {image.Height} as the file says.");
                        }
                    }
                    catch (CocoToolsException e)
                    {
                        _sink.Add(CocoRules.ImageFileSize, () => $"/images/{image.Index}/file_name", () => $"{image.FileName} cannot be read: {e.Message}");
                    }
                }
            }

            if (_options.PanopticRoot is string panopticRoot && _sink.Wants(CocoRules.PanopticPng))
            {
                foreach (var p in _panoptic)
                {
                    CheckPanopticPng(p, panopticRoot);
                }
            }
        }

        private void CheckPanopticPng(PanopticFacts p, string root)
        {
            string at = $"/annotations/{p.Index}/file_name";
            if (p.FileName == null)
            {
                return;
            }

            string path = Path.Combine(root, p.FileName);
            if (!File.Exists(path))
            {
                _sink.Add(CocoRules.PanopticPng, at, $"{path} does not exist.");
                return;
            }

            try
            {
                // Checked by signature and size first, decoded with capped memory: the PNG is as untrusted as the JSON.
                using var png = Imaging.RasterHeader.Load<Rgb24>(path, InputLimits.MaxImagePixels);
                if (p.ImageId is long id && _images.TryGetValue(id, out var image) && (png.Width != image.Width || png.Height != image.Height))
                {
                    _sink.Add(CocoRules.PanopticPng, at, $"{p.FileName} is {png.Width} x {png.Height}, its image {image.Width} x {image.Height}.");
                }

                var ids = new HashSet<long>();
                png.ProcessPixelRows(pixels =>
                {
                    for (int y = 0; y < pixels.Height; y++)
                    {
                        foreach (var pixel in pixels.GetRowSpan(y))
                        {
                            long segment = pixel.R + (256L * pixel.G) + (65536L * pixel.B);
                            if (segment != 0)
                            {
                                ids.Add(segment);
                            }
                        }
                    }
                });

                var declared = new HashSet<long>(p.Segments.Select(s => s.Id));
                var missing = declared.Where(s => !ids.Contains(s)).OrderBy(s => s).ToList();
                var extra = ids.Where(s => !declared.Contains(s)).OrderBy(s => s).ToList();
                if (missing.Count > 0 || extra.Count > 0)
                {
                    _sink.Add(CocoRules.PanopticPng, at, $"{p.FileName} and segments_info disagree:{(missing.Count > 0 ? $" segments {string.Join(", ", missing.Take(10))} are not in the PNG;" : string.Empty)}{(extra.Count > 0 ? $" the PNG has segment ids {string.Join(", ", extra.Take(10))} that segments_info does not list;" : string.Empty)}".TrimEnd(';') + ".");
                }
            }
            catch (CocoToolsException e)
            {
                _sink.Add(CocoRules.PanopticPng, at, $"{p.FileName} cannot be read as a PNG: {e.Message}");
            }
        }
    }
}
