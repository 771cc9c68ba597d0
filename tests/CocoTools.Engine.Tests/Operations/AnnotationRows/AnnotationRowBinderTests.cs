using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using CocoTools.Engine.Coco;
using CocoTools.Engine.Coco.Json;
using CocoTools.Engine.Masks;
using CocoTools.Engine.Tabular;
using Xunit;
using CocoTools.Engine.Operations.AnnotationRows;

namespace CocoTools.Engine.Tests.Operations.AnnotationRows
{
    public class AnnotationRowBinderTests
    {
        /// <summary>A dataset with the images named (file names), each w x h.</summary>
        private static CocoDataset DatasetWith(int width, int height, params string[] fileNames)
        {
            var dataset = new CocoDataset();
            foreach (var name in fileNames)
            {
                dataset.Images.AddNew(new CocoImage { FileName = name, Width = width, Height = height });
            }

            return dataset;
        }

        /// <summary>How <see cref="Import"/> hands the rows of a CSV text to the binder.</summary>
        public enum ReadMode
        {
            /// <summary>As -CsvPath does: read, parsed and prepared on a second thread, bound in place.</summary>
            AheadOnSecondThread,
            /// <summary>Read-ahead work done on the binding thread (one-core machines).</summary>
            AheadOnThisThread,
            /// <summary>Records bound in place, the binder doing all the preparation itself.</summary>
            InPlace,
            /// <summary>Rows as string values, as Import-Csv rows are.</summary>
            AsStrings,
        }

        /// <summary>
        /// Reads CSV text through the binder (by default as -CsvPath does); returns the binder and the errors of
        /// refused rows.
        /// </summary>
        private static (AnnotationRowBinder Binder, List<CocoToolsException> Errors) Import(CocoDataset dataset, string csv, AnnotationImportOptions? options = null, ReadMode mode = ReadMode.AheadOnSecondThread)
        {
            var binder = new AnnotationRowBinder(dataset, options ?? new AnnotationImportOptions());
            var errors = new List<CocoToolsException>();
            using var reader = new CsvRecordReader(new StringReader(csv));
            if (mode == ReadMode.AheadOnSecondThread || mode == ReadMode.AheadOnThisThread)
            {
                // The engine's own -CsvPath loop, as the cmdlet runs it.
                var feed = new AnnotationRowFeed(dataset, binder, new ErrorCollector(errors));
                Assert.True(feed.AddCsv(reader, "list.csv", readAheadOnSecondThread: mode == ReadMode.AheadOnSecondThread, pauseBytes: 0));
                errors.AddRange(binder.Complete());
                return (binder, errors);
            }

            var header = reader.Read()!;
            int row = 0;
            while (reader.ReadRecord())
            {
                row++;
                var where = new RowLocation("list.csv", row, reader.RecordLine);
                try
                {
                    if (mode == ReadMode.AsStrings)
                    {
                        var values = new object?[reader.Current.Count];
                        for (int i = 0; i < values.Length; i++)
                        {
                            values[i] = reader.Current[i].ToString();
                        }

                        binder.Add(header, values, where);
                    }
                    else
                    {
                        binder.Add(header, reader.Current, where);
                    }
                }
                catch (CocoToolsException e)
                {
                    errors.Add(e);
                }
            }

            errors.AddRange(binder.Complete());
            return (binder, errors);
        }

        private sealed class ErrorCollector : IAnnotationRowListener
        {
            private readonly List<CocoToolsException> _errors;

            public ErrorCollector(List<CocoToolsException> errors) => _errors = errors;

            public void Progress(long rows, double fraction, RowLocation where)
            {
            }

            public void Added(CocoAnnotation annotation)
            {
            }

            public void Refused(CocoToolsException error) => _errors.Add(error);

            public void Warned(CocoToolsException warning)
            {
            }
        }

        private static JsonElement Attributes(CocoAnnotation a) => JsonDocument.Parse(a.Extra.GetRawJson("attributes")!).RootElement;

        private static byte[] Decode(CocoAnnotation a)
        {
            var s = (CocoRleSegmentation)a.Segmentation!;
            var rle = s.IsCompressed ? Rle.FromCompressedString(s.CompressedCounts!, s.Height, s.Width) : new Rle(s.Height, s.Width, s.Counts!);
            var mask = new byte[s.Height * s.Width];
            Assert.True(rle.TryDecodeRowMajor(mask));
            return mask;
        }

        [Fact]
        public void Nih_box_list_binds_without_renaming()
        {
            // The header of NIH ChestX-ray14's BBox_List_2017.csv, trailing empty columns included.
            var dataset = DatasetWith(1024, 1024, "images/00013118_008.png", "images/00014716_007.png");
            var (binder, errors) = Import(dataset,
                "Image Index,Finding Label,Bbox [x,y,w,h],,,\n" +
                "00013118_008.png,Atelectasis,225.084745762712,547.019216763771,86.7796610169491,79.1864406779661,,,\n" +
                "00014716_007.png,Atelectasis,686.101694915254,131.543498926507,185.491525423729,313.491525423729,,,\n");

            Assert.Empty(errors);
            Assert.Equal(2, binder.Added);
            var a = dataset.Annotations[0];
            Assert.Equal(dataset.Images.FindByFileName("images/00013118_008.png")!.Id, a.ImageId);
            Assert.Equal("Atelectasis", dataset.Categories.Find(a.CategoryId!.Value)!.Name);
            Assert.Equal(new CocoBox(225.084745762712, 547.019216763771, 86.7796610169491, 79.1864406779661), a.Bbox);
            Assert.Equal(86.7796610169491 * 79.1864406779661, a.Area!.Value, 9);
            Assert.Equal(0, a.IsCrowd);
            Assert.Single(dataset.Categories);
            Assert.Null(a.Extra.GetRawJson("attributes"));
        }

        [Fact]
        public void Repeated_images_and_attributes_resolve_the_same_and_changing_one_annotation_leaves_the_others()
        {
            var dataset = DatasetWith(100, 100, "a.png", "b.png");
            var (binder, errors) = Import(dataset,
                "file_name,label,x,y,w,h,reader\n" +
                "a.png,nodule,1,1,5,5,R1\n" +
                "b.png,nodule,2,2,5,5,R1\n" +
                " a.png ,nodule,3,3,5,5,R2\n" +
                "a.png,nodule,4,4,5,5,R1\n" +
                "c.png,nodule,4,4,5,5,R1\n");

            Assert.Single(errors);
            Assert.Contains("row 5", errors[0].Message);
            Assert.Equal(4, binder.Added);
            var a = dataset.Images.FindByFileName("a.png")!.Id;
            Assert.Equal(new[] { a, dataset.Images.FindByFileName("b.png")!.Id, a, a }, dataset.Annotations.Select(x => x.ImageId).ToArray());
            // Equal attributes share one frozen bag until one of the annotations hands its bag out.
            var shared = dataset.Annotations[0].ExtraOrNull;
            Assert.Same(shared, dataset.Annotations[1].ExtraOrNull);
            Assert.Same(shared, dataset.Annotations[3].ExtraOrNull);
            Assert.NotSame(shared, dataset.Annotations[2].ExtraOrNull);
            Assert.Throws<InvalidOperationException>(() => shared!.Set("attributes", 1));
            var copy = dataset.Annotations[3].Clone();
            Assert.True(copy.Extra.Remove("attributes"));
            Assert.Equal(1, dataset.Annotations[3].ExtraOrNull!.Count);
            Assert.Equal(new[] { "R1", "R1", "R2", "R1" }, dataset.Annotations.Select(x => Attributes(x).GetProperty("reader").GetString()).ToArray());

            dataset.Annotations[0].Extra.Set("attributes", new Dictionary<string, object> { ["reader"] = "R9" });
            Assert.Equal("R9", Attributes(dataset.Annotations[0]).GetProperty("reader").GetString());
            Assert.Equal("R1", Attributes(dataset.Annotations[1]).GetProperty("reader").GetString());
            Assert.Equal("R1", Attributes(dataset.Annotations[3]).GetProperty("reader").GetString());
        }

        [Fact]
        public void Rsna_target_zero_rows_are_counted_not_added_and_create_no_category()
        {
            var dataset = DatasetWith(1024, 1024, "0004cfab-14fd-4e49-80ba-63a80b6bddd6.dcm", "00436515-870c-4b36-a041-de91049b9ab4.dcm");
            var (binder, errors) = Import(dataset,
                "patientId,x,y,width,height,Target\n" +
                "0004cfab-14fd-4e49-80ba-63a80b6bddd6,,,,,0\n" +
                "00436515-870c-4b36-a041-de91049b9ab4,264.0,152.0,213.0,379.0,1\n" +
                "00436515-870c-4b36-a041-de91049b9ab4,562.0,152.0,256.0,453.0,1\n",
                new AnnotationImportOptions { CategoryMap = new Dictionary<string, string> { ["1"] = "Lung Opacity" } });

            Assert.Empty(errors);
            Assert.Equal(2, binder.Added);
            Assert.Equal(1, binder.NoFindingRows);
            Assert.Equal(new[] { "Lung Opacity" }, dataset.Categories.Select(c => c.Name));
            Assert.All(dataset.Annotations, a => Assert.Equal(dataset.Images.FindByFileName("00436515-870c-4b36-a041-de91049b9ab4.dcm")!.Id, a.ImageId));
            Assert.Equal(new CocoBox(264, 152, 213, 379), dataset.Annotations[0].Bbox);
            Assert.Empty(binder.Notes);
        }

        [Fact]
        public void Rsna_numeric_target_without_a_map_is_a_category_named_by_its_number_with_a_note()
        {
            var dataset = DatasetWith(1024, 1024, "a.dcm");
            var (binder, _) = Import(dataset, "patientId,x,y,width,height,Target\na,1,2,3,4,1\n");

            Assert.Equal("1", dataset.Categories.Single().Name);
            Assert.Contains(binder.Notes, n => n.Contains("-CategoryMap"));
        }

        [Fact]
        public void Vindr_corner_boxes_with_no_finding_rows_and_extra_columns_as_attributes()
        {
            var dataset = DatasetWith(3000, 2500, "train/9a5094b2563a1ef3ff50dc5c7ff71345.dicom", "train/051132a778e61a86eb147c7c6f564dfe.dicom");
            var (binder, errors) = Import(dataset,
                "image_id,class_name,class_id,rad_id,x_min,y_min,x_max,y_max\n" +
                "9a5094b2563a1ef3ff50dc5c7ff71345,Cardiomegaly,3,R10,691,1375,1653,1831\n" +
                "051132a778e61a86eb147c7c6f564dfe,No finding,14,R11,,,,\n" +
                "9a5094b2563a1ef3ff50dc5c7ff71345,Aortic enlargement,0,R8,1264,743,1611,1019\n");

            Assert.Empty(errors);
            Assert.Equal(2, binder.Added);
            Assert.Equal(1, binder.NoFindingRows);
            Assert.Equal(new[] { "Cardiomegaly", "Aortic enlargement" }, dataset.Categories.Select(c => c.Name));
            var first = dataset.Annotations[0];
            Assert.Equal(new CocoBox(691, 1375, 1653 - 691, 1831 - 1375), first.Bbox);
            Assert.Equal("R10", Attributes(first).GetProperty("rad_id").GetString());
            Assert.False(Attributes(first).TryGetProperty("class_id", out _));
        }

        [Fact]
        public void No_finding_rows_leave_no_garbage_behind()
        {
            // Nothing is collected while a list loads (BulkLoadGcPause), so rows that keep nothing must allocate nothing.
            var dataset = DatasetWith(64, 64, "a.png", "b.png");
            dataset.Categories.AddNew(new CocoCategory { Name = "Mass" });
            var binder = new AnnotationRowBinder(dataset, new AnnotationImportOptions());
            var csv = new System.Text.StringBuilder("file_name,label,x,y,w,h,reader\n");
            for (int i = 0; i < 20_000; i++)
            {
                csv.Append(i % 2 == 0 ? "a.png" : "b.png").Append(i % 3 == 0 ? ",No finding" : ",Mass").Append(",,,,,R").Append(i % 4).Append('\n');
            }

            using var reader = new CsvRecordReader(new StringReader(csv.ToString()));
            var header = reader.Read()!;
            long before = 0;
            int added = 0;
            for (int row = 1; reader.ReadRecord(); row++)
            {
                if (row == 1001)
                {
                    before = GC.GetAllocatedBytesForCurrentThread();
                }

                added += binder.Add(header, reader.Current, new RowLocation("list.csv", row, row + 1)) == AnnotationRowOutcome.Added ? 1 : 0;
            }

            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.Equal(0, added);
            Assert.Equal(20_000, binder.NoFindingRows);
            Assert.True(allocated < 16 * 1024, $"{allocated} bytes for 19,000 rows");
        }

        [Fact]
        public void No_finding_rows_add_their_image_with_AddMissingImage()
        {
            var dataset = DatasetWith(10, 10);
            var (binder, _) = Import(dataset, "image_id,class_name,x_min,y_min,x_max,y_max\nabc,No finding,,,,\n",
                new AnnotationImportOptions { AddMissingImage = true, ImageRoot = Path.GetTempPath() });

            Assert.Equal(1, binder.NoFindingRows);
            Assert.Equal("abc", dataset.Images.Single().FileName);
            Assert.Empty(dataset.Annotations);
            Assert.Empty(dataset.Categories);
        }

        [Theory]
        [InlineData(PixelOrder.ColumnMajor)]
        [InlineData(PixelOrder.RowMajor)]
        public void Kaggle_encoded_pixels_match_the_pixels_they_number(PixelOrder order)
        {
            const int h = 7, w = 5;
            var dataset = DatasetWith(w, h, "1.2.3.dcm");
            var (_, errors) = Import(dataset, "ImageId,EncodedPixels\n1.2.3,3 4 12 2 30 6\n", new AnnotationImportOptions { DefaultCategory = "pneumothorax", PixelOrder = order });
            Assert.Empty(errors);

            // Pixels numbered 1.. in the stated order: 3-6, 12-13, 30-35.
            var expected = new byte[h * w];
            foreach (int n in Enumerable.Range(3, 4).Concat(Enumerable.Range(12, 2)).Concat(Enumerable.Range(30, 6)))
            {
                int p = n - 1;
                int row = order == PixelOrder.ColumnMajor ? p % h : p / w;
                int col = order == PixelOrder.ColumnMajor ? p / h : p % w;
                expected[(row * w) + col] = 1;
            }

            var a = dataset.Annotations.Single();
            Assert.Equal(expected, Decode(a));
            Assert.Equal(12, a.Area);
            Assert.Equal("pneumothorax", dataset.Categories.Single().Name);
        }

        [Fact]
        public void Kaggle_minus_one_is_no_finding()
        {
            var dataset = DatasetWith(5, 5, "x.png");
            var (binder, errors) = Import(dataset, "ImageId,EncodedPixels\nx, -1\n", new AnnotationImportOptions { DefaultCategory = "p" });
            Assert.Empty(errors);
            Assert.Equal(1, binder.NoFindingRows);
            Assert.Empty(dataset.Categories);
        }

        [Theory]
        [InlineData("\"[10, 10, 20, 10, 20, 20, 10, 20]\"")]
        [InlineData("\"10,10,20,10,20,20,10,20\"")]
        [InlineData("10 10 20 10 20 20 10 20")]
        [InlineData("\"10,10 20,10 20,20 10,20\"")]
        [InlineData("\"[[10, 10, 20, 10, 20, 20, 10, 20]]\"")]
        public void Polygon_text_forms_all_read_the_same(string cell)
        {
            var dataset = DatasetWith(64, 64, "a.png");
            var (_, errors) = Import(dataset, "file_name,label,polygon\na.png,lesion," + cell + "\n");
            Assert.Empty(errors);

            var a = dataset.Annotations.Single();
            var polygon = Assert.Single(((CocoPolygonSegmentation)a.Segmentation!).Polygons);
            Assert.Equal(new double[] { 10, 10, 20, 10, 20, 20, 10, 20 }, polygon);
            Assert.Equal(100, a.Area);
            Assert.Equal(new CocoBox(10, 10, 10, 10), a.Bbox);
        }

        [Fact]
        public void Polygons_from_objects_flat_or_nested()
        {
            var dataset = DatasetWith(64, 64, "a.png");
            var binder = new AnnotationRowBinder(dataset, new AnnotationImportOptions { DefaultCategory = "c" });
            var names = new[] { "image", "segmentation" };
            binder.Add(names, new object?[] { "a.png", new object[] { 0, 0, 4, 0, 4, 4 } }, new RowLocation(1));
            binder.Add(names, new object?[] { "a.png", new object[] { new object[] { 0, 0, 4, 0, 4, 4 }, new double[] { 10, 10, 12, 10, 12, 12 } } }, new RowLocation(2));

            Assert.Single(((CocoPolygonSegmentation)dataset.Annotations[0].Segmentation!).Polygons);
            Assert.Equal(2, ((CocoPolygonSegmentation)dataset.Annotations[1].Segmentation!).Polygons.Count);
            Assert.Equal(8 + 2, dataset.Annotations[1].Area);
        }

        [Fact]
        public void Coco_rle_uncompressed_and_compressed_cells()
        {
            var dataset = DatasetWith(3, 2, "a.png");
            var mask = new byte[] { 0, 1, 1, 1, 0, 0 }; // column-major, h=2, w=3
            var rle = Rle.Encode(mask, 2, 3);
            string compressed = rle.ToCompressedString();
            var (_, errors) = Import(dataset,
                "image_id,category,rle\n" +
                "1,c,\"{\"\"size\"\": [2, 3], \"\"counts\"\": [1, 3, 2]}\"\n" +
                "1,c,\"{\"\"size\"\": [2, 3], \"\"counts\"\": \"\"" + compressed + "\"\"}\"\n");

            Assert.Empty(errors);
            var a = dataset.Annotations[0];
            var b = dataset.Annotations[1];
            Assert.Equal(new uint[] { 1, 3, 2 }, ((CocoRleSegmentation)a.Segmentation!).Counts);
            Assert.Equal(compressed, ((CocoRleSegmentation)b.Segmentation!).CompressedCounts);
            Assert.Equal(Decode(a), Decode(b));
            Assert.Equal(3, a.Area);
            Assert.Equal(new CocoBox(0, 0, 2, 2), a.Bbox);
        }

        [Theory]
        [InlineData("{\"size\": [2, 3], \"counts\": [1, 3]}", "add up to 4")]
        [InlineData("{\"size\": [4, 4], \"counts\": [16]}", "4x4 but its image is 2x3")]
        [InlineData("{\"counts\": [6]}", "not a COCO RLE object")]
        [InlineData("{\"size\": [2, 3], \"counts\": \"~~\"}", "not a valid RLE string: character 1 is '~'")]
        public void Malformed_rle_is_a_row_error(string json, string message)
        {
            var dataset = DatasetWith(3, 2, "a.png");
            var binder = new AnnotationRowBinder(dataset, new AnnotationImportOptions { DefaultCategory = "c" });
            var e = Assert.Throws<CocoToolsException>(() => binder.Add(new[] { "image_id", "rle" }, new object?[] { "1", json }, new RowLocation("masks.csv", 4, 5)));
            Assert.StartsWith("masks.csv row 4 (line 5): ", e.Message);
            Assert.Contains(message, e.Message);
            Assert.Empty(dataset.Annotations);
        }

        [Fact]
        public void Keypoint_triples_and_per_name_columns_give_the_same_annotation()
        {
            var dataset = DatasetWith(100, 100, "a.png");
            var options = new AnnotationImportOptions
            {
                DefaultCategory = "spine",
                Keypoints = new[] { "C7", "T12", "L5" },
                Skeleton = new[] { new[] { 1, 2 }, new[] { 2, 3 } },
            };
            var (_, errors) = Import(dataset,
                "image,keypoints\n" +
                "a.png,\"[50, 10, 2, 52, 50, 1, 0, 0, 0]\"\n", options);
            Assert.Empty(errors);
            var (_, errors2) = Import(dataset,
                "image,C7_x,C7_y,C7_v,T12_x,T12_y,T12_v,L5_x,L5_y\n" +
                "a.png,50,10,2,52,50,1,,\n", options);
            Assert.Empty(errors2);

            var category = dataset.Categories.Single();
            Assert.Equal(new[] { "C7", "T12", "L5" }, category.Keypoints);
            Assert.Equal(new[] { 1, 2 }, category.Skeleton![0]);
            foreach (var a in dataset.Annotations)
            {
                Assert.Equal(new double[] { 50, 10, 2, 52, 50, 1, 0, 0, 0 }, a.Keypoints);
                Assert.Equal(2, a.NumKeypoints);
                Assert.Equal(new CocoBox(50, 10, 2, 40), a.Bbox);
            }
        }

        [Fact]
        public void Keypoints_must_fit_the_category()
        {
            var dataset = DatasetWith(100, 100, "a.png");
            dataset.Categories.AddNew(new CocoCategory { Name = "hand", Keypoints = new[] { "thumb", "index" } });
            var binder = new AnnotationRowBinder(dataset, new AnnotationImportOptions());
            var e = Assert.Throws<CocoToolsException>(() => binder.Add(new[] { "image", "category", "keypoints" }, new object?[] { "a.png", "hand", "1 2 2" }, new RowLocation(1)));
            Assert.Contains("2 keypoints, so 3 x 2 = 6 numbers", e.Message);
            e = Assert.Throws<CocoToolsException>(() => binder.Add(new[] { "image", "category", "keypoints" }, new object?[] { "a.png", "hand", "1 2 2 3 4 7" }, new RowLocation(2)));
            Assert.Contains("visibility 7", e.Message);
        }

        [Fact]
        public void Captions_have_no_category_or_geometry()
        {
            var dataset = DatasetWith(100, 100, "a.png");
            var (binder, errors) = Import(dataset, "file_name,caption\na.png,\"Right lower lobe consolidation, no effusion.\"\n");

            Assert.Empty(errors);
            var a = dataset.Annotations.Single();
            Assert.Equal("Right lower lobe consolidation, no effusion.", a.Caption);
            Assert.Null(a.CategoryId);
            Assert.Null(a.Bbox);
            Assert.Null(a.Segmentation);
            Assert.Empty(dataset.Categories);
            Assert.Equal(1, binder.Added);
        }

        [Fact]
        public void Iscrowd_score_and_attribute_columns()
        {
            var dataset = DatasetWith(100, 100, "a.png");
            var (_, errors) = Import(dataset,
                "image_id,category,bbox,iscrowd,score,reader,BI-RADS\n" +
                "1,mass,\"[1, 2, 3, 4]\",true,0.875,R2,4a\n");

            Assert.Empty(errors);
            var a = dataset.Annotations.Single();
            Assert.Equal(1, a.IsCrowd);
            Assert.Equal(0.875, a.Score);
            var attributes = Attributes(a);
            Assert.Equal("R2", attributes.GetProperty("reader").GetString());
            Assert.Equal("4a", attributes.GetProperty("BI-RADS").GetString());
        }

        [Fact]
        public void Stuff_rows_become_one_rle_per_image_and_category()
        {
            var dataset = DatasetWith(20, 10, "a.png", "b.png");
            dataset.Categories.AddNew(new CocoCategory { Name = "background-tissue", IsThing = 0 });
            dataset.Categories.AddNew(new CocoCategory { Name = "nodule", IsThing = 1 });
            var (binder, errors) = Import(dataset,
                "file_name,category,bbox\n" +
                "a.png,background-tissue,\"0,0,5,5\"\n" +
                "a.png,background-tissue,\"10,0,5,5\"\n" +
                "b.png,background-tissue,\"0,0,2,2\"\n" +
                "a.png,nodule,\"1,1,2,2\"\n" +
                "a.png,nodule,\"1,1,3,3\"\n");

            Assert.Empty(errors);
            var stuff = dataset.Annotations.Where(a => a.CategoryId == 1).ToList();
            Assert.Equal(2, stuff.Count);
            var onA = stuff.Single(a => a.ImageId == 1);
            Assert.IsType<CocoRleSegmentation>(onA.Segmentation);
            Assert.Equal(50, onA.Area);
            Assert.Equal(new CocoBox(0, 0, 15, 5), onA.Bbox);
            Assert.Equal(4, stuff.Single(a => a.ImageId == 2).Area);
            Assert.Equal(2, dataset.Annotations.Count(a => a.CategoryId == 2));
            Assert.Equal(4, binder.Added);
        }

        [Fact]
        public void StrictCategory_refuses_unknown_categories()
        {
            var dataset = DatasetWith(100, 100, "a.png");
            dataset.Categories.AddNew(new CocoCategory { Name = "mass" });
            var (_, errors) = Import(dataset, "image_id,category,bbox\n1,mass,\"1,1,2,2\"\n1,calcification,\"1,1,2,2\"\n", new AnnotationImportOptions { StrictCategory = true });

            var e = Assert.Single(errors);
            Assert.Equal("UnknownCategory", e.ErrorId);
            Assert.Contains("list.csv row 2 (line 3)", e.Message);
            Assert.Contains("'calcification'", e.Message);
            Assert.Single(dataset.Categories);
            Assert.Single(dataset.Annotations);
        }

        [Fact]
        public void Category_ids_bind_to_existing_categories()
        {
            var dataset = DatasetWith(100, 100, "a.png");
            dataset.Categories.Add(new CocoCategory { Id = 7, Name = "mass" });
            var (_, errors) = Import(dataset, "image_id,category_id,bbox\n1,7,\"1,1,2,2\"\n");
            Assert.Empty(errors);
            Assert.Equal(7, dataset.Annotations.Single().CategoryId);
        }

        [Fact]
        public void Images_resolve_by_id_name_stem_uid_path_and_url()
        {
            var dataset = DatasetWith(100, 100, "study/IM-0001.dcm", "study/IM-0002.dcm", "000045.png");
            dataset.Images[1].CocoUrl = "https://pacs.example/wado/1";
            dataset.Images[0].Extra.SetRawJson("dicom", "{\"SOPInstanceUID\": \"1.2.840.1\"}");

            var (_, errors) = Import(dataset,
                "image,file_name,category,bbox\n" +
                "1,,c,\"1,1,1,1\"\n" +
                ",study/IM-0002.dcm,c,\"1,1,1,1\"\n" +
                ",IM-0002,c,\"1,1,1,1\"\n" +
                ",1.2.840.1,c,\"1,1,1,1\"\n" +
                ",/data/export/study/IM-0001.dcm,c,\"1,1,1,1\"\n" +
                ",https://pacs.example/wado/1,c,\"1,1,1,1\"\n" +
                ",000045,c,\"1,1,1,1\"\n" +
                ",45,c,\"1,1,1,1\"\n");

            var e = Assert.Single(errors);
            Assert.Contains("list.csv row 8 (line 9)", e.Message);
            Assert.Contains("'45' matches no image", e.Message);
            Assert.Equal(new long[] { 1, 2, 2, 1, 1, 2, 3 }, dataset.Annotations.Select(a => a.ImageId));
        }

        [Fact]
        public void Ambiguous_and_unknown_images_are_row_errors()
        {
            var dataset = DatasetWith(100, 100, "a/scan.dcm", "b/scan.dcm");
            var (_, errors) = Import(dataset, "file_name,category,bbox\nscan,c,\"1,1,1,1\"\nnope.png,c,\"1,1,1,1\"\n", new AnnotationImportOptions());

            Assert.Equal(2, errors.Count);
            Assert.Equal("AmbiguousImage", errors[0].ErrorId);
            Assert.Contains("ids 1, 2", errors[0].Message);
            Assert.Equal("UnknownImage", errors[1].ErrorId);
            Assert.Contains("-AddMissingImage", errors[1].Message);
            Assert.Empty(dataset.Annotations);
        }

        [Fact]
        public void AddMissingImage_reads_the_size_from_the_file_under_the_image_root()
        {
            using var dir = new Support.TempDir();
            using (var png = new SixLabors.ImageSharp.Image<SixLabors.ImageSharp.PixelFormats.L8>(40, 30))
            {
                SixLabors.ImageSharp.ImageExtensions.SaveAsPng(png, dir.File("new.png"));
            }

            var dataset = DatasetWith(100, 100);
            var (binder, errors) = Import(dataset, "file_name,category,bbox\nnew,c,\"1,1,5,5\"\nnew.png,c,\"2,2,5,5\"\n",
                new AnnotationImportOptions { AddMissingImage = true, ImageRoot = dir.Path });

            Assert.Empty(errors);
            var image = dataset.Images.Single();
            Assert.Equal(("new.png", 40, 30), (image.FileName, image.Width!.Value, image.Height!.Value));
            Assert.Equal(1, binder.ImagesAdded);
            Assert.Equal(2, dataset.Annotations.Count);
        }

        [Theory]
        [InlineData("x,y,width,height", "1,2,abc,4", "width is 'abc', not a number")]
        [InlineData("x,y,width,height", "1,2,-3,4", "width -3")]
        [InlineData("xmin,ymin,xmax,ymax", "5,5,2,8", "width -3")]
        [InlineData("bbox", "\"90,90,20,5\"", "reaches outside its image (100x100")]
        [InlineData("bbox", "\"1,2,3\"", "3 numbers; a box is [x, y, width, height]")]
        [InlineData("polygon", "\"1,2,3,4\"", "polygon 0 has 4 numbers; a polygon needs at least 6")]
        [InlineData("polygon", "\"1,2,3,4,5,6,7\"", "odd count of numbers (7)")]
        [InlineData("EncodedPixels", "\"1 5 3\"", "odd count of numbers")]
        [InlineData("EncodedPixels", "\"9999 5\"", "past the image's 10000")]
        [InlineData("EncodedPixels", "\"0 5\"", "not a 1-based start")]
        [InlineData("EncodedPixels", "\"5 5 7 2\"", "overlapping runs")]
        [InlineData("iscrowd,bbox", "maybe,\"1,1,1,1\"", "iscrowd is 0 or 1")]
        public void Bad_cells_are_row_errors_and_the_rest_goes_on(string columns, string cells, string message)
        {
            var dataset = DatasetWith(100, 100, "a.png");
            var (binder, errors) = Import(dataset,
                $"image_id,category,{columns}\n" +
                "1,c," + cells + "\n" +
                "1,c," + string.Join(",", columns.Split(',').Select(_ => string.Empty)) + "\n");
            var e = Assert.Single(errors);
            Assert.StartsWith("list.csv row 1 (line 2): ", e.Message);
            Assert.Contains(message, e.Message);
            Assert.Empty(dataset.Annotations);
            Assert.Equal(1, binder.NoFindingRows);

            // The next good row after a bad one is added.
            var next = new AnnotationRowBinder(dataset, new AnnotationImportOptions());
            next.Add(new[] { "image_id", "category", "bbox" }, new object?[] { 1, "c", "1,1,1,1" }, new RowLocation(3));
            Assert.Single(dataset.Annotations);
        }

        [Fact]
        public void Missing_columns_are_named()
        {
            var dataset = DatasetWith(100, 100, "a.png");
            var binder = new AnnotationRowBinder(dataset, new AnnotationImportOptions());
            var e = Assert.Throws<CocoToolsException>(() => binder.Add(new[] { "label", "bbox" }, new object?[] { "c", "1,1,1,1" }, new RowLocation(1)));
            Assert.Contains("no image column", e.Message);
            e = Assert.Throws<CocoToolsException>(() => binder.Add(new[] { "image_id", "bbox" }, new object?[] { 1, "1,1,1,1" }, new RowLocation(1)));
            Assert.Contains("no category column", e.Message);
        }

        [Fact]
        public void Header_spellings_bind_case_and_punctuation_insensitively()
        {
            var header = new AnnotationHeader(new[] { "Image Index", "Finding Label", "Bbox [x", "y", "w", "h]", "X_MIN", "Reader" });
            Assert.Equal(0, header[AnnotationColumnRole.ImageName]);
            Assert.Equal(1, header[AnnotationColumnRole.CategoryName]);
            Assert.Equal(2, header[AnnotationColumnRole.X]);
            Assert.Equal(3, header[AnnotationColumnRole.Y]);
            Assert.Equal(4, header[AnnotationColumnRole.Width]);
            Assert.Equal(5, header[AnnotationColumnRole.Height]);
            Assert.Equal(6, header[AnnotationColumnRole.XMin]);
            Assert.False(header.IsBound[7]);
        }

        [Fact]
        public void Every_spelling_in_the_table_binds_to_its_role()
        {
            foreach (var (role, spellings) in AnnotationColumns.Table)
            {
                foreach (var spelling in spellings)
                {
                    Assert.Equal(0, new AnnotationHeader(new[] { spelling.ToUpperInvariant() })[role]);
                }
            }
        }

        [Fact]
        public void Hashtable_and_object_rows_bind_like_csv_rows()
        {
            var dataset = DatasetWith(100, 100, "a.png");
            var binder = new AnnotationRowBinder(dataset, new AnnotationImportOptions());
            binder.Add(new[] { "ImageId", "Category", "Bbox", "Extra" }, new object?[] { 1L, "c", new[] { 1.5, 2, 3, 4 }, new Hashtable { ["k"] = 1 } }, new RowLocation(1));

            var a = dataset.Annotations.Single();
            Assert.Equal(new CocoBox(1.5, 2, 3, 4), a.Bbox);
            Assert.Equal(1, Attributes(a).GetProperty("Extra").GetProperty("k").GetInt32());
        }

        [Theory]
        [InlineData("Image Index,Finding Label,Bbox [x,y,w,h],,,\na.png,Mass,1.5,2.25,3,4,,,\nb.png,Nodule,10,10,5.000000001,5,,,\n")]
        [InlineData("image_id,class_name,rad_id,x_min,y_min,x_max,y_max,note\na,Nodule,R1,1,2,3,4,\" spaced \"\nb,No finding,R2,,,,,\na,Mass,R\u00e9,5,5,9,9,\"x, \"\"quoted\"\"\"\n")]
        [InlineData("file_name,label,polygon,iscrowd,score\na.png,lesion,\"1,1 9,1 9,9\",0,0.5\nb.png,lesion,\"[[2, 2, 8, 2, 8, 8]]\",1,1e-3\n")]
        [InlineData("ImageId,EncodedPixels,category\na, 3 4 20 2,p\nb, -1,p\n")]
        [InlineData("file_name,label,x,y,width,height\na.png,m,1,2,abc,4\nb.png,m,-1,2,3,4\nc.png,m,1,1,1,1\n")]
        public void Csv_records_read_in_place_give_the_same_dataset_and_errors_as_string_rows(string csv)
        {
            BindsTheSameEveryWay(csv);
        }

        [Fact]
        public void A_long_varied_list_binds_the_same_read_ahead_in_place_and_as_strings()
        {
            // 6,000 rows, more than a few read-ahead batches: images named by id or (id blank) by file name, repeated
            // and missing ones, attributes that repeat, vary, are blank or need JSON escaping, and bad boxes.
            var random = new Random(17);
            var csv = new System.Text.StringBuilder("image_id,file_name,label,x,y,w,h,reader,note\n");
            for (int i = 0; i < 6000; i++)
            {
                int image = random.Next(1, 60);
                bool byName = random.Next(4) == 0;
                csv.Append(byName ? string.Empty : image.ToString(System.Globalization.CultureInfo.InvariantCulture)).Append(',')
                    .Append(byName ? $"img{image}.png" : "ignored.png").Append(',')
                    .Append(random.Next(3) == 0 ? "Mass" : "Nodule").Append(',')
                    .Append(random.Next(20) / 2.0).Append(',').Append(random.Next(20) / 4.0).Append(',')
                    .Append(random.Next(200) == 0 ? "-1" : (1 + random.Next(9)).ToString(System.Globalization.CultureInfo.InvariantCulture)).Append(",5,")
                    .Append(random.Next(5) == 0 ? " " : "R" + random.Next(3)).Append(',')
                    .Append(random.Next(3) switch { 0 => string.Empty, 1 => "\"said \"\"x\"\", twice\"", _ => "n" + random.Next(500) })
                    .Append('\n');
            }

            string expected = BindsTheSameEveryWay(csv.ToString());
            Assert.Contains("NegativeBoxSize", expected);
            Assert.Contains("UnknownImage", expected);
        }

        [Fact]
        public void Columns_past_the_sixty_fourth_bind_the_same_every_way()
        {
            // Wide lists (a radiology export with many columns): the box and label sit after the 64th column.
            string padding = string.Concat(Enumerable.Range(0, 64).Select(i => $"c{i},"));
            string csv = padding + "file_name,label,x,y,w,h\n"
                + string.Concat(Enumerable.Range(0, 64).Select(i => i % 3 == 0 ? "v," : ",")) + "a.png,m,1,2,3,4\n"
                + new string(',', 64) + "b.png,,1,2,3,4\n"
                + new string(',', 64) + "img3.png,m,1,2,,4\n"
                + new string(',', 64) + "img4.png,m,1,2,3,x\n";
            string expected = BindsTheSameEveryWay(csv);
            Assert.Contains("MissingCategory", expected);
            Assert.Contains("\"c63\":\"v\"", expected);
        }

        /// <summary>Asserts that a list gives the same <see cref="Outcome"/> every way it can be read; returns it.</summary>
        private static string BindsTheSameEveryWay(string csv)
        {
            string expected = Outcome(csv, ReadMode.AsStrings);
            Assert.Equal(expected, Outcome(csv, ReadMode.AheadOnSecondThread));
            Assert.Equal(expected, Outcome(csv, ReadMode.AheadOnThisThread));
            Assert.Equal(expected, Outcome(csv, ReadMode.InPlace));
            return expected;
        }

        /// <summary>The dataset written as JSON, the errors and the counts, after importing a list into 64x64 images a.png, b.png, img3.png ... img50.png.</summary>
        private static string Outcome(string csv, ReadMode mode)
        {
            var dataset = DatasetWith(64, 64, "a.png", "b.png");
            for (int i = 3; i <= 50; i++)
            {
                dataset.Images.AddNew(new CocoImage { FileName = $"img{i}.png", Width = 64, Height = 64 });
            }

            var (binder, errors) = Import(dataset, csv, mode: mode);
            using var stream = new MemoryStream();
            CocoJsonWriter.Write(dataset, stream);
            return System.Text.Encoding.UTF8.GetString(stream.ToArray()) + "\n" + string.Join("\n", errors.Select(e => e.ErrorId + ": " + e.Message))
                + $"\n{binder.Added} {binder.NoFindingRows}";
        }

        [Fact]
        public void The_documented_table_of_spellings_covers_every_spelling_bound()
        {
            string doc = File.ReadAllText(Path.Combine(Support.TestPaths.RepoRoot, "docs", "Add-CocoAnnotation.md"));
            string table = doc.Substring(doc.IndexOf("| What | Accepted column spellings |", StringComparison.Ordinal));
            table = table.Substring(0, table.IndexOf("\n\n", StringComparison.Ordinal));
            var documented = System.Text.RegularExpressions.Regex.Matches(table, "`([^`]+)`")
                .Cast<System.Text.RegularExpressions.Match>()
                .Select(m => AnnotationColumns.Normalize(m.Groups[1].Value))
                .ToHashSet();

            foreach (var (role, spellings) in AnnotationColumns.Table)
            {
                foreach (var spelling in spellings)
                {
                    Assert.True(documented.Contains(spelling), $"{role} spelling '{spelling}' is not in the table of docs/Add-CocoAnnotation.md");
                }
            }
        }
    }
}
