using System;
using System.IO;
using CocoTools.Engine.Pixels;
using CocoTools.Engine.Tests.Support;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using Xunit;

namespace CocoTools.Engine.Tests.Pixels
{
    /// <summary>Our PNG writer gives back the exact samples, read by ImageSharp and by Pillow, as ImageSharp's own encoder does.</summary>
    public class PngWriterTests
    {
        private static RenderedFrame Frame(int width, int height, bool color, int bitDepth, int seed)
        {
            var random = new Random(seed);
            int count = width * height * (color ? 3 : 1);
            if (bitDepth == 16)
            {
                var words = new ushort[count];
                for (int i = 0; i < count; i++)
                {
                    // Smooth with noise, as images are: the filter and the deflate both have work to do.
                    words[i] = (ushort)((i * 37) + random.Next(300));
                }

                return new RenderedFrame(width, height, false, 16, null, words);
            }

            var bytes = new byte[count];
            for (int i = 0; i < count; i++)
            {
                bytes[i] = (byte)((i / 7) + random.Next(20));
            }

            return new RenderedFrame(width, height, color, 8, bytes, null);
        }

        private static uint[] Decoded(byte[] png, RenderedFrame frame)
        {
            using var stream = new MemoryStream(png);
            var result = new uint[frame.Width * frame.Height * (frame.Color ? 3 : 1)];
            if (frame.Color)
            {
                using var image = Image.Load<Rgb24>(stream);
                for (int i = 0; i < frame.Width * frame.Height; i++)
                {
                    var p = image[i % frame.Width, i / frame.Width];
                    (result[i * 3], result[(i * 3) + 1], result[(i * 3) + 2]) = (p.R, p.G, p.B);
                }
            }
            else
            {
                using var image = Image.Load<L16>(stream);
                for (int i = 0; i < result.Length; i++)
                {
                    ushort v = image[i % frame.Width, i / frame.Width].PackedValue;
                    result[i] = frame.BitDepth == 16 ? v : (uint)(v >> 8);
                }
            }

            return result;
        }

        private static uint[] Expected(RenderedFrame frame)
        {
            var expected = new uint[frame.Width * frame.Height * (frame.Color ? 3 : 1)];
            for (int i = 0; i < expected.Length; i++)
            {
                expected[i] = frame.BitDepth == 16 ? frame.Words![i] : frame.Bytes![i];
            }

            return expected;
        }

        [Theory]
        [InlineData(37, 23, false, 8)]
        [InlineData(1, 1, false, 8)]
        [InlineData(64, 9, false, 16)]
        [InlineData(19, 31, true, 8)]
        public void Writes_the_exact_samples_as_imagesharp_does(int width, int height, bool color, int bitDepth)
        {
            Assert.True(PngWriter.UsesRuntimeZlib, "on .NET 10 the runtime's zlib writes the pixels");
            var frame = Frame(width, height, color, bitDepth, width + height);
            using var ours = new MemoryStream();
            PngWriter.Write(frame, ours);
            using var theirs = new MemoryStream();
            PngWriter.WriteWithImageSharp(frame, theirs);
            Assert.Equal(Expected(frame), Decoded(ours.ToArray(), frame));
            Assert.Equal(Expected(frame), Decoded(theirs.ToArray(), frame));
        }

        [Fact]
        public void Pillow_reads_it_checking_every_crc_and_the_zlib_checksum()
        {
            using var dir = new TempDir();
            var grey = Frame(61, 47, false, 16, 3);
            var rgb = Frame(33, 20, true, 8, 4);
            foreach (var (frame, name) in new[] { (grey, "grey.png"), (rgb, "rgb.png") })
            {
                using var file = File.Create(dir.File(name));
                PngWriter.Write(frame, file);
            }

            var result = PythonOracle.RunPython(@"
import sys
from PIL import Image, ImageFile
ImageFile.LOAD_TRUNCATED_IMAGES = False
for path in sys.argv[1:]:
    im = Image.open(path); im.load()
    print(im.mode, im.size[0], im.size[1], sum(im.getdata(0)) if im.mode == 'RGB' else sum(im.getdata()))
", dir.File("grey.png"), dir.File("rgb.png"));
            Assert.True(result.ExitCode == 0, result.StdErr);
            var lines = result.StdOut.Trim().Split('\n');
            long greySum = 0, redSum = 0;
            foreach (var w in grey.Words!)
            {
                greySum += w;
            }

            for (int i = 0; i < rgb.Bytes!.Length; i += 3)
            {
                redSum += rgb.Bytes[i];
            }

            Assert.Matches($"^I(;16)? 61 47 {greySum}$", lines[0].Trim());
            Assert.Equal($"RGB 33 20 {redSum}", lines[1].Trim());
        }
    }
}
