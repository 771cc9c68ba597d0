using System;
using System.IO;
using CocoTools.Engine.Coco;
using CocoTools.Engine.Imaging;

namespace CocoTools.Engine.Operations.AnnotationRows
{
    // Images created for rows whose image is not in the dataset (-AddMissingImage).
    public sealed partial class AnnotationRowBinder
    {
        private CocoImage AddMissingImage(string value, int? frame)
        {
            string relative = value.Replace('\\', '/');
            CocoImage? image = null;
            foreach (var candidate in new[] { relative, relative + ".dcm", relative + ".png", relative + ".jpg", relative + ".jpeg" })
            {
                string path = Path.Combine(_options.ImageRoot, candidate);
                if (!File.Exists(path))
                {
                    continue;
                }

                try
                {
                    var scanned = ImageScanner.Scan(path);
                    if (scanned.SkipReason == null)
                    {
                        var scanOptions = ImageImporter.ScanOptions(_dataset);
                        scanOptions.BasePath = _options.ImageRoot;
                        var images = ImageImporter.ToImages(scanned, scanOptions);
                        image = images[Math.Min(Math.Max((frame ?? 1) - 1, 0), images.Count - 1)];
                    }
                }
                catch (CocoToolsException)
                {
                    // Unreadable: the image is added by name only, as if the file were absent.
                }

                break;
            }

            if (image == null)
            {
                image = new CocoImage { FileName = relative };
                Note("nosize", "Images added for rows whose image was not in the dataset and whose file was not found under the image root have no width and height (masks and box checks need them).");
            }

            _dataset.Images.AddNew(image);
            _images.Index(image);
            ImagesAdded++;
            return image;
        }
    }
}
