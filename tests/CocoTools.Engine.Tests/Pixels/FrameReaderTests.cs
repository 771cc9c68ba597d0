using System.IO;
using CocoTools.Engine.Dicom;
using CocoTools.Engine.Pixels;
using CocoTools.Engine.Tests.Support;
using Xunit;

namespace CocoTools.Engine.Tests.Pixels
{
    public class FrameReaderTests
    {
        /// <summary>An object fetched from a server is read into memory: its frames read the same as from the file.</summary>
        [Theory]
        [InlineData("dcmqi_23x38x3_seg.dcm")]
        [InlineData("highdicom_seg_image_ct_binary_fractional.dcm")]
        [InlineData("dcmqi_liver_seg.dcm")]
        public void Reads_frames_of_pixel_data_held_in_memory_as_from_the_file(string name)
        {
            string path = Path.Combine(SegFixtures.Shared, name);
            var fromFile = DicomReader.ReadHeader(path);
            var inMemory = DicomReader.ReadHeader(new MemoryStream(File.ReadAllBytes(path)), "http://h/dw/instances/x", new DicomReadOptions { ReadPixelData = true });
            using var file = new FrameReader(fromFile);
            using var memory = new FrameReader(inMemory);
            Assert.Equal(file.Layout.Frames, memory.Layout.Frames);
            var expected = new uint[file.Layout.SamplesPerFrame];
            var actual = new uint[memory.Layout.SamplesPerFrame];
            for (int frame = 0; frame < file.Layout.Frames; frame++)
            {
                file.Read(frame, expected);
                memory.Read(frame, actual);
                Assert.Equal(expected, actual);
            }
        }

        [Fact]
        public void Reports_pixel_data_in_memory_that_ends_inside_a_frame()
        {
            string path = Path.Combine(SegFixtures.Shared, "dcmqi_23x38x3_seg.dcm");
            var header = DicomReader.ReadHeader(new MemoryStream(File.ReadAllBytes(path)), "http://h/x", new DicomReadOptions { ReadPixelData = true });
            header.PixelData!.Value = header.PixelData.Value![..100];
            using var reader = new FrameReader(header);
            var e = Assert.Throws<CocoToolsException>(() => reader.Read(2, new uint[reader.Layout.SamplesPerFrame]));
            Assert.Equal("PixelDataTruncated", e.ErrorId);
        }
    }
}
