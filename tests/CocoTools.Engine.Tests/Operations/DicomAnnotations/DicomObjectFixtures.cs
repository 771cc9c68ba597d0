using System.IO;
using System.Linq;
using CocoTools.Engine.Coco;
using CocoTools.Engine.Coco.Json;
using CocoTools.Engine.Imaging;
using CocoTools.Engine.Masks;
using CocoTools.Engine.Tests.DicomObjects;
using CocoTools.Engine.Tests.Support;
using Xunit;

namespace CocoTools.Engine.Tests.Operations.DicomAnnotations
{
    /// <summary>Datasets of image files as Add-CocoImage makes them, and checks shared by the RTSTRUCT and SR tests.</summary>
    internal static class DicomObjectFixtures
    {
        public static string Shared(string name) => Path.Combine(RtStructureSetTests.Annotations, name);

        /// <summary>A dataset of the images in these files (one per frame), as the image scanner reads them.</summary>
        public static CocoDataset DatasetOf(params string[] paths)
        {
            var ds = new CocoDataset();
            foreach (var path in paths)
            {
                var scanned = ImageScanner.Scan(path);
                foreach (var image in ImageScanner.ToImages(scanned, new ImageScanOptions { BasePath = Path.GetDirectoryName(path)! }))
                {
                    ds.Images.AddNew(image);
                }
            }

            return ds;
        }

        /// <summary>The image of a SOP Instance UID (from its <c>dicom</c> member).</summary>
        public static CocoImage ImageOf(CocoDataset ds, string sopInstanceUid) =>
            ds.Images.Single(i => CocoImageDicom.Of(i)?.SopInstanceUid == sopInstanceUid);

        /// <summary>The annotation's mask decoded column-major, however its segmentation is stored.</summary>
        public static byte[] Decode(CocoAnnotation annotation, CocoImage image)
        {
            var rle = AnnotationGeometry.ToRle(annotation, image)!;
            var mask = new byte[rle.Height * rle.Width];
            Assert.True(rle.TryDecode(mask));
            return mask;
        }

        /// <summary>The oracle's mask decoded column-major.</summary>
        public static byte[] Decode(OracleMask expected)
        {
            var mask = new byte[expected.Height * expected.Width];
            Assert.True(Rle.FromCompressedString(expected.Counts, expected.Height, expected.Width).TryDecode(mask));
            return mask;
        }

        /// <summary>The dataset written as COCO JSON, for checks on what a user would see.</summary>
        public static string Json(CocoDataset ds)
        {
            using var stream = new MemoryStream();
            CocoJsonWriter.Write(ds, stream);
            return System.Text.Encoding.UTF8.GetString(stream.ToArray());
        }
    }
}
