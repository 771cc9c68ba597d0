using System.IO;
using System.Linq;
using CocoTools.Engine.Coco;
using CocoTools.Engine.Dicom;
using CocoTools.Engine.Operations.DicomAnnotations;
using CocoTools.Engine.Tests.Support;
using Xunit;

namespace CocoTools.Engine.Tests.Operations.DicomAnnotations
{
    public class DicomAnnotationImporterTests
    {
        private static string Shared(string name) => Path.Combine(ImagePlacementIndexTests.Annotations, name);

        /// <summary>Claims CT images as "annotation objects" so the importer's bookkeeping can be checked without SEG.</summary>
        private sealed class FakeConverter : IDicomAnnotationConverter
        {
            public bool Fail { get; set; }

            public bool NotMine { get; set; }

            public string ObjectKind => "FAKE";

            public bool CanConvert(string sopClassUid) => sopClassUid == "1.2.840.10008.5.1.4.1.1.2";

            public DicomConversion Convert(DicomHeader header, DicomAnnotationContext context)
            {
                if (NotMine)
                {
                    return DicomConversion.PassOver("a report without measurements");
                }

                if (Fail)
                {
                    throw new DicomAnnotationException(DicomAnnotationErrorKind.FrameSizeMismatch, header.SourcePath!, "frame 2", "16x16, its image 8x8.");
                }

                var result = new DicomConversion();
                var liver = new DicomCategorySpec("Liver") { Supercategory = "Organ", Color = new[] { 1, 2, 3 } };
                liver.Members["dicom"] = new System.Collections.Generic.Dictionary<string, object?> { ["SegmentedPropertyType"] = "T-62000" };
                result.Annotations.Add(new DicomNewAnnotation(new CocoAnnotation { ImageId = 1, Bbox = new CocoBox(0, 0, 1, 1) }, liver));
                result.Annotations.Add(new DicomNewAnnotation(new CocoAnnotation { ImageId = 1, Bbox = new CocoBox(1, 1, 1, 1) }, liver));
                result.Annotations.Add(new DicomNewAnnotation(new CocoAnnotation { ImageId = 1, Bbox = new CocoBox(2, 2, 1, 1) }, new DicomCategorySpec("tumour")));
                result.NotPlaced.Add(new DicomNotPlaced("frame 3", DicomAnnotationErrorKind.ImageMissing, "9.8.7"));
                result.Count("kept as RLE (holes)");
                return result;
            }
        }

        [Fact]
        public void A_conversion_is_added_at_once_with_categories_matched_by_name_and_created_once()
        {
            var ds = new CocoDataset();
            ds.Images.AddNew(new CocoImage { Width = 8, Height = 8, FileName = "x" });
            ds.Categories.AddNew(new CocoCategory { Name = "TUMOUR" });
            var importer = new DicomAnnotationImporter(ds, null, new IDicomAnnotationConverter[] { new FakeConverter() });

            var outcome = importer.Import(Shared("pydicom_CT2_17106.dcm"));

            Assert.Equal(DicomImportStatus.Converted, outcome.Status);
            Assert.Equal(3, ds.Annotations.Count);
            var liver = Assert.Single(outcome.CategoriesAdded);
            Assert.Equal(("Liver", "Organ"), (liver.Name, liver.Supercategory));
            Assert.Equal(new[] { 1, 2, 3 }, liver.Color);
            Assert.Contains("T-62000", liver.Extra.GetRawJson("dicom"));
            Assert.Equal(new long?[] { liver.Id, liver.Id, 1 }, ds.Annotations.Select(a => a.CategoryId));
            Assert.Contains("1 item(s) not placed", outcome.NotPlacedMessage);
            Assert.Contains("9.8.7", outcome.NotPlacedMessage);
            Assert.Equal(1, importer.Summary.NotPlaced);
            Assert.Equal(3, importer.Summary.Annotations["box"]);
            Assert.Contains("1 kept as RLE (holes)", importer.Summary.ToString());
        }

        [Fact]
        public void An_object_that_fails_adds_nothing_and_says_which_item()
        {
            var ds = new CocoDataset();
            var importer = new DicomAnnotationImporter(ds, null, new IDicomAnnotationConverter[] { new FakeConverter { Fail = true } });

            var outcome = importer.Import(Shared("pydicom_CT2_17106.dcm"));

            Assert.Equal(DicomImportStatus.Failed, outcome.Status);
            Assert.Equal(DicomAnnotationErrorKind.FrameSizeMismatch, outcome.ErrorKind);
            Assert.Equal("DicomAnnotationFrameSizeMismatch", outcome.Error!.ErrorId);
            Assert.Contains("pydicom_CT2_17106.dcm: frame 2:", outcome.Error.Message);
            Assert.Empty(ds.Annotations);
            Assert.Empty(ds.Categories);
        }

        [Fact]
        public void Images_and_files_that_are_not_DICOM_are_passed_over_and_annotation_SOP_classes_are_recognised()
        {
            using var dir = new TempDir();
            var importer = new DicomAnnotationImporter(new CocoDataset());

            var image = importer.Import(Shared("pydicom_CT2_17106.dcm"));
            var text = importer.Import(dir.Write("notes.txt", "not a DICOM file at all, just some words"));

            Assert.Equal(DicomImportStatus.NotAnnotationObject, image.Status);
            Assert.Contains("SOP Class 1.2.840.10008.5.1.4.1.1.2", image.PassedOverReason);
            Assert.Equal(DicomImportStatus.NotAnnotationObject, text.Status);
            Assert.Equal(2, importer.Summary.PassedOver);
            Assert.True(DicomAnnotationImporter.IsAnnotationObject("1.2.840.10008.5.1.4.1.1.66.4"));
            Assert.True(DicomAnnotationImporter.IsAnnotationObject("1.2.840.10008.5.1.4.1.1.66.7"));
            Assert.True(DicomAnnotationImporter.IsAnnotationObject("1.2.840.10008.5.1.4.1.1.481.3"));
            Assert.True(DicomAnnotationImporter.IsAnnotationObject("1.2.840.10008.5.1.4.1.1.88.34"));
            Assert.False(DicomAnnotationImporter.IsAnnotationObject("1.2.840.10008.5.1.4.1.1.2"));
        }

        [Fact]
        public void A_converter_may_pass_an_object_over_and_that_is_not_an_error()
        {
            var ds = new CocoDataset();
            var importer = new DicomAnnotationImporter(ds, null, new IDicomAnnotationConverter[] { new FakeConverter { NotMine = true } });

            var outcome = importer.Import(Shared("pydicom_CT2_17106.dcm"));

            Assert.Equal(DicomImportStatus.NotAnnotationObject, outcome.Status);
            Assert.Equal("a report without measurements", outcome.PassedOverReason);
            Assert.Equal((1, 0), (importer.Summary.PassedOver, importer.Summary.Failed));
        }

        [Fact]
        public void A_truncated_file_is_a_failure_of_kind_truncated()
        {
            using var dir = new TempDir();
            var bytes = File.ReadAllBytes(Shared("highdicom_seg_image_ct_binary.dcm"));
            string cut = dir.File("cut.dcm");
            File.WriteAllBytes(cut, bytes.Take(900).ToArray());

            var outcome = new DicomAnnotationImporter(new CocoDataset()).Import(cut);

            Assert.Equal(DicomImportStatus.Failed, outcome.Status);
            Assert.Equal(DicomAnnotationErrorKind.Truncated, outcome.ErrorKind);
        }
    }
}
