using System.IO;
using System.Linq;
using CocoTools.Engine.Coco;
using CocoTools.Engine.Coco.Json;
using CocoTools.Engine.Imaging;
using CocoTools.Engine.Operations.DicomAnnotations;
using CocoTools.Engine.Tests.Support;
using Xunit;

namespace CocoTools.Engine.Tests.Operations.DicomAnnotations
{
    public class ImagePlacementIndexTests
    {
        internal static string Annotations => Path.Combine(TestPaths.Shared, "dicom-annotations");

        private static CocoImage Image(string sop, double z, int? frame = null, string frameOfReference = "1.2.3", string? spacing = null)
        {
            var image = new CocoImage { Width = 4, Height = 4, FileName = sop + (frame is int f ? "#" + f : string.Empty) };
            image.Extra.SetRawJson("dicom", $"{{\"SOPInstanceUID\": \"{sop}\"{(frame is int g ? $", \"frame\": {g}" : string.Empty)}, \"FrameOfReferenceUID\": \"{frameOfReference}\", \"ImagePositionPatient\": [0, 0, {z}], \"ImageOrientationPatient\": [1, 0, 0, 0, 1, 0], \"PixelSpacing\": [1, 1]{spacing}}}");
            return image;
        }

        private static CocoDataset Dataset(params CocoImage[] images)
        {
            var ds = new CocoDataset();
            foreach (var image in images)
            {
                ds.Images.AddNew(image);
            }

            return ds;
        }

        [Fact]
        public void Images_are_found_by_SOP_instance_and_frame()
        {
            var ds = Dataset(Image("1.1", 0), Image("1.2", 0, frame: 1), Image("1.2", 1, frame: 2));
            var index = ImagePlacementIndex.Build(ds);

            Assert.Same(ds.Images[0], index.FindBySop("1.1", null)!.Image);
            Assert.Same(ds.Images[0], index.FindBySop("1.1", 1)!.Image);
            Assert.Null(index.FindBySop("1.1", 2));
            Assert.Same(ds.Images[2], index.FindBySop("1.2", 2)!.Image);
            Assert.Null(index.FindBySop("1.2", null)); // which frame? not guessed
            Assert.Null(index.FindBySop("9.9", null));
            Assert.True(index.ContainsSop("1.2"));
        }

        [Fact]
        public void Points_land_on_the_nearest_image_of_their_frame_of_reference_within_half_the_slice_spacing()
        {
            var ds = Dataset(Image("a", 0, spacing: ", \"SpacingBetweenSlices\": 2"), Image("b", 2, spacing: ", \"SpacingBetweenSlices\": 2"), Image("c", 2, frameOfReference: "other"));
            var index = ImagePlacementIndex.Build(ds);

            Assert.Equal("a", index.FindByPoints("1.2.3", new double[] { 1, 1, 0.2, 2, 2, -0.3 })!.SopInstanceUid);
            Assert.Equal("b", index.FindByPoints("1.2.3", new double[] { 1, 1, 1.1 })!.SopInstanceUid); // nearer b than a
            Assert.Null(index.FindByPoints("1.2.3", new double[] { 1, 1, 3.2 })); // beyond half the spacing of b
            Assert.Null(index.FindByPoints("1.2.3", new double[] { 1, 1, 0.2, 1, 1, 1.8 })); // not one plane
            Assert.Equal("c", index.FindByPoints("other", new double[] { 0, 0, 2 })!.SopInstanceUid);
            Assert.Null(index.FindByPoints(null, new double[] { 0, 0, 0 }));
        }

        [Fact]
        public void Without_a_slice_spacing_the_gap_to_the_neighbouring_slice_decides()
        {
            var ds = Dataset(Image("a", 0), Image("b", 3), Image("c", 9));
            var index = ImagePlacementIndex.Build(ds);

            Assert.Equal(1.5, index.Of(ds.Images[0])!.Tolerance, 9);
            Assert.Equal(1.5, index.Of(ds.Images[1])!.Tolerance, 9);
            Assert.Equal(3, index.Of(ds.Images[2])!.Tolerance, 9);
            Assert.Equal("c", index.FindByPoints("1.2.3", new double[] { 0, 0, 6.5 })!.SopInstanceUid);
        }

        [Fact]
        public void A_dataset_saved_to_JSON_and_read_back_still_places_points_on_its_images()
        {
            using var dir = new TempDir();
            var ds = new CocoDataset();
            foreach (var n in new[] { 1, 2, 3 })
            {
                var scanned = ImageScanner.Scan(Path.Combine(Annotations, $"dcmqi_ct-3slice_0{n}.dcm"));
                ds.Images.AddNew(ImageScanner.ToImages(scanned, new ImageScanOptions { BasePath = Annotations })[0]);
            }

            string json = dir.File("ct.json");
            CocoJsonWriter.WriteFile(ds, json);
            var back = CocoJsonReader.ReadFile(json);
            var before = ImagePlacementIndex.Build(ds);
            var after = ImagePlacementIndex.Build(back);

            foreach (var image in back.Images)
            {
                var placed = after.Of(image)!;
                Assert.NotNull(placed.Plane);
                var (x, y, z) = placed.Plane!.ToPatient(100, 200);
                Assert.Same(image, after.FindByPoints(placed.FrameOfReferenceUid, new[] { x, y, z })!.Image);
                Assert.Same(image, after.FindBySop(placed.SopInstanceUid!, null)!.Image);
                Assert.Equal(before.Of(ds.Images.Find(image.Id)!)!.Plane!.Position, placed.Plane.Position);
            }
        }
    }
}
