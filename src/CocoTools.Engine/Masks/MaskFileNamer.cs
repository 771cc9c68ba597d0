using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace CocoTools.Engine.Masks
{
    /// <summary>
    /// Names one output file per image from its file_name stem: sanitized to a safe file name (never a path, so
    /// nothing escapes the output folder), the frame number added for a frame of a multi-frame source, and made
    /// unique (ignoring case, for case-insensitive file systems) by adding the image id.
    /// </summary>
    public sealed class MaskFileNamer
    {
        private static readonly HashSet<string> ReservedOnWindows = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
            "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
        };

        private readonly HashSet<string> _used = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        private readonly string _extension;

        /// <summary>Names files with this extension (with its dot, e.g. ".png").</summary>
        public MaskFileNamer(string extension)
        {
            _extension = extension;
        }

        /// <summary>The file name for an image, unique among the names this namer has given.</summary>
        public string NameFor(string? sourceFileName, long imageId, int? frame)
        {
            string stem = Sanitize(StemOf(sourceFileName));
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

            string name = stem;
            if (!_used.Add(name + _extension))
            {
                name = stem + "_id" + imageId.ToString(CultureInfo.InvariantCulture);
                for (int n = 2; !_used.Add(name + _extension); n++)
                {
                    name = stem + "_id" + imageId.ToString(CultureInfo.InvariantCulture) + "_" + n.ToString(CultureInfo.InvariantCulture);
                }
            }

            return name + _extension;
        }

        /// <summary>The last path segment (either slash) without its extension.</summary>
        private static string StemOf(string? fileName)
        {
            if (string.IsNullOrEmpty(fileName))
            {
                return string.Empty;
            }

            int slash = Math.Max(fileName!.LastIndexOf('/'), fileName.LastIndexOf('\\'));
            string last = fileName.Substring(slash + 1);
            int dot = last.LastIndexOf('.');
            return dot > 0 ? last.Substring(0, dot) : last;
        }

        /// <summary>Letters, digits, '-', '_' and '.' only; no leading or trailing dots; no Windows device names.</summary>
        private static string Sanitize(string stem)
        {
            var sb = new StringBuilder(stem.Length);
            foreach (char c in stem)
            {
                sb.Append(char.IsLetterOrDigit(c) || c == '-' || c == '_' || c == '.' ? c : '_');
            }

            string safe = sb.ToString().Trim('.');
            if (safe.Length > 120)
            {
                safe = safe.Substring(0, 120);
            }

            return ReservedOnWindows.Contains(safe) ? "_" + safe : safe;
        }
    }
}
