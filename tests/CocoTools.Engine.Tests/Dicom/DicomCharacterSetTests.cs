using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using CocoTools.Engine.Dicom;
using CocoTools.Engine.Tests.Support;
using Xunit;

namespace CocoTools.Engine.Tests.Dicom
{
    public class DicomCharacterSetTests
    {
        private const string PydicomTextValues = @"
import json, sys, pydicom
out = {}
for f in sys.argv[2:]:
    ds = pydicom.dcmread(f, stop_before_pixels=True)
    vals = {}
    def visit(d, prefix):
        for e in d:
            key = prefix + '%04X,%04X' % (e.tag.group, e.tag.element)
            if e.VR == 'SQ':
                if prefix == '':
                    for i, item in enumerate(e.value):
                        visit(item, key + '/' + str(i) + '/')
            elif e.VR in ('PN', 'LO', 'SH', 'ST', 'LT', 'UT', 'UC') and e.value not in (None, '') and e.VM == 1:
                vals[key] = str(e.value)
    visit(ds, '')
    out[f] = vals
json.dump(out, open(sys.argv[1], 'w', encoding='utf-8'), ensure_ascii=False)
";

        [Fact]
        public void Text_decodes_as_pydicom_decodes_it_in_every_declared_character_set()
        {
            var files = new[]
            {
                "pydicom_chrX1.dcm", "pydicom_chrH32.dcm", "pydicom_chrRuss.dcm", "pydicom_chrSQEncoding.dcm",
                "pydicom_CT_small.dcm", "pydicom_GDCMJ2K_TextGBR.dcm", "pydicom_empty_charset_LEI.dcm", "fodicom_GH487.dcm", "pydicom_test-SR.dcm",
            }.Select(DicomSamples.PathOf).ToArray();
            using var dir = new TempDir();
            var output = dir.File("text.json");

            var run = PythonOracle.Run("/usr/bin/python3", new[] { "-c", PydicomTextValues, output }.Concat(files).ToArray(), null, TimeSpan.FromMinutes(2));

            Assert.True(run.ExitCode == 0, run.StdErr);
            using var doc = JsonDocument.Parse(File.ReadAllBytes(output));
            int compared = 0;
            foreach (var file in files)
            {
                var header = DicomReader.ReadHeader(file);
                foreach (var property in doc.RootElement.GetProperty(file).EnumerateObject())
                {
                    var path = property.Name.Split('/');
                    var dataset = header.Dataset;
                    for (int i = 0; i + 2 < path.Length; i += 2)
                    {
                        dataset = dataset[Tag(path[i])]!.Items![int.Parse(path[i + 1])];
                    }

                    Assert.True(property.Value.GetString() == dataset.GetString(Tag(path[^1])), $"{Path.GetFileName(file)} {property.Name}: pydicom '{property.Value.GetString()}', ours '{dataset.GetString(Tag(path[^1]))}'");
                    compared++;
                }
            }

            Assert.True(compared > 40, $"only {compared} values compared");
        }

        [Fact]
        public void Japanese_names_with_code_extensions_decode_per_component()
        {
            var header = DicomReader.ReadHeader(DicomSamples.PathOf("pydicom_chrH32.dcm"));

            Assert.Equal("ﾔﾏﾀﾞ^ﾀﾛｳ=山田^太郎=やまだ^たろう", header.Dataset.GetString(new DicomTag(0x0010, 0x0010)));
        }

        [Fact]
        public void An_unknown_character_set_falls_back_with_a_warning_never_a_crash()
        {
            var charset = DicomCharacterSet.Create("ISO_IR 999");

            Assert.Contains("ISO_IR 999", charset.Warning);
            Assert.Equal("Müller", charset.Decode(new byte[] { 0x4D, 0xFC, 0x6C, 0x6C, 0x65, 0x72 }, personName: true));
        }

        private static DicomTag Tag(string text) => DicomTag.TryParse(text, out var tag) ? tag : throw new FormatException(text);
    }
}
