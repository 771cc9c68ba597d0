using System;
using System.Collections.Generic;
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

        /// <summary>
        /// Lines and character columns of many byte offsets in one pass over the file, counting characters as it
        /// goes (UTF-8 continuation bytes do not start a character), so a one-line minified file costs no more.
        /// </summary>
        public static Dictionary<long, (int Line, int Column)> LocateMany(string path, IEnumerable<long> offsets)
        {
            var result = new Dictionary<long, (int, int)>();
            var wanted = new List<long>(offsets);
            wanted.Sort();
            if (wanted.Count == 0)
            {
                return result;
            }

            try
            {
                using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 16, FileOptions.SequentialScan);
                var buffer = new byte[1 << 16];
                int line = 1;
                long chars = 0;
                long position = 0;
                int next = 0;
                bool bom = false;
                int n;
                while (next < wanted.Count && (n = stream.Read(buffer, 0, buffer.Length)) > 0)
                {
                    if (position == 0 && n >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF)
                    {
                        bom = true;
                    }

                    for (int i = 0; i < n && next < wanted.Count; i++, position++)
                    {
                        while (next < wanted.Count && wanted[next] == position)
                        {
                            result[wanted[next]] = (line, (int)Math.Min(int.MaxValue, chars - (bom && line == 1 ? 1 : 0) + 1));
                            next++;
                        }

                        byte b = buffer[i];
                        if (b == (byte)'\n')
                        {
                            line++;
                            chars = 0;
                        }
                        else if ((b & 0xC0) != 0x80)
                        {
                            chars++;
                        }
                    }
                }
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }

            return result;
        }
    }
}
