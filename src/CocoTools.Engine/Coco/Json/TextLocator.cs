using System.IO;
using System.Text;

namespace CocoTools.Engine.Coco.Json
{
    /// <summary>Turns a byte offset in a UTF-8 file into a 1-based line and character column, by re-reading the file.</summary>
    internal static class TextLocator
    {
        public static (int Line, int Column)? Locate(string? path, long offset)
        {
            if (path == null || offset < 0 || !File.Exists(path))
            {
                return null;
            }

            try
            {
                using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 16, FileOptions.SequentialScan);
                return Locate(stream, offset);
            }
            catch (IOException)
            {
                return null;
            }
            catch (System.UnauthorizedAccessException)
            {
                return null;
            }
        }

        public static (int Line, int Column) Locate(Stream stream, long offset)
        {
            var buffer = new byte[1 << 16];
            int line = 1;
            long pos = 0;
            var lineBytes = new MemoryStream();
            while (pos < offset)
            {
                int want = (int)System.Math.Min(buffer.Length, offset - pos);
                int n = stream.Read(buffer, 0, want);
                if (n == 0)
                {
                    break;
                }

                int lineStart = 0;
                for (int i = 0; i < n; i++)
                {
                    if (buffer[i] == (byte)'\n')
                    {
                        line++;
                        lineStart = i + 1;
                        lineBytes.SetLength(0);
                    }
                }

                lineBytes.Write(buffer, lineStart, n - lineStart);
                pos += n;
            }

            // Columns count characters, not bytes, so they match what an editor shows.
            var prefix = lineBytes.ToArray();
            int start = line == 1 && prefix.Length >= 3 && prefix[0] == 0xEF && prefix[1] == 0xBB && prefix[2] == 0xBF ? 3 : 0;
            int column = Encoding.UTF8.GetCharCount(prefix, start, prefix.Length - start) + 1;
            return (line, column);
        }
    }
}
