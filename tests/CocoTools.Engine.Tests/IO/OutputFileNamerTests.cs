using System;
using System.IO;
using System.Linq;
using System.Text;
using CocoTools.Engine.IO;
using CocoTools.Engine.Tests.Support;
using Xunit;

namespace CocoTools.Engine.Tests.IO
{
    public class OutputFileNamerTests
    {
        [Theory]
        [InlineData("../../x", "_.._x")]
        [InlineData("/etc/passwd", "_etc_passwd")]
        [InlineData("C:\\Windows\\win.ini", "C__Windows_win.ini")]
        [InlineData("a\0b", "a_b")]
        [InlineData("...", "")]
        [InlineData("con", "_con")]
        [InlineData("COM1.json", "_COM1.json")]
        [InlineData("lpt9", "_lpt9")]
        [InlineData("1.2.840.113619.2.55", "1.2.840.113619.2.55")]
        [InlineData("https://host/studies/1.2/series/3.4", "https___host_studies_1.2_series_3.4")]
        [InlineData("名前 (1)", "名前__1_")]
        public void Any_text_becomes_one_safe_file_name(string text, string expected)
        {
            Assert.Equal(expected, SafeFileName.Stem(text));
        }

        [Theory]
        [InlineData('a', 1)]
        [InlineData('é', 2)]
        [InlineData('名', 3)]
        public void Over_long_names_are_cut_to_fit_every_file_system(char c, int bytesPerChar)
        {
            string stem = SafeFileName.Stem(new string(c, 1000));
            var namer = new OutputFileNamer(".png");
            string name = namer.NameFor(new string(c, 1000) + ".dcm", 123456789, 9999);
            namer.NameFor(new string(c, 1000) + ".dcm", 987654321, 9999);
            string collided = namer.NameFor(new string(c, 1000) + ".dcm", 987654321, 9999);

            Assert.Equal(SafeFileName.MaxStemBytes / bytesPerChar, stem.Length);
            Assert.True(Encoding.UTF8.GetByteCount(collided) + 40 <= 255, collided);
            using var dir = new TempDir();
            // The temporary name of an atomic write is longer still, and must fit too.
            AtomicFile.Write(Path.Combine(dir.Path, collided), s => s.WriteByte(1));
            AtomicFile.Write(Path.Combine(dir.Path, name), s => s.WriteByte(1));
            Assert.Equal(2, Directory.GetFiles(dir.Path).Length);
        }

        [Fact]
        public void Names_from_text_are_unique_ignoring_case_and_never_empty()
        {
            var namer = new OutputFileNamer(".json");

            Assert.Equal(new[] { "train.json", "TRAIN_2.json", "split3.json", "x.json" }, new[] { "train", "TRAIN", "..", "x" }.Select((n, i) => namer.NameForText(n, "split" + (i + 1))));
        }

        [Theory]
        [InlineData("../x.json")]
        [InlineData("/tmp/x.json")]
        [InlineData("a/b.json")]
        [InlineData("x\0.json")]
        [InlineData("..")]
        [InlineData("")]
        public void A_name_that_is_not_a_file_name_in_the_folder_is_refused(string name)
        {
            using var dir = new TempDir();

            var e = Assert.Throws<CocoToolsException>(() => SafeFileName.PathIn(dir.Path, name));

            Assert.Equal("OutputPathEscapes", e.ErrorId);
        }

        [Fact]
        public void Every_name_the_namer_makes_passes_the_folder_check()
        {
            using var dir = new TempDir();
            var namer = new OutputFileNamer(".png");
            var random = new Random(19);
            for (int i = 0; i < 2000; i++)
            {
                var chars = Enumerable.Range(0, random.Next(0, 40)).Select(_ => (char)random.Next(0, 0x3000)).ToArray();
                string name = i % 2 == 0 ? namer.NameFor(new string(chars), i, null) : namer.NameForText(new string(chars), "n" + i);

                Assert.Equal(dir.Path, Path.GetDirectoryName(SafeFileName.PathIn(dir.Path, name)));
            }
        }
    }
}
