using System;
using System.IO;
using CocoTools.Engine.IO;
using CocoTools.Engine.Tests.Support;
using Xunit;

namespace CocoTools.Engine.Tests.IO
{
    public class AtomicDirectoryTests
    {
        [Fact]
        public void A_failure_while_filling_leaves_the_previous_folder_whole_and_no_temporary_folder()
        {
            using var dir = new TempDir();
            string target = Path.Combine(dir.Path, "gallery");
            Directory.CreateDirectory(target);
            File.WriteAllText(Path.Combine(target, "old.html"), "old");

            Assert.Throws<InvalidOperationException>(() => AtomicDirectory.Write(target, temp =>
            {
                File.WriteAllText(Path.Combine(temp, "index.html"), "half");
                throw new InvalidOperationException("stopped part-way");
            }));

            Assert.Equal(new[] { Path.Combine(target, "old.html") }, Directory.GetFiles(target));
            Assert.Equal(new[] { target }, Directory.GetFileSystemEntries(dir.Path));
        }

        [Fact]
        public void A_complete_folder_replaces_the_previous_one_entirely()
        {
            using var dir = new TempDir();
            string target = Path.Combine(dir.Path, "gallery");
            Directory.CreateDirectory(target);
            File.WriteAllText(Path.Combine(target, "stale.html"), "old");

            AtomicDirectory.Write(target, temp => File.WriteAllText(Path.Combine(temp, "index.html"), "new"));

            Assert.Equal(new[] { Path.Combine(target, "index.html") }, Directory.GetFiles(target));
            Assert.Equal(new[] { target }, Directory.GetFileSystemEntries(dir.Path));
        }

        [Fact]
        public void NoClobber_refuses_an_existing_folder_before_filling_anything()
        {
            using var dir = new TempDir();
            string target = Path.Combine(dir.Path, "gallery");
            Directory.CreateDirectory(target);
            bool filled = false;

            var e = Assert.Throws<CocoToolsException>(() => AtomicDirectory.Write(target, _ => filled = true, noClobber: true));

            Assert.Equal("FolderExists", e.ErrorId);
            Assert.False(filled);
        }

        [Fact]
        public void A_file_in_the_way_is_an_error_naming_it_and_stays()
        {
            using var dir = new TempDir();
            string target = dir.Write("gallery", "a file");

            var e = Assert.Throws<CocoToolsException>(() => AtomicDirectory.Write(target, temp => File.WriteAllText(Path.Combine(temp, "index.html"), "new")));

            Assert.Equal("OutputIsAFile", e.ErrorId);
            Assert.Equal("a file", File.ReadAllText(target));
            Assert.Equal(new[] { target }, Directory.GetFileSystemEntries(dir.Path));
        }
    }
}
