using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using CocoTools.Engine.Coco;
using CocoTools.Engine.Coco.Json;
using CocoTools.Engine.Dicom;
using CocoTools.Engine.Imaging;
using CocoTools.Engine.IO;
using CocoTools.Engine.Masks;
using CocoTools.Engine.Operations;
using CocoTools.Engine.Tabular;
using CocoTools.Engine.Tests.Dicom;
using CocoTools.Engine.Tests.Support;
using CocoTools.Engine.Validation;
using Xunit;
using CocoTools.Engine.Operations.AnnotationRows;

namespace CocoTools.Engine.Tests.IO
{
    /// <summary>The ten defects of issue 19, each as the input that showed it; all must end in the module's own errors.</summary>
    [Collection(CocoTools.Engine.Tests.Fuzz.InputLimitsCollection.Name)]
    public class HostileInputRegressionTests
    {
        /// <summary>A DICOM Part 10 file: preamble, DICM, meta with Explicit VR Little Endian, then the given elements.</summary>
        internal static byte[] Part10(params byte[][] elements)
        {
            var bytes = new List<byte>(new byte[128]);
            bytes.AddRange("DICM"u8.ToArray());
            var uid = Encoding.ASCII.GetBytes("1.2.840.10008.1.2.1\0");
            bytes.AddRange(new byte[] { 0x02, 0x00, 0x10, 0x00, (byte)'U', (byte)'I', (byte)uid.Length, 0 });
            bytes.AddRange(uid);
            foreach (var e in elements)
            {
                bytes.AddRange(e);
            }

            return bytes.ToArray();
        }

        internal static byte[] US(ushort group, ushort element, ushort value) =>
            new byte[] { (byte)group, (byte)(group >> 8), (byte)element, (byte)(element >> 8), (byte)'U', (byte)'S', 2, 0, (byte)value, (byte)(value >> 8) };

        internal static byte[] Text(ushort group, ushort element, string vr, string value)
        {
            var v = Encoding.ASCII.GetBytes(value.Length % 2 == 1 ? value + " " : value);
            return new byte[] { (byte)group, (byte)(group >> 8), (byte)element, (byte)(element >> 8), (byte)vr[0], (byte)vr[1], (byte)v.Length, (byte)(v.Length >> 8) }.Concat(v).ToArray();
        }

        internal static byte[] PixelData(int length)
        {
            var header = new byte[] { 0xE0, 0x7F, 0x10, 0x00, (byte)'O', (byte)'W', 0, 0 }.Concat(BitConverter.GetBytes((uint)length));
            return header.Concat(new byte[length]).ToArray();
        }

        // 1. A file that starts with a TIFF header stopped the whole Add-CocoImage batch (ImageSharp threw from Identify).
        [Theory]
        [InlineData(new byte[] { (byte)'I', (byte)'I', 42, 0, 8, 0, 0, 0 })]
        [InlineData(new byte[] { (byte)'M', (byte)'M', 0, 42, 0, 0, 0, 8, 0, 200 })]
        [InlineData(new byte[] { (byte)'I', (byte)'I', 42, 0, 0xFF, 0xFF, 0xFF, 0x7F })]
        [InlineData(new byte[] { (byte)'I', (byte)'I', 42, 0, 8, 0, 0, 0, 2, 0, 0, 1, 3, 0, 1, 0, 0, 0, 4, 0, 0, 0, 1, 1, 3, 0, 1, 0, 0, 0, 4, 0, 0, 0 })]
        public void A_file_with_a_tiff_header_and_nothing_behind_it_is_a_clean_per_file_error(byte[] start)
        {
            using var dir = new TempDir();
            string path = dir.File("preamble.dcm");
            File.WriteAllBytes(path, start.Concat(new byte[200]).ToArray());

            var e = Assert.ThrowsAny<CocoToolsException>(() => ImageScanner.Scan(path));

            Assert.Equal("ImageCorrupt", e.ErrorId);
            Assert.Equal(path, e.SourcePath);
        }

        [Fact]
        public void A_dicom_file_with_a_tiff_header_in_its_preamble_is_read_as_dicom()
        {
            using var dir = new TempDir();
            string path = dir.File("dual.dcm");
            var bytes = File.ReadAllBytes(DicomSamples.PathOf("pydicom_CT_small.dcm"));
            new byte[] { (byte)'I', (byte)'I', 42, 0, 8, 0, 0, 0 }.CopyTo(bytes, 0);
            File.WriteAllBytes(path, bytes);

            var scanned = ImageScanner.Scan(path);

            Assert.NotNull(scanned.Dicom);
            Assert.Equal((128, 128), (scanned.Width, scanned.Height));
        }

        // 2 and 7. Export-CocoMask: OverflowException at width x height near 2^31, and no size cap (1.7 GB for 40000 x 40000).
        [Theory]
        [InlineData(46341, 46341, 0L)]
        [InlineData(int.MaxValue, 1, 0L)]
        [InlineData(46341, 46341, InputLimits.MaxArrayElements)]
        [InlineData(40000, 40000, 0L)]
        public void A_mask_larger_than_the_limit_is_refused_before_anything_is_allocated(int width, int height, long maxPixels)
        {
            using var dir = new TempDir();
            var ds = new CocoDataset();
            ds.Categories.Add(new CocoCategory { Id = 1, Name = "lesion" });
            ds.Images.Add(new CocoImage { Id = 1, Width = width, Height = height, FileName = "huge.dcm" });
            ds.Annotations.Add(new CocoAnnotation { Id = 1, ImageId = 1, CategoryId = 1, Segmentation = new CocoPolygonSegmentation(new[] { new double[] { 1, 1, 3, 1, 3, 3 } }) });
            var options = new MaskExportOptions { Kind = MaskKind.Instance };
            if (maxPixels > 0)
            {
                options.MaxPixels = maxPixels;
            }

            var exporter = new MaskExporter(ds, options);
            long before = GC.GetAllocatedBytesForCurrentThread();

            var e = Assert.ThrowsAny<CocoToolsException>(() => exporter.ExportImage(ds.Images[0], dir.File("huge.png"), a => throw a));

            Assert.Equal("ImageTooLarge", e.ErrorId);
            Assert.Equal(FailureKind.LimitsExceeded, e.Kind);
            Assert.Contains($"{width}x{height}", e.Message);
            Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1 << 20);
            Assert.Empty(Directory.GetFiles(dir.Path));
        }

        // 3. Invalid UTF-8 in a JSON string: a raw InvalidOperationException from Import-CocoJson and Test-CocoFile.
        [Theory]
        [InlineData("file_name")]
        [InlineData("unmodelled")]
        public void Invalid_utf8_in_a_json_string_is_a_located_json_syntax_error(string member)
        {
            using var dir = new TempDir();
            string path = dir.File("bad.json");
            var text = "{\n  \"images\": [\n    {\"id\": 1, \"width\": 2, \"height\": 2, \"" + member + "\": \"a\u0001b.png\"}\n  ],\n  \"annotations\": [],\n  \"categories\": []\n}\n";
            var bytes = Encoding.UTF8.GetBytes(text);
            bytes[Array.IndexOf(bytes, (byte)1)] = 0xFF;
            File.WriteAllBytes(path, bytes);

            var e = Assert.Throws<CocoFormatException>(() => CocoJsonReader.ReadFile(path));
            var findings = CocoValidator.ValidateFile(path, new CocoValidationOptions());

            Assert.Equal("JsonSyntax", e.ErrorId);
            Assert.Equal(3, e.Line);
            Assert.Contains("not UTF-8", e.Message);
            var finding = Assert.Single(findings, f => f.RuleId == CocoRules.JsonSyntax.Id);
            Assert.Equal(3, finding.Line);
            Assert.Contains("0xFF", finding.Message);
        }

        [Theory]
        [InlineData(new byte[] { 0xC0, 0x80 })]          // overlong NUL
        [InlineData(new byte[] { 0xED, 0xA0, 0x80 })]    // a UTF-16 surrogate
        [InlineData(new byte[] { 0xF4, 0x90, 0x80, 0x80 })] // past U+10FFFF
        [InlineData(new byte[] { 0xE2, 0x82 })]          // cut short by the closing quote
        public void Every_kind_of_bad_utf8_is_found_and_good_utf8_passes(byte[] bad)
        {
            var good = Encoding.UTF8.GetBytes("{\"info\": {\"description\": \"Ωmega 😀 ü\"}, \"images\": [], \"annotations\": [], \"categories\": []}");
            var broken = Encoding.UTF8.GetBytes("{\"info\": {\"description\": \"").Concat(bad).Concat(Encoding.UTF8.GetBytes("\"}, \"images\": [], \"annotations\": [], \"categories\": []}")).ToArray();

            CocoJsonReader.Read(new MemoryStream(good), "good.json");
            var e = Assert.Throws<CocoFormatException>(() => CocoJsonReader.Read(new MemoryStream(broken), "broken.json"));

            Assert.Equal("JsonSyntax", e.ErrorId);
            Assert.Contains("offset 26 ", e.Message);
        }

        // 4. Split-CocoDataset -Name '../../x', an absolute path or a NUL wrote outside -OutputDirectory (or threw raw).
        [Fact]
        public void Split_names_never_leave_the_output_folder()
        {
            using var dir = new TempDir();
            string output = Path.Combine(dir.Path, "a", "b");
            var ds = SplitSource();
            var splits = DatasetSplitter.Split(ds, new DatasetSplitOptions { Ratios = new[] { 1.0, 1.0, 1.0, 1.0 }, Names = new[] { "../../x", "/tmp/abs", "nul\0name", "CON" }, GroupBy = SplitGrouping.Image });

            var paths = DatasetSplitter.WriteFiles(splits, output, noClobber: false);

            Assert.All(paths, p => Assert.Equal(output, Path.GetDirectoryName(p)));
            Assert.Equal(new[] { "_.._x.json", "_tmp_abs.json", "nul_name.json", "_CON.json" }, paths.Select(Path.GetFileName));
            Assert.Equal(4, Directory.GetFiles(output).Length);
            Assert.Equal(new[] { "a" }, Directory.GetFileSystemEntries(dir.Path).Select(Path.GetFileName));
            Assert.False(File.Exists("/tmp/abs.json") && File.GetLastWriteTimeUtc("/tmp/abs.json") > DateTime.UtcNow.AddMinutes(-1));
        }

        // 5. Split output was not all-or-nothing: a failure (or kill) between files left a new train.json beside old val/test.json.
        [Fact]
        public void A_split_set_that_cannot_be_written_whole_leaves_the_old_set_untouched()
        {
            using var dir = new TempDir();
            var ds = SplitSource();
            var first = DatasetSplitter.Split(ds, new DatasetSplitOptions { Seed = 1, GroupBy = SplitGrouping.Image });
            DatasetSplitter.WriteFiles(first, dir.Path, noClobber: false);
            var old = Directory.GetFiles(dir.Path).ToDictionary(p => Path.GetFileName(p)!, File.ReadAllBytes);
            File.Delete(dir.File("test.json"));
            var second = DatasetSplitter.Split(ds, new DatasetSplitOptions { Seed = 2, GroupBy = SplitGrouping.Image });

            // -NoClobber with train.json and val.json present: refused as a whole, test.json not written either.
            var e = Assert.ThrowsAny<CocoToolsException>(() => DatasetSplitter.WriteFiles(second, dir.Path, noClobber: true));

            Assert.Equal("FileExists", e.ErrorId);
            Assert.Equal(new[] { "train.json", "val.json" }, Directory.GetFileSystemEntries(dir.Path).Select(Path.GetFileName).OrderBy(n => n));
            Assert.Equal(old["train.json"], File.ReadAllBytes(dir.File("train.json")));
        }

        [Fact]
        public void A_set_committed_by_a_process_that_died_is_completed_by_the_next_write()
        {
            using var dir = new TempDir();
            File.WriteAllText(dir.File("train.json"), "old train");
            File.WriteAllText(dir.File("val.json"), "old val");
            // What a kill during the moves leaves: the commit folder of a process that no longer runs, train.json already moved.
            string commit = dir.File(".split.cocotools-" + DeadProcessId() + "@" + Host + "-0123456789ab.commit");
            Directory.CreateDirectory(commit);
            File.WriteAllText(dir.File("train.json"), "new train");
            File.WriteAllText(Path.Combine(commit, "val.json"), "new val");
            File.WriteAllText(Path.Combine(commit, "test.json"), "new test");

            Assert.Equal(1, AtomicFileSet.Recover(dir.Path));

            Assert.Equal(new[] { "new test", "new train", "new val" }, new[] { "test.json", "train.json", "val.json" }.Select(n => File.ReadAllText(dir.File(n))));
            Assert.False(Directory.Exists(commit));
        }

        // 6. Frames were not checked against the pixel data: 1.6 KB declaring 100,000 frames of 65535 x 65535 became 100,000 images.
        [Fact]
        public void Frames_that_the_pixel_data_cannot_hold_are_an_error_not_images()
        {
            var bytes = Part10(
                Text(0x0008, 0x0016, "UI", "1.2.840.10008.5.1.4.1.1.7"),
                Text(0x0028, 0x0008, "IS", "100000"),
                US(0x0028, 0x0010, 65535),
                US(0x0028, 0x0011, 65535),
                US(0x0028, 0x0100, 16),
                PixelData(1400));
            Assert.InRange(bytes.Length, 1500, 1700);
            using var dir = new TempDir();
            string path = dir.File("bomb.dcm");
            File.WriteAllBytes(path, bytes);

            var e = Assert.Throws<DicomException>(() => ImageScanner.Scan(path));

            Assert.Equal("DicomFramesExceedPixelData", e.ErrorId);
            Assert.Contains("100000", e.Message);
        }

        [Fact]
        public void A_file_cut_inside_its_pixel_data_is_truncated_not_a_lying_header()
        {
            // Seven 10x10 16-bit frames declare 1,400 bytes of Pixel Data; the file keeps 700 of them.
            var bytes = Part10(
                Text(0x0008, 0x0016, "UI", "1.2.840.10008.5.1.4.1.1.7"),
                Text(0x0028, 0x0008, "IS", "7"),
                US(0x0028, 0x0010, 10),
                US(0x0028, 0x0011, 10),
                US(0x0028, 0x0100, 16),
                PixelData(1400));
            using var dir = new TempDir();
            string path = dir.File("cut.dcm");
            File.WriteAllBytes(path, bytes.AsSpan(0, bytes.Length - 700).ToArray());

            var e = Assert.Throws<DicomException>(() => ImageScanner.Scan(path));

            Assert.Equal("DicomTruncated", e.ErrorId);
            Assert.Contains("700 of its 1400 bytes", e.Message);
        }

        [Fact]
        public void Frames_that_fit_the_pixel_data_are_read()
        {
            var bytes = Part10(Text(0x0028, 0x0008, "IS", "4"), US(0x0028, 0x0010, 8), US(0x0028, 0x0011, 8), US(0x0028, 0x0100, 16), PixelData(4 * 8 * 8 * 2));

            var header = DicomReader.ReadHeader(new MemoryStream(bytes), "four.dcm");

            Assert.Equal(4, header.Frames);
        }

        // 8. A DICOM file cut on an element boundary before its pixel data was "an object without an image", not truncated.
        [Fact]
        public void A_dicom_file_cut_on_an_element_boundary_before_its_pixels_is_truncated()
        {
            var bytes = File.ReadAllBytes(DicomSamples.PathOf("pydicom_CT_small.dcm"));
            var header = DicomReader.ReadHeader(DicomSamples.PathOf("pydicom_CT_small.dcm"));
            // Explicit VR OW: tag 4, VR 2, reserved 2, length 4 before the value.
            int cut = (int)header.PixelData!.Offset - 12;
            using var dir = new TempDir();
            string path = dir.File("cut.dcm");
            File.WriteAllBytes(path, bytes.Take(cut).ToArray());

            var e = Assert.Throws<DicomException>(() => ImageScanner.Scan(path));

            Assert.Equal("DicomTruncated", e.ErrorId);
            Assert.Equal(cut, e.Offset);
            Assert.Contains($"byte {cut}", e.Message);
            Assert.Contains("truncated", e.Message);
            Assert.Contains("after element (", e.Message);
        }

        // 9. Interrupted writes left full-size .name.<hex>.tmp files that no later run removed.
        [Fact]
        public void Temp_files_are_recognisable_and_the_next_write_removes_stale_ones()
        {
            using var dir = new TempDir();
            string stale = dir.File(".out.json.cocotools-" + DeadProcessId() + "@" + Host + "-0123456789ab.tmp");
            string live = dir.File(".out.json.cocotools-" + Environment.ProcessId + "@" + Host + "-0123456789ab.tmp");
            string old = dir.File(".other.png.cocotools-1@" + Host + "-0123456789ab.tmp");
            // Another machine's write in progress into a shared folder: its process id means nothing here.
            string otherHost = dir.File(".out.json.cocotools-" + DeadProcessId() + "@other-machine-0123456789ab.tmp");
            string foreign = dir.File(".out.json.0123456789ab.tmp");
            foreach (var f in new[] { stale, live, old, otherHost, foreign })
            {
                File.WriteAllText(f, "partial");
            }

            File.SetLastWriteTimeUtc(old, DateTime.UtcNow.AddDays(-2));
            string seen = string.Empty;
            AtomicFile.Write(dir.File("out.json"), s =>
            {
                seen = string.Join(",", Directory.GetFiles(dir.Path, ".*").Select(Path.GetFileName).OrderBy(n => n));
                s.WriteByte((byte)'x');
            });

            Assert.False(File.Exists(stale));
            Assert.False(File.Exists(old));
            Assert.True(File.Exists(live));
            Assert.True(File.Exists(foreign));
            Assert.True(File.Exists(otherHost));
            // The write's own temp file carries the marker and this process's id.
            Assert.Contains(".out.json.cocotools-" + Environment.ProcessId + "@" + Host + "-", seen.Replace(Path.GetFileName(live), string.Empty));
        }

        // 10. Invalid UTF-8 in a CSV silently became U+FFFD in category names and attributes.
        [Fact]
        public void Invalid_utf8_in_a_csv_is_located_by_row_line_and_column()
        {
            using var dir = new TempDir();
            string path = dir.File("list.csv");
            var bytes = Encoding.UTF8.GetBytes("image,category,note\na.png,nodule,fine\nb.png,n\u0001dule,ok\nc.png,mass,caf\u00e9\n");
            bytes[Array.IndexOf(bytes, (byte)1)] = 0xE9; // Latin-1 é
            File.WriteAllBytes(path, bytes);
            using var reader = CsvRecordReader.Open(path);
            var header = reader.Read()!;
            var problems = new List<string?>();
            long row = 0;
            while (reader.ReadRecord())
            {
                row++;
                problems.Add(AnnotationRowBinder.InvalidText(header, reader.Current, new RowLocation("list.csv", row, reader.RecordLine))?.Message);
            }

            Assert.Null(problems[0]);
            Assert.Equal("list.csv row 2 (line 3), column 'category' (field 2): bytes that are not UTF-8, read as U+FFFD; save the list as UTF-8.", problems[1]);
            Assert.Null(problems[2]);
        }

        [Fact]
        public void A_csv_field_longer_than_the_limit_is_refused()
        {
            int saved = InputLimits.MaxCsvFieldChars;
            InputLimits.MaxCsvFieldChars = 1000;
            try
            {
                using var reader = new CsvRecordReader(new StringReader("a,b\n\"" + new string('x', 5000)));
                reader.Read();

                var e = Assert.ThrowsAny<CocoToolsException>(() => reader.Read());

                Assert.Equal("CsvFieldTooLong", e.ErrorId);
                Assert.Equal(FailureKind.LimitsExceeded, e.Kind);
            }
            finally
            {
                InputLimits.MaxCsvFieldChars = saved;
            }
        }

        [Fact]
        public void A_deflate_bomb_stops_at_the_inflate_limit()
        {
            // Deflated Explicit VR LE: a meta saying 1.2.840.10008.1.2.1.99, then 64 MiB of zeros deflated to ~64 KiB.
            var bytes = new List<byte>(new byte[128]);
            bytes.AddRange("DICM"u8.ToArray());
            var uid = Encoding.ASCII.GetBytes("1.2.840.10008.1.2.1.99\0");
            bytes.AddRange(new byte[] { 0x02, 0x00, 0x10, 0x00, (byte)'U', (byte)'I', (byte)uid.Length, 0 });
            bytes.AddRange(uid);
            using var deflated = new MemoryStream();
            using (var z = new System.IO.Compression.DeflateStream(deflated, System.IO.Compression.CompressionLevel.Optimal, leaveOpen: true))
            {
                z.Write(new byte[] { 0x09, 0x00, 0x10, 0x10, (byte)'O', (byte)'B', 0, 0 });
                z.Write(BitConverter.GetBytes(64u << 20));
                var zeros = new byte[1 << 20];
                for (int i = 0; i < 64; i++)
                {
                    z.Write(zeros);
                }
            }

            bytes.AddRange(deflated.ToArray());
            long saved = InputLimits.MaxInflatedBytes;
            InputLimits.MaxInflatedBytes = 8 << 20;
            try
            {
                var e = Assert.ThrowsAny<CocoToolsException>(() => DicomReader.ReadHeader(new MemoryStream(bytes.ToArray()), "bomb.dcm", new DicomReadOptions { ReadPixelData = true }));

                Assert.Equal("InflatedTooLarge", e.ErrorId);
                Assert.Equal(FailureKind.LimitsExceeded, e.Kind);
            }
            finally
            {
                InputLimits.MaxInflatedBytes = saved;
            }
        }

        [Fact]
        public void A_png_bomb_is_refused_from_its_header_before_decoding()
        {
            using var dir = new TempDir();
            string path = dir.File("bomb.png");
            // A PNG header declaring 100000 x 100000 (IHDR only): the size alone decides.
            var png = new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, (byte)'I', (byte)'H', (byte)'D', (byte)'R', 0, 1, 0x86, 0xA0, 0, 1, 0x86, 0xA0, 8, 0, 0, 0, 0, 0, 0, 0, 0 };
            File.WriteAllBytes(path, png);

            Assert.Equal((100000, 100000), (ImageScanner.Scan(path).Width, ImageScanner.Scan(path).Height));
            var e = Assert.ThrowsAny<CocoToolsException>(() => RasterHeader.Load(path, InputLimits.MaxImagePixels));

            Assert.Equal("ImageTooLarge", e.ErrorId);
        }

        [Fact]
        public void Symlinks_in_the_output_folder_are_replaced_not_followed()
        {
            using var dir = new TempDir();
            string victim = dir.Write("victim.txt", "precious");
            string output = Path.Combine(dir.Path, "out");
            Directory.CreateDirectory(output);
            File.CreateSymbolicLink(Path.Combine(output, "train.json"), victim);
            File.CreateSymbolicLink(Path.Combine(output, "mask.png"), victim);

            DatasetSplitter.WriteFiles(DatasetSplitter.Split(SplitSource(), new DatasetSplitOptions { GroupBy = SplitGrouping.Image }), output, noClobber: false);
            AtomicFile.Write(Path.Combine(output, "mask.png"), s => s.WriteByte(1));

            Assert.Equal("precious", File.ReadAllText(victim));
            Assert.Null(new FileInfo(Path.Combine(output, "train.json")).LinkTarget);
            Assert.Null(new FileInfo(Path.Combine(output, "mask.png")).LinkTarget);
        }

        /// <summary>This machine's name as temporary names carry it.</summary>
        private static string Host => SafeFileName.Stem(Environment.MachineName);

        internal static CocoDataset SplitSource()
        {
            var ds = new CocoDataset();
            ds.Categories.Add(new CocoCategory { Id = 1, Name = "c" });
            for (int i = 1; i <= 20; i++)
            {
                ds.Images.Add(new CocoImage { Id = i, Width = 4, Height = 4, FileName = $"img{i}.png" });
            }

            return ds;
        }

        /// <summary>A process id that no process has now.</summary>
        internal static int DeadProcessId()
        {
            for (int pid = 4_000_000; ; pid--)
            {
                try
                {
                    using var p = System.Diagnostics.Process.GetProcessById(pid);
                }
                catch (ArgumentException)
                {
                    return pid;
                }
            }
        }
    }
}
