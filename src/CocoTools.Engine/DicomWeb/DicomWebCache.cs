using System;
using System.IO;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using CocoTools.Engine.IO;

namespace CocoTools.Engine.DicomWeb
{
    /// <summary>
    /// What was fetched, on disk, keyed by SOP Instance UID: <c>&lt;uid&gt;/metadata.json</c>, <c>&lt;uid&gt;/frame-N.bin</c>
    /// (the transfer syntax UID, a line feed, the frame's bytes) and <c>&lt;uid&gt;/instance.dcm</c>; DICOM files fetched by
    /// URL under <c>url/&lt;SHA-256 of the URL without credentials&gt;.dcm</c>. Writes are atomic (temp file and rename),
    /// so a broken transfer leaves nothing; only answers that were checked are written. Paths never hold secrets.
    /// </summary>
    public sealed class DicomWebCache
    {
        private static readonly Regex Uid = new Regex("^[0-9]+(\\.[0-9]+)*$", RegexOptions.CultureInvariant);
        private readonly string _root;
        private readonly Action<string>? _log;

        /// <summary>A cache in <paramref name="root"/> (created on first write).</summary>
        public DicomWebCache(string root, Action<string>? log = null)
        {
            _root = root;
            _log = log;
        }

        /// <summary>The cache folder.</summary>
        public string Root => _root;

        /// <summary>The file of an instance's item (metadata.json, frame-1.bin, instance.dcm).</summary>
        public string PathFor(string sopInstanceUid, string item) => Path.Combine(_root, SafeName(sopInstanceUid), item);

        /// <summary>The file of a DICOM file fetched by URL.</summary>
        public string PathForUrl(string redactedUrl) => Path.Combine(_root, "url", Hash(redactedUrl) + ".dcm");

        /// <summary>The cached bytes, or null.</summary>
        public byte[]? TryRead(string path)
        {
            try
            {
                if (!File.Exists(path))
                {
                    return null;
                }

                var bytes = File.ReadAllBytes(path);
                _log?.Invoke($"cache: {path}");
                return bytes;
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                return null;
            }
        }

        /// <summary>Writes an item atomically; a cache that cannot be written is skipped (the data was fetched anyway).</summary>
        public void Write(string path, byte[] bytes)
        {
            try
            {
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                AtomicFile.Write(path, s => s.Write(bytes, 0, bytes.Length));
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is CocoToolsException)
            {
                _log?.Invoke($"cache: cannot write {path}: {e.Message}");
            }
        }

        /// <summary>A frame with its transfer syntax, as stored in frame-N.bin.</summary>
        public static byte[] PackFrame(string transferSyntaxUid, byte[] frame)
        {
            var head = Encoding.ASCII.GetBytes(transferSyntaxUid + "\n");
            var all = new byte[head.Length + frame.Length];
            Buffer.BlockCopy(head, 0, all, 0, head.Length);
            Buffer.BlockCopy(frame, 0, all, head.Length, frame.Length);
            return all;
        }

        /// <summary>The transfer syntax and bytes of a frame-N.bin; null when it is not one.</summary>
        public static (string TransferSyntax, byte[] Frame)? UnpackFrame(byte[] packed)
        {
            int nl = Array.IndexOf(packed, (byte)'\n', 0, Math.Min(packed.Length, 80));
            if (nl <= 0)
            {
                return null;
            }

            string ts = Encoding.ASCII.GetString(packed, 0, nl);
            if (!Uid.IsMatch(ts))
            {
                return null;
            }

            var frame = new byte[packed.Length - nl - 1];
            Buffer.BlockCopy(packed, nl + 1, frame, 0, frame.Length);
            return (ts, frame);
        }

        /// <summary>A UID as a folder name; anything else (never expected from a checked answer) by its hash.</summary>
        private static string SafeName(string uid) => uid.Length <= 64 && Uid.IsMatch(uid) ? uid : Hash(uid);

        private static string Hash(string text)
        {
            using var sha = SHA256.Create();
            var hash = sha.ComputeHash(Encoding.UTF8.GetBytes(text));
            return BitConverter.ToString(hash).Replace("-", string.Empty).ToLowerInvariant();
        }
    }
}
