using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;

namespace CocoTools.Engine.IO
{
    /// <summary>
    /// The one place where text from an input (a JSON file_name, a -Name, a category name, a SOP Instance UID, a URL)
    /// becomes the name of a file written into an output folder. Every writer goes through it, so the rules are the
    /// same everywhere: the result is a single file name (never a path: no separator, no <c>..</c>, no NUL, no drive or
    /// root), no leading or trailing dot, never a Windows device name (CON, NUL, COM1 ...), and at most
    /// <see cref="MaxStemBytes"/> bytes of UTF-8 before its suffix and extension, so it fits every file system's
    /// 255-byte limit.
    /// </summary>
    public static class SafeFileName
    {
        /// <summary>The most UTF-8 bytes a stem keeps (room is left for a frame, id and counter suffix and an extension).</summary>
        public const int MaxStemBytes = 150;

        private static readonly HashSet<string> ReservedOnWindows = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            "CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$",
            "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9", "COM0",
            "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9", "LPT0",
        };

        /// <summary>
        /// The whole text as a safe stem: letters, digits, '-', '_' and '.' kept, everything else (separators, NUL,
        /// spaces, ':') replaced by '_'; leading and trailing dots removed; device names prefixed with '_'; cut to
        /// <see cref="MaxStemBytes"/>. Empty when nothing is left.
        /// </summary>
        public static string Stem(string? text)
        {
            if (string.IsNullOrEmpty(text))
            {
                return string.Empty;
            }

            var sb = new StringBuilder(Math.Min(text!.Length, MaxStemBytes));
            int bytes = 0;
            foreach (char c in text)
            {
                // Surrogate halves are not letters to char.IsLetterOrDigit, so they become '_' and never split a pair.
                char kept = char.IsLetterOrDigit(c) || c == '-' || c == '_' || c == '.' ? c : '_';
                int size = kept < 0x80 ? 1 : kept < 0x800 ? 2 : 3;
                if (bytes + size > MaxStemBytes)
                {
                    break;
                }

                sb.Append(kept);
                bytes += size;
            }

            string safe = sb.ToString().Trim('.');
            int dot = safe.IndexOf('.');
            string device = dot < 0 ? safe : safe.Substring(0, dot);
            return ReservedOnWindows.Contains(device.TrimEnd(' ')) ? "_" + safe : safe;
        }

        /// <summary>The last segment of a path or URL (either slash), without its extension, as a safe stem.</summary>
        public static string StemOfPath(string? path)
        {
            if (string.IsNullOrEmpty(path))
            {
                return string.Empty;
            }

            int slash = Math.Max(path!.LastIndexOf('/'), path.LastIndexOf('\\'));
            string last = path.Substring(slash + 1);
            int dot = last.LastIndexOf('.');
            return Stem(dot > 0 ? last.Substring(0, dot) : last);
        }

        /// <summary>
        /// The full path of <paramref name="fileName"/> in <paramref name="directory"/>; a CocoToolsException
        /// (<c>OutputPathEscapes</c>) when it would not be directly inside it. A last check after naming, so no writer
        /// can write outside its folder even if a name was not made by this class.
        /// </summary>
        public static string PathIn(string directory, string fileName)
        {
            string folder = Path.GetFullPath(directory);
            string full;
            try
            {
                full = fileName.IndexOf('\0') < 0 ? Path.GetFullPath(Path.Combine(folder, fileName)) : string.Empty;
            }
            catch (Exception e) when (e is ArgumentException || e is NotSupportedException || e is PathTooLongException)
            {
                full = string.Empty;
            }

            string? parent = full.Length == 0 ? null : Path.GetDirectoryName(full);
            var comparison = Path.DirectorySeparatorChar == '\\' ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
            if (parent == null || !string.Equals(parent.TrimEnd(Path.DirectorySeparatorChar), folder.TrimEnd(Path.DirectorySeparatorChar), comparison))
            {
                throw new CocoToolsException("OutputPathEscapes", FailureKind.InvalidArgument, $"'{fileName.Replace("\0", "\\0")}' is not a file name inside {folder}; nothing was written there.") { Target = fileName };
            }

            return full;
        }
    }

    /// <summary>
    /// Names the files of one output folder: each name made safe by <see cref="SafeFileName"/>, then made unique
    /// (ignoring case, for case-insensitive file systems). Export-CocoMask, Export-CocoImage and Split-CocoDataset all
    /// name their files through it, so an image's PNG and its mask pair up by name.
    /// </summary>
    public sealed class OutputFileNamer
    {
        private readonly HashSet<string> _used = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        private readonly string _extension;

        /// <summary>Names files with this extension (with its dot, e.g. ".png").</summary>
        public OutputFileNamer(string extension)
        {
            _extension = extension;
        }

        /// <summary>
        /// The file name for an image, from its file_name's stem (path and extension dropped); the frame number added
        /// for a frame of a multi-frame source; "image&lt;id&gt;" when nothing safe is left; the image id added on a
        /// collision.
        /// </summary>
        public string NameFor(string? sourceFileName, long imageId, int? frame)
        {
            string stem = SafeFileName.StemOfPath(sourceFileName);
            if (stem.Length == 0)
            {
                stem = "image" + imageId.ToString(CultureInfo.InvariantCulture);
            }

            // A frame's number joins the name once (an image Export-CocoImage wrote is already named for its frame).
            string frameSuffix = frame is int f ? "_frame" + f.ToString("D4", CultureInfo.InvariantCulture) : string.Empty;
            if (!stem.EndsWith(frameSuffix, StringComparison.Ordinal))
            {
                stem += frameSuffix;
            }

            return Unique(stem, "_id" + imageId.ToString(CultureInfo.InvariantCulture));
        }

        /// <summary>
        /// The file name for a name a user or a file gave (a split's -Name, a category name, a UID): the whole text made
        /// safe (dots kept, so a UID stays whole); <paramref name="fallback"/> when nothing safe is left; a counter added
        /// on a collision.
        /// </summary>
        public string NameForText(string? name, string fallback)
        {
            string stem = SafeFileName.Stem(name);
            return Unique(stem.Length == 0 ? fallback : stem, string.Empty);
        }

        private string Unique(string stem, string idSuffix)
        {
            string name = stem;
            if (!_used.Add(name + _extension))
            {
                name = stem + idSuffix;
                for (int n = 2; !_used.Add(name + _extension); n++)
                {
                    name = stem + idSuffix + "_" + n.ToString(CultureInfo.InvariantCulture);
                }
            }

            return name + _extension;
        }
    }
}
