using System.IO;
using System.Linq;
using CocoTools.Engine.DicomObjects;
using CocoTools.Engine.Pixels;
using CocoTools.Engine.Tests.Support;
using Xunit;

namespace CocoTools.Engine.Tests.Pixels
{
    public class BitPackingTests
    {
        [Theory]
        [InlineData(0, 16)]
        [InlineData(3, 5)]
        [InlineData(7, 18)]
        [InlineData(874, 874)]
        public void Bits_unpack_least_significant_first_from_any_bit(int firstBit, int count)
        {
            var data = Enumerable.Range(0, 300).Select(i => (byte)((i * 37) + 11)).ToArray();
            var samples = new uint[count];

            BitPacking.Unpack(data, firstBit, samples);

            for (int n = 0; n < count; n++)
            {
                int bit = firstBit + n;
                Assert.Equal((uint)((data[bit / 8] >> (bit % 8)) & 1), samples[n]);
            }
        }

        [Fact]
        public void One_bit_frames_render_as_0_and_255_and_read_the_same_streamed_or_whole()
        {
            string path = Path.Combine(SegFixtures.Shared, "dcmqi_23x38x3_seg.dcm");
            var whole = FrameDecoder.ReadWithPixels(path);
            var layout = PixelLayout.Of(whole);
            var bits = whole.PixelData!.Value!;
            using var reader = new FrameReader(CocoTools.Engine.Dicom.DicomReader.ReadHeader(path));
            Assert.True(reader.Streams);

            for (int frame = 0; frame < layout.Frames; frame++)
            {
                var decoded = new uint[layout.SamplesPerFrame];
                var streamed = new uint[layout.SamplesPerFrame];
                FrameDecoder.Decode(whole, layout, frame, decoded);
                reader.Read(frame, streamed);
                var rendered = FrameRenderer.Render(whole, layout, "MONOCHROME2", decoded, new RenderOptions());

                Assert.Equal(decoded, streamed);
                for (int p = 0; p < layout.SamplesPerFrame; p++)
                {
                    int bit = (frame * 874) + p;
                    Assert.Equal((bits[bit / 8] >> (bit % 8)) & 1, (int)decoded[p]);
                    Assert.Equal(decoded[p] == 1 ? 255 : 0, rendered.Bytes![p]);
                }
            }
        }

        [Fact]
        public void CIELab_white_and_black_are_sRGB_white_and_black()
        {
            Assert.Equal(new[] { 255, 255, 255 }, CieLab.ToSrgb(65535, 32896, 32896));
            Assert.Equal(new[] { 0, 0, 0 }, CieLab.ToSrgb(0, 32896, 32896));
        }
    }
}
