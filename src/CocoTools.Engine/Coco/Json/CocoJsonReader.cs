using System.IO;

namespace CocoTools.Engine.Coco.Json
{
    /// <summary>
    /// Reads COCO JSON (standard or the DICOM viewer's flavour) into a <see cref="CocoDataset"/>, streaming the
    /// file through <see cref="System.Text.Json.Utf8JsonReader"/>: no DOM, memory bounded by the data kept.
    /// </summary>
    public static class CocoJsonReader
    {
        /// <summary>Reads a COCO file. Throws <see cref="CocoFormatException"/> (with line, column and JSON pointer) on bad input.</summary>
        public static CocoDataset ReadFile(string path, CocoReadOptions? options = null)
        {
            FileStream stream;
            try
            {
                stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
            }
            catch (FileNotFoundException e)
            {
                throw new CocoToolsException("FileNotFound", FailureKind.ObjectNotFound, $"{path}: file not found.", e) { SourcePath = path };
            }
            catch (DirectoryNotFoundException e)
            {
                throw new CocoToolsException("FileNotFound", FailureKind.ObjectNotFound, $"{path}: folder not found.", e) { SourcePath = path };
            }
            catch (IOException e)
            {
                throw new CocoToolsException("FileReadFailed", FailureKind.ReadError, $"{path}: {e.Message}", e) { SourcePath = path };
            }
            catch (System.UnauthorizedAccessException e)
            {
                throw new CocoToolsException("FileReadFailed", FailureKind.ReadError, $"{path}: access denied.", e) { SourcePath = path };
            }

            using (stream)
            {
                var dataset = Read(stream, path, options);
                dataset.SourcePath = path;
                return dataset;
            }
        }

        /// <summary>Reads COCO JSON from a stream; <paramref name="sourcePath"/> names it in errors (and is re-read to locate them).</summary>
        public static CocoDataset Read(Stream stream, string? sourcePath, CocoReadOptions? options = null)
        {
            using var parser = new CocoJsonParser(stream, sourcePath, options ?? new CocoReadOptions());
            return parser.Parse();
        }
    }
}
