using System.IO;
using System.Linq;
using System.Text;
using CocoTools.Engine.Coco;
using CocoTools.Engine.Coco.Json;
using CocoTools.Engine.Tests.Support;
using Xunit;

namespace CocoTools.Engine.Tests.Coco
{
    public class ViewerFlavorTests
    {
        private static CocoDataset ImportSeed() => CocoJsonReader.ReadFile(TestPaths.SeedSample);

        [Fact]
        public void Seed_export_becomes_standard_coco_with_integer_ids_from_one()
        {
            var ds = ImportSeed();

            var image = Assert.Single(ds.Images);
            Assert.Equal(1, image.Id);
            Assert.Equal(512, image.Width);
            Assert.Equal("000045.dcm", image.FileName);
            Assert.True(image.Extra.TryGetString("dicomweb_url", out var url));
            Assert.Equal("dicomweb://localhost:8000/radiology/TCGA-CA-G4H2/DICOM/000045.dcm", url);
            Assert.Equal(CocoFlavor.Viewer, ds.SourceFlavor);
        }

        [Fact]
        public void Entries_sharing_a_uuid_become_one_annotation_with_one_polygon_per_entry()
        {
            var ds = ImportSeed();

            Assert.Equal(new long[] { 1, 2, 3 }, ds.Annotations.Select(a => a.Id));
            Assert.Equal(new[] { 2, 2, 2 }, ds.Annotations.Select(a => ((CocoPolygonSegmentation)a.Segmentation!).Polygons.Count));
            var first = ds.Annotations[0];
            Assert.True(first.Extra.TryGetString("uid", out var uid));
            Assert.Equal("163b7530-acd2-4937-b529-27166f56b305", uid);
            Assert.Equal(6, ((CocoPolygonSegmentation)first.Segmentation!).Polygons[0].Length);
            Assert.Equal(175.16666666666669, ((CocoPolygonSegmentation)first.Segmentation!).Polygons[0][0]);
            Assert.False(first.Extra.Contains("annotations"));
        }

        [Fact]
        public void Category_names_become_categories_in_order_of_first_appearance()
        {
            var ds = ImportSeed();

            Assert.Equal(new[] { "polygon", "Car", "freehan" }, ds.Categories.Select(c => c.Name));
            Assert.Equal(new long[] { 1, 2, 3 }, ds.Categories.Select(c => c.Id));
            Assert.Equal(new long?[] { 1, 2, 3 }, ds.Annotations.Select(a => a.CategoryId));
        }

        [Fact]
        public void Attribute_records_move_to_the_image_and_are_not_annotations()
        {
            var ds = ImportSeed();

            var attributes = ds.Images[0].Extra.GetRawJson("attributes");
            JsonAssert.Equivalent("{\"Image size\":\"c1\",\"Image color\":\"r1\",\"opacity\":\"o1\",\"clarity\":\"\"}", attributes!);
            Assert.Equal(3, ds.Annotations.Count);
        }

        [Fact]
        public void Bbox_is_computed_from_the_vertices_of_all_polygons_of_the_annotation()
        {
            var ds = ImportSeed();

            // "Car": two rectangles 138.5..200.5 x 253.14..285.14 and 252.5..302.5 x 239.14..277.14.
            var car = ds.Annotations[1].Bbox!.Value;
            Assert.Equal(138.5, car.X);
            Assert.Equal(239.140625, car.Y);
            Assert.Equal(302.5 - 138.5, car.Width);
            Assert.Equal(285.140625 - 239.140625, car.Height);
        }

        [Fact]
        public void Area_is_the_shoelace_area_summed_over_the_polygons()
        {
            var ds = ImportSeed();

            // "Car": two axis-aligned rectangles, 62 x 32 and 50 x 38.
            Assert.Equal((62 * 32) + (50 * 38), ds.Annotations[1].Area);
        }

        [Fact]
        public void Each_kind_of_repair_is_reported_once_with_its_count()
        {
            var ds = ImportSeed();

            var repairs = ds.Repairs.ToDictionary(r => r.Kind, r => r.Count);
            Assert.Equal(1, repairs["StringImageId"]);
            Assert.Equal(3, repairs["StringAnnotationId"]);
            Assert.Equal(3, repairs["MergedAnnotationParts"]);
            Assert.Equal(6, repairs["CategoryName"]);
            Assert.Equal(6, repairs["FlatSegmentation"]);
            Assert.Equal(4, repairs["AttributeRecord"]);
            Assert.Equal(6, repairs["EmptyNestedAnnotations"]);
            Assert.Equal(3, repairs["ComputedBbox"]);
            Assert.Equal(3, repairs["ComputedArea"]);
            Assert.Equal(ds.Repairs.Count, ds.Repairs.Select(r => r.Kind).Distinct().Count());
        }

        [Fact]
        public void Exporting_the_viewer_flavour_reproduces_the_seed_sample_member_for_member()
        {
            var ds = ImportSeed();
            using var stream = new MemoryStream();

            CocoJsonWriter.Write(ds, stream, new CocoWriteOptions { Flavor = CocoFlavor.Viewer });

            JsonAssert.Equivalent(File.ReadAllText(TestPaths.SeedSample), Encoding.UTF8.GetString(stream.ToArray()));
        }

        [Fact]
        public void Interleaved_parts_and_attributes_keep_their_order_through_a_viewer_round_trip()
        {
            const string json = @"{""images"":[{""id"":""dicomweb://h/a.dcm"",""file_name"":""a.dcm"",""width"":10,""height"":10}],
""categories"":[],""annotations"":[
{""segmentation"":[1,1,5,1,5,5],""annotations"":[],""image_id"":""dicomweb://h/a.dcm"",""iscrowd"":0,""id"":""A"",""category_id"":""x""},
{""value"":""v1"",""name"":""n"",""image_id"":""dicomweb://h/a.dcm""},
{""segmentation"":[2,2,6,2,6,6],""annotations"":[],""image_id"":""dicomweb://h/a.dcm"",""iscrowd"":0,""id"":""B"",""category_id"":""y""},
{""value"":""v2"",""name"":""n"",""image_id"":""dicomweb://h/a.dcm""},
{""segmentation"":[3,3,7,3,7,7],""annotations"":[],""image_id"":""dicomweb://h/a.dcm"",""iscrowd"":0,""id"":""A"",""category_id"":""x""}]}";
            var ds = CocoJsonReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(json)), null);
            using var stream = new MemoryStream();

            CocoJsonWriter.Write(ds, stream, new CocoWriteOptions { Flavor = CocoFlavor.Viewer });

            Assert.Equal(2, ds.Annotations.Count);
            JsonAssert.Equivalent(@"{""n"":[""v1"",""v2""]}", ds.Images[0].Extra.GetRawJson("attributes")!);
            using var doc = System.Text.Json.JsonDocument.Parse(stream.ToArray());
            using var original = System.Text.Json.JsonDocument.Parse(json);
            JsonAssert.Equivalent(original.RootElement.GetProperty("annotations").GetRawText(), doc.RootElement.GetProperty("annotations").GetRawText());
        }

        [Fact]
        public void Strict_refuses_to_repair_and_names_the_first_construct_and_the_count()
        {
            var e = Assert.Throws<CocoFormatException>(() => CocoJsonReader.ReadFile(TestPaths.SeedSample, new CocoReadOptions { Strict = true }));

            Assert.Equal("ViewerFlavor", e.ErrorId);
            Assert.Equal("/images/0/id", e.JsonPointer);
            Assert.Equal(7, e.Line);
            Assert.Contains("Import-CocoJson without -Strict repairs this", e.Message);
            Assert.Matches(@"and \d+ more problems", e.Message);
        }

        [Fact]
        public void A_standard_export_of_the_repaired_sample_reads_back_as_a_standard_file_without_repairs()
        {
            var ds = ImportSeed();
            using var stream = new MemoryStream();
            CocoJsonWriter.Write(ds, stream);

            var again = CocoJsonReader.Read(new MemoryStream(stream.ToArray()), null, new CocoReadOptions { Strict = true });

            Assert.Empty(again.Repairs);
            Assert.Equal(CocoFlavor.Standard, again.SourceFlavor);
            Assert.Equal(3, again.Annotations.Count);
        }
    }
}
