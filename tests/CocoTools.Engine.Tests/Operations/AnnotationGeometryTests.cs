using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using CocoTools.Engine.Coco;
using CocoTools.Engine.Coco.Json;
using CocoTools.Engine.Masks;
using CocoTools.Engine.Tests.Support;
using Xunit;
using CocoTools.Engine.Operations;

namespace CocoTools.Engine.Tests.Operations
{
    public class AnnotationGeometryTests
    {
        [Fact]
        public void Polygon_area_is_the_unclipped_shoelace_area_not_the_pixel_count()
        {
            var polygons = new[] { new double[] { -10, -10, 10, -10, 10, 10, -10, 10 }, new double[] { 0, 0, 3, 0, 0, 4 } };

            Assert.Equal(400 + 6, AnnotationGeometry.PolygonArea(polygons));
            Assert.Equal(new CocoBox(-10, -10, 20, 20), AnnotationGeometry.PolygonBox(polygons));
        }

        [Fact]
        public void Rle_area_is_the_pixel_count_and_its_bbox_pycocotools_toBbox()
        {
            var a = new CocoAnnotation { Id = 1, Segmentation = new CocoRleSegmentation(4, 3, new uint[] { 5, 3, 4 }) };

            Assert.Equal(3, AnnotationGeometry.ComputeArea(a));
            // Pixels 5, 6, 7 in column-major order on a 4-high mask: column 1, rows 1 to 3.
            Assert.Equal(new CocoBox(1, 1, 1, 3), AnnotationGeometry.ComputeBbox(a));
        }

        [Fact]
        public void Box_only_annotations_have_the_box_area()
        {
            Assert.Equal(12, AnnotationGeometry.ComputeArea(new CocoAnnotation { Id = 1, Bbox = new CocoBox(1, 1, 3, 4) }));
        }

        [Fact]
        public void Export_fills_missing_area_and_bbox_without_changing_the_dataset_or_present_values()
        {
            var ds = new CocoDataset();
            ds.Images.Add(new CocoImage { Id = 1, Width = 10, Height = 10 });
            ds.Annotations.Add(new CocoAnnotation { Id = 1, ImageId = 1, Segmentation = new CocoPolygonSegmentation(new[] { new double[] { 0, 0, 4, 0, 4, 2 } }) });
            ds.Annotations.Add(new CocoAnnotation { Id = 2, ImageId = 1, Segmentation = new CocoPolygonSegmentation(new[] { new double[] { 0, 0, 4, 0, 4, 2 } }), Area = 99, Bbox = new CocoBox(1, 1, 1, 1) });
            using var stream = new MemoryStream();

            var report = CocoJsonWriter.Write(ds, stream, new CocoWriteOptions { Indented = false });

            var json = Encoding.UTF8.GetString(stream.ToArray());
            Assert.Contains("\"id\":1,\"image_id\":1,\"segmentation\":[[0,0,4,0,4,2]],\"area\":4,\"bbox\":[0,0,4,2]", json);
            Assert.Contains("\"area\":99,\"bbox\":[1,1,1,1]", json);
            Assert.Equal((1, 1), (report.FilledArea, report.FilledBbox));
            Assert.Null(ds.Annotations[0].Area);
        }

        [Fact]
        public void Rle_export_equals_pycocotools_merge_of_frPyObjects_for_every_annotation()
        {
            var ds = CocoJsonReader.Read(new MemoryStream(Bench.SyntheticCoco.Generate(images: 50, annotations: 400)), null);
            ds.Annotations[0].Segmentation = new CocoPolygonSegmentation(new[] { new[] { 10.5, 10.25, 60, 12, 33.3, 70 }, new[] { 100.0, 100, 140, 100, 120, 150 } });
            ds.Annotations[1].Segmentation = new CocoRleSegmentation(480, 640, new uint[] { 1000, 50, (480 * 640) - 1050 });
            using var dir = new TempDir();
            string source = dir.File("source.json"), converted = dir.File("rle.json");
            CocoJsonWriter.WriteFile(ds, source);

            var report = CocoJsonWriter.WriteFile(ds, converted, new CocoWriteOptions { SegmentationFormat = CocoSegmentationFormat.Rle });

            Assert.Equal(400, report.ConvertedToRle);
            var run = PythonOracle.RunPython(@"
import json, sys
import pycocotools.mask as m
src = json.load(open(sys.argv[1])); out = json.load(open(sys.argv[2]))
imgs = {i['id']: i for i in src['images']}
bad = 0
for a, b in zip(src['annotations'], out['annotations']):
    img = imgs[a['image_id']]
    # As pycocotools' annToRLE: polygon lists are merged, an uncompressed RLE dict is converted alone.
    rles = m.frPyObjects(a['segmentation'], img['height'], img['width'])
    expected = m.merge(rles) if isinstance(a['segmentation'], list) else rles
    if expected['counts'].decode() != b['segmentation']['counts'] or expected['size'] != b['segmentation']['size']:
        bad += 1
print(bad, len(out['annotations']))
", source, converted);
            Assert.True(run.ExitCode == 0, run.StdErr);
            Assert.Equal("0 400", run.StdOut.Trim());
        }

        [Fact]
        public void An_annotation_that_cannot_become_rle_is_reported_and_written_as_it_was()
        {
            var ds = new CocoDataset();
            ds.Images.Add(new CocoImage { Id = 1, Width = 10, Height = 10 });
            ds.Annotations.Add(new CocoAnnotation { Id = 7, ImageId = 1, Segmentation = new CocoPolygonSegmentation(new[] { new double[] { 0, 0, 4, 0 } }) });
            ds.Annotations.Add(new CocoAnnotation { Id = 8, ImageId = 1, Segmentation = new CocoPolygonSegmentation(new[] { new double[] { 0, 0, 4, 0, 4, 4 } }) });
            var errors = new System.Collections.Generic.List<CocoToolsException>();
            using var stream = new MemoryStream();

            var report = CocoJsonWriter.Write(ds, stream, new CocoWriteOptions { SegmentationFormat = CocoSegmentationFormat.Rle, OnAnnotationError = errors.Add });

            var e = Assert.Single(errors);
            Assert.Equal(("PolygonTooShort", (object?)7L), (e.ErrorId, e.Target));
            Assert.Equal((1, 1), (report.ConvertedToRle, report.Failed));
            using var doc = JsonDocument.Parse(stream.ToArray());
            var annotations = doc.RootElement.GetProperty("annotations").EnumerateArray().ToArray();
            Assert.Equal(JsonValueKind.Array, annotations[0].GetProperty("segmentation").ValueKind);
            Assert.Equal(JsonValueKind.Object, annotations[1].GetProperty("segmentation").ValueKind);
        }
    }
}
