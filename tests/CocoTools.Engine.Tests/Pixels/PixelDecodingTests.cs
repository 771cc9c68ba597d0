using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using CocoTools.Engine.Dicom;
using CocoTools.Engine.Pixels;
using CocoTools.Engine.Tests.Dicom;
using CocoTools.Engine.Tests.Support;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using Xunit;

namespace CocoTools.Engine.Tests.Pixels
{
    /// <summary>
    /// Our pixel decoders and renderer against dcmtk, sample by sample: the references are made here, at test time,
    /// with dcmtk's own tools (dcmconv, dcmdrle, dcmdjpeg, dcmdump +W, and dcmj2pnm, which is dcm2pnm with dcmtk's
    /// JPEG codecs), never committed.
    /// </summary>
    public class PixelDecodingTests
    {
        private static readonly string[] Decoded =
        {
            "1.2.840.10008.1.2", "1.2.840.10008.1.2.1", "1.2.840.10008.1.2.2", "1.2.840.10008.1.2.1.99",
            "1.2.840.10008.1.2.5", "1.2.840.10008.1.2.4.57", "1.2.840.10008.1.2.4.70", "1.2.840.10008.1.2.4.50", "1.2.840.10008.1.2.4.51",
        };

        /// <summary>
        /// The readable samples whose transfer syntax we decode and whose image is one we render; dcmtk keeps native
        /// YBR_FULL_422 as it is stored (two bytes a pixel), so that one is compared rendered only (JPEG-compressed
        /// YBR_FULL_422 both dcmtk and we decode to RGB).
        /// </summary>
        public static IEnumerable<object[]> DecodableSamples() => Samples(with422: false);

        private static IEnumerable<object[]> Samples(bool with422) =>
            DicomSamples.ReadableByDcmtk().Select(x => (string)x[0]).Where(file =>
            {
                try
                {
                    var header = DicomReader.ReadHeader(DicomSamples.PathOf(file));
                    return header.Rows > 0 && header.PixelData != null && header.BitsAllocated is 8 or 16 or 32 && Decoded.Contains(header.TransferSyntax.Uid)
                        && (with422 || header.PhotometricInterpretation != "YBR_FULL_422" || header.PixelData.Encapsulated);
                }
                catch (CocoToolsException)
                {
                    return false;
                }
            }).Select(file => new object[] { file });

        /// <summary>Those dcm2pnm renders too (it refuses an image without Photometric Interpretation).</summary>
        public static IEnumerable<object[]> RenderableSamples() =>
            Samples(with422: true).Where(x => DicomReader.ReadHeader(DicomSamples.PathOf((string)x[0])).PhotometricInterpretation != null);

        public static IEnumerable<object[]> UndecodedSamples() => new[]
        {
            new object[] { "pydicom_MR_small_jpeg_ls_lossless.dcm", "JPEG-LS" },
            new object[] { "pydicom_MR_small_jp2klossless.dcm", "JPEG 2000" },
        };

        /// <summary>
        /// Frames whose compressed data contradicts the DICOM header: in fo-dicom's 240x240 ultrasound cine, every 14th
        /// frame is a JPEG 55 pixels wide and frames 127 to 140 are 121 rows high. dcmtk decodes them into the frame
        /// anyway (a wrong picture, without a warning); we refuse them.
        /// </summary>
        private static readonly Dictionary<string, HashSet<int>> DamagedFrames = new Dictionary<string, HashSet<int>>
        {
            ["fodicom_multiframe.dcm"] = new HashSet<int>(Enumerable.Range(1, 140).Where(f => f % 14 == 0 || f >= 127)),
        };

        private static ProcessResult Run(string tool, params string[] args)
        {
            var result = PythonOracle.Run(tool, args, null, TimeSpan.FromMinutes(1));
            Assert.True(result.ExitCode == 0, $"{tool} {string.Join(" ", args)} failed: {result.StdErr}");
            return result;
        }

        [Theory]
        [MemberData(nameof(DecodableSamples))]
        public void Stored_samples_equal_dcmtks_decompressed_pixels_bit_for_bit(string file)
        {
            using var dir = new TempDir();
            AssertDecodedAsDcmtk(DicomSamples.PathOf(file), file, dir);
        }

        /// <summary>
        /// Lossy JPEG as dcmtk writes it, made here from native samples: every chroma subsampling it offers (4:4:4,
        /// 4:2:2, 4:2:0) on an image of odd size, RGB components, very low quality (large coefficients, clamping),
        /// 12-bit extended, several fragments per frame.
        /// </summary>
        [Theory]
        [InlineData("pydicom_SC_rgb_small_odd.dcm", "+eb +s4")]
        [InlineData("pydicom_SC_rgb_small_odd.dcm", "+eb +s2")]
        [InlineData("pydicom_SC_rgb_small_odd.dcm", "+eb +n1")]
        [InlineData("pydicom_SC_rgb_small_odd.dcm", "+eb +n1 +q 3")]
        [InlineData("pydicom_SC_rgb_small_odd.dcm", "+eb +cr")]
        [InlineData("pydicom_SC_rgb_small_odd.dcm", "+ee +n2 -ho")]
        [InlineData("pydicom_CT_small.dcm", "+ee")]
        [InlineData("pydicom_CT_small.dcm", "+eb +q 5")]
        [InlineData("pydicom_MR_small.dcm", "+ee +q 10 +fs 1")]
        [InlineData("fodicom_CR-MONO1-10-chest.dcm", "+ee +q 50")]
        public void Lossy_jpeg_that_dcmtk_encodes_decodes_as_dcmtk_decodes_it(string file, string options)
        {
            using var dir = new TempDir();
            string encoded = dir.File("encoded.dcm");
            Run("dcmcjpeg", options.Split(' ').Concat(new[] { DicomSamples.PathOf(file), encoded }).ToArray());
            AssertDecodedAsDcmtk(encoded, $"{file} {options}", dir);
        }

        /// <summary>
        /// What dcmcjpeg never writes, made with libjpeg-turbo's cjpeg from a rendering of a sample and wrapped by
        /// img2dcm: 4:2:0 chroma of an odd-sized crop, 4:4:0 and 4:1:1, restart intervals (every 2 MCUs, every MCU row),
        /// one scan per component.
        /// </summary>
        [Theory]
        [InlineData("pydicom_SC_rgb_jpeg_dcmtk.dcm", "+C 0 0 97 93", "-sample 2x2 -quality 75")]
        [InlineData("pydicom_SC_rgb_jpeg_dcmtk.dcm", "+C 3 5 61 1", "-sample 2x2")]
        [InlineData("pydicom_SC_rgb_jpeg_dcmtk.dcm", "", "-sample 2x2 -restart 2B")]
        [InlineData("pydicom_SC_rgb_jpeg_dcmtk.dcm", "", "-sample 1x2")]
        [InlineData("pydicom_SC_rgb_jpeg_dcmtk.dcm", "+C 0 0 99 98", "-sample 4x1 -quality 30")]
        [InlineData("pydicom_SC_rgb_jpeg_dcmtk.dcm", "", "-sample 2x1 -scans scans.txt")]
        [InlineData("pydicom_CT_small.dcm", "", "-grayscale -restart 1")]
        [InlineData("pydicom_CT_small.dcm", "+C 16 8 101 77", "-grayscale -restart 3B -quality 20")]
        public void Lossy_jpeg_shapes_cjpeg_makes_decode_as_dcmtk_decodes_them(string file, string crop, string cjpeg)
        {
            using var dir = new TempDir();
            File.WriteAllText(dir.File("scans.txt"), "0;\n1;\n2;\n");
            string pnm = dir.File("source.pnm"), jpeg = dir.File("source.jpg"), encoded = dir.File("encoded.dcm");
            Run("dcmj2pnm", new[] { "+Wm" }.Concat(crop.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Concat(new[] { DicomSamples.PathOf(file), pnm }).ToArray());
            Run("cjpeg", cjpeg.Replace("scans.txt", dir.File("scans.txt")).Split(' ').Concat(new[] { "-outfile", jpeg, pnm }).ToArray());
            Run("img2dcm", jpeg, encoded);
            AssertDecodedAsDcmtk(encoded, $"{file} {crop} {cjpeg}", dir);
        }

        /// <summary>A segment the decoder skips (here a comment) may hold bytes that look like markers: EOI, a frame header.</summary>
        [Fact]
        public void Skipped_segments_are_skipped_by_their_length_not_by_looking_for_markers()
        {
            using var dir = new TempDir();
            string pnm = dir.File("source.pnm"), jpeg = dir.File("source.jpg"), encoded = dir.File("encoded.dcm");
            Run("dcmj2pnm", "+Wm", DicomSamples.PathOf("pydicom_CT_small.dcm"), pnm);
            Run("cjpeg", "-grayscale", "-outfile", jpeg, pnm);
            var original = File.ReadAllBytes(jpeg);
            var comment = new byte[] { 0xFF, 0xFE, 0x00, 0x0C, 0xFF, 0xC0, 0x00, 0x11, 0x08, 0x00, 0x01, 0x00, 0xFF, 0xD9 };
            File.WriteAllBytes(jpeg, original.Take(2).Concat(comment).Concat(original.Skip(2)).ToArray());
            Run("img2dcm", jpeg, encoded);
            AssertDecodedAsDcmtk(encoded, "CT_small with a marker-like comment", dir);
        }

        [Fact]
        public void Progressive_jpeg_is_refused_naming_what_and_how_to_convert()
        {
            using var dir = new TempDir();
            string encoded = dir.File("progressive.dcm");
            Run("dcmcjpeg", "+ep", DicomSamples.PathOf("pydicom_CT_small.dcm"), encoded);
            var header = FrameDecoder.ReadWithPixels(encoded);
            var layout = PixelLayout.Of(header);
            var e = Assert.Throws<CocoToolsException>(() => FrameDecoder.Decode(header, layout, 0, new uint[layout.SamplesPerFrame]));
            Assert.Equal("DicomCompressionUnsupported", e.ErrorId);
            Assert.Contains("JPEG", e.Message);
            Assert.Contains(encoded, e.Message);
            Assert.Contains("dcmdjpeg", e.Message);
        }

        private static void AssertDecodedAsDcmtk(string source, string file, TempDir dir)
        {
            var header = FrameDecoder.ReadWithPixels(source);
            var layout = PixelLayout.Of(header);
            string uid = header.TransferSyntax.Uid;

            // dcmtk makes it native explicit little endian, then writes the pixel data out raw.
            string native = dir.File("native.dcm");
            if (uid == "1.2.840.10008.1.2.5")
            {
                Run("dcmdrle", source, native);
            }
            else if (uid.StartsWith("1.2.840.10008.1.2.4.", StringComparison.Ordinal))
            {
                Run("dcmdjpeg", source, native);
            }
            else
            {
                Run("dcmconv", "+te", source, native);
            }

            string dump = Run("dcmdump", "+W", dir.Path, native).StdOut;
            bool planar = dump.Contains("(0028,0006) US 1");
            var raw = Directory.GetFiles(dir.Path, "native.dcm.*.raw").Select(File.ReadAllBytes).Single(b => b.Length >= layout.FrameBytes * layout.Frames);

            int bytes = layout.BitsAllocated / 8, spp = layout.SamplesPerPixel, pixels = layout.Rows * layout.Columns;
            var samples = new uint[layout.SamplesPerFrame];
            for (int frame = 0; frame < layout.Frames; frame++)
            {
                if (DamagedFrames.TryGetValue(file, out var damaged) && damaged.Contains(frame + 1))
                {
                    var e = Assert.Throws<CocoToolsException>(() => FrameDecoder.Decode(header, layout, frame, samples));
                    Assert.Equal("PixelDataCorrupt", e.ErrorId);
                    Assert.Matches($"frame {frame + 1}: the JPEG frame is (55x240|240x121|55x121) .* the DICOM header says 240x240", e.Message);
                    continue;
                }

                FrameDecoder.Decode(header, layout, frame, samples);
                for (int n = 0; n < samples.Length; n++)
                {
                    int stored = planar ? ((n % spp) * pixels) + (n / spp) : n;
                    long at = (frame * layout.FrameBytes) + ((long)stored * bytes);
                    uint expected = bytes == 1 ? raw[at] : bytes == 2 ? (uint)(raw[at] | (raw[at + 1] << 8)) : BitConverter.ToUInt32(raw, (int)at);
                    Assert.True(expected == samples[n], $"{file} frame {frame + 1} sample {n}: dcmtk {expected}, ours {samples[n]}");
                }
            }
        }

        [Theory]
        [MemberData(nameof(RenderableSamples))]
        public void Eight_bit_renders_are_within_one_grey_level_of_dcm2pnm(string file)
        {
            using var dir = new TempDir();
            string source = DicomSamples.PathOf(file);
            var header = FrameDecoder.ReadWithPixels(source);
            var layout = PixelLayout.Of(header);
            // dcmtk's +Wi takes top-level windows only (not those of functional groups).
            bool window = header.Dataset.GetDoubles(new DicomTag(0x0028, 0x1050))?.Length > 0 && header.Dataset.GetDoubles(new DicomTag(0x0028, 0x1051))?.Length > 0;
            string reference = dir.File(layout.SamplesPerPixel == 1 ? "ref.pgm" : "ref.ppm");
            if (window)
            {
                Run("dcmj2pnm", "+Wi", "1", source, reference);
            }
            else
            {
                // A min-max window gives the same picture with or without a (positive) linear Modality LUT; without it,
                // dcmtk avoids its own precision trouble with tiny PET rescale slopes ("may create unexpected result").
                Run("dcmj2pnm", "+Wm", "--no-modality", source, reference);
            }


            var samples = new uint[layout.SamplesPerFrame];
            var rendered = FrameRenderer.Render(header, layout, FrameDecoder.Decode(header, layout, 0, samples), samples, new RenderOptions { Window = window ? WindowChoice.File : WindowChoice.MinMax });
            using var expected = Image.Load<Rgb24>(reference);
            Assert.Equal((layout.Columns, layout.Rows), (expected.Width, expected.Height));
            int worst = 0;
            for (int y = 0; y < expected.Height; y++)
            {
                for (int x = 0; x < expected.Width; x++)
                {
                    var e = expected[x, y];
                    int i = (y * expected.Width) + x;
                    var (r, g, b) = rendered.Color ? (rendered.Bytes![i * 3], rendered.Bytes[(i * 3) + 1], rendered.Bytes[(i * 3) + 2]) : (rendered.Bytes![i], rendered.Bytes[i], rendered.Bytes[i]);
                    worst = Math.Max(worst, Math.Max(Math.Abs(e.R - r), Math.Max(Math.Abs(e.G - g), Math.Abs(e.B - b))));
                }
            }

            Assert.True(worst <= 1, $"{file}: a pixel differs from dcm2pnm by {worst} grey levels");
        }

        [Theory]
        [MemberData(nameof(UndecodedSamples))]
        public void Other_compressions_are_refused_naming_the_syntax_and_a_conversion(string file, string syntax)
        {
            var header = FrameDecoder.ReadWithPixels(DicomSamples.PathOf(file));
            var e = Assert.Throws<CocoToolsException>(() => FrameDecoder.Decode(header, PixelLayout.Of(header), 0, new uint[PixelLayout.Of(header).SamplesPerFrame]));
            Assert.Equal("DicomCompressionUnsupported", e.ErrorId);
            Assert.Contains(syntax, e.Message);
            Assert.Contains(file, e.Message);
            Assert.Matches("dcmdjpeg|gdcmconv", e.Message);
        }

        [Theory]
        [InlineData("LINEAR", 40, 400, -160.5, 0)]
        [InlineData("LINEAR", 40, 400, 239.5, 255)]
        [InlineData("LINEAR", 40, 400, 40, 127.8195489)]
        [InlineData("LINEAR", 100, 1, 99.4, 0)]
        [InlineData("LINEAR", 100, 1, 99.6, 255)]
        [InlineData("LINEAR_EXACT", 40, 400, 40, 127.5)]
        [InlineData("LINEAR_EXACT", 40, 400, -160, 0)]
        [InlineData("SIGMOID", 40, 400, 40, 127.5)]
        [InlineData("SIGMOID", 40, 400, 240, 224.6032549)]
        public void Voi_functions_follow_ps3_3(string function, double center, double width, double x, double expected) =>
            Assert.Equal(expected, FrameRenderer.Voi(x, center, width, function, 255), 5);

        [Fact]
        public void Cut_short_compressed_frames_fail_with_our_error_never_another_exception()
        {
            foreach (var file in new[] { "pydicom_SC_rgb_jpeg_dcmtk.dcm", "pydicom_SC_rgb_dcmtk_+eb+cy+s2.dcm", "pydicom_JPGExtended.dcm", "pydicom_SC_rgb_jpeg_gdcm.dcm", "pydicom_MR_small_RLE.dcm" })
            {
                var header = FrameDecoder.ReadWithPixels(DicomSamples.PathOf(file));
                var layout = PixelLayout.Of(header);
                var whole = header.PixelData!.Fragments.SelectMany(f => f).ToArray();
                // The end of the JPEG data: its EOI marker (fragments are padded to an even length).
                int end = whole.Length;
                while (end >= 2 && !(whole[end - 2] == 0xFF && whole[end - 1] == 0xD9))
                {
                    end--;
                }

                for (int cut = 0; cut < whole.Length; cut += Math.Max(1, whole.Length / 150))
                {
                    header.PixelData.Fragments = new[] { whole.Take(cut).ToArray() };
                    try
                    {
                        FrameDecoder.Decode(header, layout, 0, new uint[layout.SamplesPerFrame]);
                        // Only RLE (whose segments are independent) or a JPEG missing no more than its EOI may decode.
                        Assert.True(file.Contains("RLE") || cut >= end - 2, $"{file} cut to {cut} of {whole.Length} bytes decoded: a JPEG cut short must be refused, not filled with zeros");
                    }
                    catch (CocoToolsException e)
                    {
                        Assert.Contains(file, e.Message);
                    }
                }
            }
        }

        [Fact]
        public void Damaged_compressed_frames_fail_with_our_error_never_another_exception()
        {
            var random = new Random(17);
            foreach (var file in new[] { "pydicom_MR_small_RLE.dcm", "pydicom_SC_rgb_rle.dcm", "fodicom_GH610.dcm", "pydicom_SC_rgb_jpeg_gdcm.dcm",
                "pydicom_SC_rgb_jpeg_dcmtk.dcm", "pydicom_SC_rgb_dcmtk_+eb+cy+s2.dcm", "pydicom_JPGExtended.dcm" })
            {
                var header = FrameDecoder.ReadWithPixels(DicomSamples.PathOf(file));
                var layout = PixelLayout.Of(header);
                var fragment = header.PixelData!.Fragments[0];
                var original = fragment.ToArray();
                for (int trial = 0; trial < 200; trial++)
                {
                    original.CopyTo(fragment, 0);
                    for (int flips = 0; flips < 4; flips++)
                    {
                        fragment[random.Next(fragment.Length)] ^= (byte)(1 << random.Next(8));
                    }

                    try
                    {
                        FrameDecoder.Decode(header, layout, 0, new uint[layout.SamplesPerFrame]);
                    }
                    catch (CocoToolsException)
                    {
                        // Refused with a message: fine. Decoding to other values is fine too; crashing is not.
                    }
                }
            }
        }
    }
}
