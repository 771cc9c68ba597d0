using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using CocoTools.Engine.Dicom;
using Xunit;

namespace CocoTools.Engine.Tests.Dicom
{
    public class DicomValueTests
    {
        /// <summary>An explicit VR little endian data set (no preamble) of short-length elements, in tag order.</summary>
        private static DicomDataset DataSet(params (ushort Group, ushort Element, string Vr, byte[] Value)[] elements)
        {
            var bytes = new List<byte>();
            foreach (var (group, element, vr, value) in elements)
            {
                bytes.AddRange(BitConverter.GetBytes(group));
                bytes.AddRange(BitConverter.GetBytes(element));
                bytes.AddRange(Encoding.ASCII.GetBytes(vr));
                bytes.AddRange(BitConverter.GetBytes((ushort)value.Length));
                bytes.AddRange(value);
            }

            return DicomReader.ReadHeader(new MemoryStream(bytes.ToArray()), "values.dcm").Dataset;
        }

        private static byte[] Text(string s) => Encoding.ASCII.GetBytes(s.Length % 2 == 0 ? s : s + " ");

        [Fact]
        public void Number_strings_and_binary_numbers_become_numbers_and_bad_ones_stay_text()
        {
            var values = new byte[] { 1, 0, 2, 0, 0xFF, 0xFF };
            var data = DataSet(
                (0x0018, 0x0050, "DS", Text(" 1.5 ")),
                (0x0020, 0x0013, "IS", Text("7")),
                (0x0028, 0x0010, "US", BitConverter.GetBytes((ushort)512)),
                (0x0028, 0x0030, "DS", Text("0.5\\0.25")),
                (0x0028, 0x1050, "DS", Text("40\\abc")),
                (0x0028, 0x3002, "US", values));
            var d = data.ToDictionary();

            Assert.Equal(1.5, d["SliceThickness"]);
            Assert.Equal(7L, d["InstanceNumber"]);
            Assert.Equal(512L, d["Rows"]);
            Assert.Equal(new object[] { 0.5, 0.25 }, (object[])d["PixelSpacing"]!);
            Assert.Equal("40\\abc", d["WindowCenter"]);
            Assert.Equal(new object[] { 1L, 2L, 65535L }, (object[])d["LUTDescriptor"]!);
            Assert.Equal(new[] { 0.5, 0.25 }, data.GetDoubles(new DicomTag(0x0028, 0x0030)));
            Assert.True(double.IsNaN(data.GetDoubles(new DicomTag(0x0028, 0x1050))![1]));
        }

        [Fact]
        public void A_long_number_string_is_read_without_a_string_per_value()
        {
            // 10,000 values in one DS element (a corrupt header can make a long run of bytes one element's value).
            string text = string.Join("\\", Enumerable.Range(0, 10_000).Select(i => (i % 10).ToString(System.Globalization.CultureInfo.InvariantCulture)));
            var data = DataSet((0x0028, 0x0030, "DS", Text(text)));
            var tag = new DicomTag(0x0028, 0x0030);
            _ = data.GetValue(tag);

            long before = GC.GetAllocatedBytesForCurrentThread();
            var value = (object[])data.GetValue(tag)!;
            long perValue = (GC.GetAllocatedBytesForCurrentThread() - before) / value.Length;

            Assert.Equal(10_000, value.Length);
            Assert.Equal(9L, value[9999]);
            // A boxed number and its slot (32 bytes), its double (8) and the text (4): a string per value and a
            // second parse would be about twice that.
            Assert.True(perValue < 64, $"{perValue} bytes a value");
        }

        [Fact]
        public void A_long_binary_number_array_costs_its_boxed_values_only()
        {
            var bytes = Enumerable.Range(0, 10_000).SelectMany(i => BitConverter.GetBytes((uint)i * 3)).ToArray();
            var data = DataSet((0x0028, 0x1101, "UL", bytes));
            var tag = new DicomTag(0x0028, 0x1101);
            _ = data.GetValue(tag);

            long before = GC.GetAllocatedBytesForCurrentThread();
            var value = (object[])data.GetValue(tag)!;
            long perValue = (GC.GetAllocatedBytesForCurrentThread() - before) / value.Length;

            Assert.Equal(29_997L, value[9999]);
            // A boxed number and its slot (32 bytes) and its double (8); the VR's code text made once per value
            // added 60 more.
            Assert.True(perValue < 48, $"{perValue} bytes a value");
        }
    }
}
