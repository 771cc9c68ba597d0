using System.Linq;
using CocoTools.Engine.Coco;
using CocoTools.Engine.Imaging;
using CocoTools.Engine.Operations;
using CocoTools.Engine.Tests.Dicom;
using Xunit;

namespace CocoTools.Engine.Tests.Operations
{
    /// <summary>
    /// One rule for "the same image", shared by Add-CocoImage (ImageImporter) and Merge-CocoDataset (DatasetMerger).
    /// They disagreed: Add-CocoImage took a matching file_name OR SOP instance as the same image, the merger the SOP
    /// instance first. The SOP instance wins: two different instances stored under the same relative name (two
    /// sites' IM0001.dcm) are two images, so a merge never moves one's annotations onto the other.
    /// </summary>
    public class ImageIdentityTests
    {
        private static CocoImage Image(string fileName, string? sop = null, int? frame = null)
        {
            var image = new CocoImage { FileName = fileName, Width = 4, Height = 4 };
            if (sop != null)
            {
                image.Extra.SetRawJson("dicom", frame is int f ? $"{{\"SOPInstanceUID\":\"{sop}\",\"frame\":{f}}}" : $"{{\"SOPInstanceUID\":\"{sop}\"}}");
            }

            return image;
        }

        [Fact]
        public void The_SOP_instance_and_frame_decide_else_the_file_name_and_frame()
        {
            Assert.Equal(ImageIdentity.Of(Image("a.dcm", "1.2.3")), ImageIdentity.Of(Image("moved/b.dcm", "1.2.3")));
            Assert.NotEqual(ImageIdentity.Of(Image("IM0001.dcm", "1.2.3")), ImageIdentity.Of(Image("IM0001.dcm", "1.2.4")));
            Assert.NotEqual(ImageIdentity.Of(Image("a.dcm", "1.2.3", 1)), ImageIdentity.Of(Image("a.dcm", "1.2.3", 2)));
            Assert.Equal(ImageIdentity.Of(Image("a.png")), ImageIdentity.Of(Image("a.png")));
            Assert.NotEqual(ImageIdentity.Of(Image("a.png")), ImageIdentity.Of(Image("b.png")));
        }

        [Fact]
        public void A_merge_keeps_two_instances_with_one_file_name_and_joins_one_instance_under_two_names()
        {
            var first = new CocoDataset();
            first.Images.AddNew(Image("IM0001.dcm", "1.2.3"));
            var second = new CocoDataset();
            second.Images.AddNew(Image("IM0001.dcm", "1.2.4"));
            second.Images.AddNew(Image("elsewhere/IM0001.dcm", "1.2.3"));

            var (merged, report) = DatasetMerger.Merge(new[] { first, second });

            Assert.Equal(2, merged.Images.Count);
            Assert.Equal(1, report.DuplicateImages);
        }

        [Fact]
        public void Add_CocoImage_adds_a_new_instance_under_a_known_file_name_and_skips_a_known_instance()
        {
            var scanned = ImageScanner.Scan(DicomSamples.PathOf("pydicom_MR_small.dcm"));
            string sop = scanned.Dicom!.SopInstanceUid!;
            var dataset = new CocoDataset();
            dataset.Images.AddNew(Image("pydicom_MR_small.dcm", sop + ".9"));
            var importer = new ImageImporter(dataset, new ImageScanOptions { BasePath = DicomSamples.Folder });

            var added = importer.Add(scanned);
            var again = importer.Add(scanned);

            Assert.Single(added.Added);
            Assert.Null(added.DuplicateFile);
            Assert.Empty(again.Added);
            Assert.Equal(sop, again.DuplicateFile?.SopInstanceUid);
            Assert.Equal(2, dataset.Images.Count);
        }

        [Fact]
        public void A_multi_frame_file_already_partly_present_adds_only_the_missing_frames()
        {
            var scanned = ImageScanner.Scan(DicomSamples.PathOf("fodicom_mr_brucker.dcm"));
            var dataset = new CocoDataset();
            dataset.Images.AddNew(Image("other-name.dcm", scanned.Dicom!.SopInstanceUid, 2));
            var importer = new ImageImporter(dataset, new ImageScanOptions { BasePath = DicomSamples.Folder });

            var result = importer.Add(scanned);

            Assert.Equal(new[] { 2 }, result.DuplicateFrames);
            Assert.Equal(new[] { 1, 3, 4 }, result.Added.Select(i => CocoImageDicom.Of(i)!.Frame!.Value));
        }
    }
}
