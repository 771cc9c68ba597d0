using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Runtime.ExceptionServices;
using System.Threading;
using CocoTools.Engine.Coco;
using CocoTools.Engine.Coco.Json;
using CocoTools.Engine.IO;

namespace CocoTools.Engine.Operations
{
    /// <summary>What a merge of COCO files into a file did.</summary>
    public sealed class FileMergeResult
    {
        internal FileMergeResult(MergeReport report, CocoWriteReport written, string? inMemoryReason, long images, long annotations)
        {
            Report = report;
            Written = written;
            InMemoryReason = inMemoryReason;
            Images = images;
            Annotations = annotations;
        }

        /// <summary>Duplicates, unified categories and conflicts, as the in-memory merge reports them.</summary>
        public MergeReport Report { get; }

        /// <summary>What the write filled in (area, bbox).</summary>
        public CocoWriteReport Written { get; }

        /// <summary>True when the merge streamed (bounded memory); false when it had to hold the whole merge in memory.</summary>
        public bool Streamed => InMemoryReason == null;

        /// <summary>Why the merge could not stream (the file and what it holds), or null when it streamed.</summary>
        public string? InMemoryReason { get; }

        /// <summary>Images written.</summary>
        public long Images { get; }

        /// <summary>Annotations written.</summary>
        public long Annotations { get; }

        /// <summary>The most image and annotation records held at once while streaming (a bound tests check).</summary>
        internal int PeakRecordsHeld { get; set; }
    }

    /// <summary>
    /// Merges COCO files in the canonical order (<see cref="MergeOrder.FileName"/>) straight into a file, giving the
    /// bytes that <see cref="DatasetMerger"/> and <see cref="CocoJsonWriter"/> give, in memory bounded by the number of
    /// inputs rather than their size. A first pass reads each input's info, licenses and categories and checks that it
    /// can be streamed: images in file_name order and before the annotations, annotations grouped in their images'
    /// order, no image that another input (or the same one) already has, standard records only. A second pass opens
    /// every input at once and merges the images by the canonical order, then the annotations by their images'
    /// merged ids, renumbering as <see cref="DatasetMerger"/> does. An input that cannot be streamed makes the whole
    /// merge run in memory, with the same result; <see cref="FileMergeResult.InMemoryReason"/> says why.
    /// </summary>
    public static class StreamingMerger
    {
        /// <summary>Records read ahead per input in the second pass.</summary>
        internal const int ReadAhead = 256;

        /// <summary>Starting read buffer per input in the second pass (it grows for a larger single value).</summary>
        private const int CursorBufferBytes = 1 << 16;

        /// <summary>
        /// Merges <paramref name="paths"/> (in this order) into <paramref name="outFile"/>, written atomically. Throws
        /// <see cref="CocoToolsException"/> naming the input when one cannot be read; nothing is written then.
        /// </summary>
        public static FileMergeResult MergeFiles(IReadOnlyList<string> paths, string outFile, IDictionary<string, string>? categoryMap = null, CocoWriteOptions? options = null, bool noClobber = false)
        {
            options ??= new CocoWriteOptions();
            var merger = new DatasetMerger(categoryMap, MergeOrder.FileName);
            var inputs = new List<DatasetMerger.InputIds>(paths.Count);
            string? reason = options.Flavor != CocoFlavor.Standard || options.SegmentationFormat != CocoSegmentationFormat.Keep
                ? "the output is not standard COCO with segmentations kept as they are"
                : null;
            var identities = new HashSet<ulong>();
            foreach (var path in paths)
            {
                if (reason != null)
                {
                    break;
                }

                var check = new StreamCheck(path, identities);
                var head = CocoJsonReader.ReadFile(path, new CocoReadOptions { RecordSink = check });
                reason = check.Finish(head);
                inputs.Add(merger.AddHead(head));
            }

            // Only the first pass needs the identities; drop them before the second holds its id maps.
            identities.Clear();
            identities.TrimExcess();
            TempFiles.NewRun();
            if (reason != null)
            {
                return MergeInMemory(paths, outFile, categoryMap, options, noClobber, reason);
            }

            FileMergeResult? result = null;
            AtomicFile.Write(outFile, stream => result = WriteStreaming(paths, merger, inputs, stream, options), noClobber);
            return result!;
        }

        private static FileMergeResult MergeInMemory(IReadOnlyList<string> paths, string outFile, IDictionary<string, string>? categoryMap, CocoWriteOptions options, bool noClobber, string reason)
        {
            var merger = new DatasetMerger(categoryMap, MergeOrder.FileName);
            foreach (var path in paths)
            {
                merger.Add(CocoJsonReader.ReadFile(path));
            }

            var (merged, report) = merger.Finish();
            CocoWriteReport? written = null;
            AtomicFile.Write(outFile, stream => written = CocoJsonWriter.Write(merged, stream, options), noClobber);
            return new FileMergeResult(report, written!, reason, merged.Images.Count, merged.Annotations.Count + merged.PanopticAnnotations.Count);
        }

        private static FileMergeResult WriteStreaming(IReadOnlyList<string> paths, DatasetMerger merger, List<DatasetMerger.InputIds> inputs, Stream stream, CocoWriteOptions options)
        {
            var (head, report) = merger.Finish();
            var written = new CocoWriteReport();
            var cursors = new List<RecordCursor>(paths.Count);
            try
            {
                for (int i = 0; i < paths.Count; i++)
                {
                    cursors.Add(new RecordCursor(paths[i], i));
                }

                using var writer = CocoJsonWriter.Open(stream, options);
                CocoJsonWriter.WriteHead(writer, head.Info, head.Licenses, options);
                writer.WriteStartArray("images");
                var byImage = new SortedSet<RecordCursor>(Comparer<RecordCursor>.Create(CompareImageHeads));
                foreach (var cursor in cursors)
                {
                    AddIfHolding<CocoImage>(byImage, cursor);
                }

                long images = 0;
                int peak = 0;
                while (byImage.Count > 0)
                {
                    peak = Math.Max(peak, HeldNow(cursors));
                    var cursor = byImage.Min!;
                    byImage.Remove(cursor);
                    var image = (CocoImage)cursor.Head!;
                    cursor.ImageIds.Add(image.Id, ++images);
                    DatasetMerger.Renumber(image, images, inputs[cursor.Index].Licenses);
                    CocoJsonWriter.WriteRecord(writer, image);
                    cursor.Advance();
                    AddIfHolding<CocoImage>(byImage, cursor);
                }

                writer.WriteEndArray();
                writer.WriteStartArray("annotations");
                var byAnnotation = new SortedSet<RecordCursor>(Comparer<RecordCursor>.Create(CompareAnnotationHeads));
                foreach (var cursor in cursors)
                {
                    AddIfHolding<CocoAnnotation>(byAnnotation, cursor);
                }

                long annotations = 0;
                while (byAnnotation.Count > 0)
                {
                    peak = Math.Max(peak, HeldNow(cursors));
                    var cursor = byAnnotation.Min!;
                    byAnnotation.Remove(cursor);
                    var annotation = (CocoAnnotation)cursor.Head!;
                    DatasetMerger.Renumber(annotation, cursor.HeadImageId, inputs[cursor.Index].Categories);
                    annotation.Id = ++annotations;
                    CocoJsonWriter.WriteRecord(writer, annotation, head, options, written);
                    cursor.Advance();
                    AddIfHolding<CocoAnnotation>(byAnnotation, cursor);
                }

                writer.WriteEndArray();
                CocoJsonWriter.WriteTail(writer, head.Categories, head.Extra);
                writer.Flush();
                return new FileMergeResult(report, written, null, images, annotations) { PeakRecordsHeld = peak };
            }
            finally
            {
                foreach (var cursor in cursors)
                {
                    cursor.Dispose();
                }
            }
        }

        /// <summary>Puts the cursor in the merge when its next record is a <typeparamref name="T"/> (images end where annotations begin).</summary>
        private static void AddIfHolding<T>(SortedSet<RecordCursor> merge, RecordCursor cursor)
            where T : CocoEntity
        {
            if (cursor.Head == null && !cursor.Started)
            {
                cursor.Advance();
            }

            if (cursor.Head is T)
            {
                merge.Add(cursor);
            }
        }

        private static int CompareImageHeads(RecordCursor a, RecordCursor b)
        {
            int c = DatasetMerger.CompareCanonical(a.HeadFileName, a.HeadFrame, b.HeadFileName, b.HeadFrame);
            return c != 0 ? c : a.Index.CompareTo(b.Index);
        }

        private static int CompareAnnotationHeads(RecordCursor a, RecordCursor b)
        {
            int c = a.HeadImageId.CompareTo(b.HeadImageId);
            return c != 0 ? c : a.Index.CompareTo(b.Index);
        }

        private static int HeldNow(List<RecordCursor> cursors)
        {
            int held = 0;
            foreach (var cursor in cursors)
            {
                held += cursor.Held;
            }

            return held;
        }

        /// <summary>64-bit FNV-1a of an image identity: a set of these finds images twice in bounded memory (a collision only costs the streaming).</summary>
        private static ulong Fingerprint(string key)
        {
            ulong hash = 14695981039346656037UL;
            foreach (char ch in key)
            {
                hash = (hash ^ ch) * 1099511628211UL;
            }

            return hash;
        }

        /// <summary>The first pass over one input: whether its records can be merged as they stream.</summary>
        private sealed class StreamCheck : ICocoRecordSink
        {
            private readonly string _path;
            private readonly HashSet<ulong> _identities;
            private readonly Dictionary<long, int> _imagePlaces = new Dictionary<long, int>();
            private readonly HashSet<long> _annotationIds = new HashSet<long>();
            private readonly HashSet<long> _categoryIds = new HashSet<long>();
            private string? _lastFileName;
            private int? _lastFrame;
            private int _lastPlace = -1;
            private bool _annotationsBegun;
            private string? _reason;

            public StreamCheck(string path, HashSet<ulong> identities)
            {
                _path = path;
                _identities = identities;
            }

            public void Image(CocoImage image)
            {
                if (_reason != null)
                {
                    return;
                }

                if (_annotationsBegun)
                {
                    _reason = "its images come after annotations";
                }
                else if (_imagePlaces.ContainsKey(image.Id))
                {
                    _reason = $"image id {image.Id} is used twice";
                }
                else if (_imagePlaces.Count > 0 && DatasetMerger.CompareCanonical(_lastFileName, _lastFrame, image.FileName, image.Frame) > 0)
                {
                    _reason = $"its images are not in file_name order (image {image.Id}, {image.FileName})";
                }
                else if (!_identities.Add(Fingerprint(ImageIdentity.Of(image).ToString())))
                {
                    _reason = $"image {image.Id} ({image.FileName}) may be in another input too (or twice in this one)";
                }
                else
                {
                    _imagePlaces.Add(image.Id, _imagePlaces.Count);
                    _lastFileName = image.FileName;
                    _lastFrame = image.Frame;
                }
            }

            public void Annotation(CocoAnnotation annotation)
            {
                _annotationsBegun = true;
                if (_reason != null)
                {
                    return;
                }

                if (!_annotationIds.Add(annotation.Id))
                {
                    _reason = $"annotation id {annotation.Id} is used twice";
                }
                else if (!_imagePlaces.TryGetValue(annotation.ImageId, out int place))
                {
                    _reason = $"annotation {annotation.Id} names image {annotation.ImageId}, which does not come before it";
                }
                else if (place < _lastPlace)
                {
                    _reason = $"its annotations are not grouped in the order of their images (annotation {annotation.Id})";
                }
                else
                {
                    _lastPlace = place;
                    if (annotation.CategoryId is long category)
                    {
                        _categoryIds.Add(category);
                    }
                }
            }

            public void HeldBack(int records) => _reason ??= $"{records} record(s) need the whole file to be resolved (the viewer flavour or panoptic entries)";

            /// <summary>Why the input cannot stream (naming it), or null.</summary>
            public string? Finish(CocoDataset head)
            {
                foreach (long category in _categoryIds)
                {
                    if (!head.Categories.Contains(category))
                    {
                        _reason ??= $"category_id {category} matches no category";
                    }
                }

                return _reason == null ? null : $"{_path}: {_reason}";
            }
        }

        /// <summary>
        /// The second pass over one input: a reader thread parses the file with the one COCO parser and hands its
        /// records over through a short queue, so the merge pulls one record at a time from every input at once.
        /// </summary>
        private sealed class RecordCursor : ICocoRecordSink, IDisposable
        {
            private readonly BlockingCollection<CocoEntity> _queue = new BlockingCollection<CocoEntity>(ReadAhead);
            private readonly CancellationTokenSource _stop = new CancellationTokenSource();
            private readonly Thread _thread;
            private readonly string _path;
            private ExceptionDispatchInfo? _error;

            public RecordCursor(string path, int index)
            {
                _path = path;
                Index = index;
                _thread = new Thread(Read) { IsBackground = true, Name = "CocoTools merge reader" };
                _thread.Start();
            }

            /// <summary>The input's place in the merge.</summary>
            public int Index { get; }

            /// <summary>The input's image ids mapped to the merge's, filled as its images are written.</summary>
            public Dictionary<long, long> ImageIds { get; } = new Dictionary<long, long>();

            /// <summary>The input's next record, or null at its end.</summary>
            public CocoEntity? Head { get; private set; }

            /// <summary>True once the first record has been asked for.</summary>
            public bool Started { get; private set; }

            public string? HeadFileName { get; private set; }

            public int? HeadFrame { get; private set; }

            /// <summary>The merged id of the head annotation's image.</summary>
            public long HeadImageId { get; private set; }

            /// <summary>Records parsed and not yet written.</summary>
            public int Held => _queue.Count + (Head == null ? 0 : 1);

            public void Image(CocoImage image) => _queue.Add(image, _stop.Token);

            public void Annotation(CocoAnnotation annotation) => _queue.Add(annotation, _stop.Token);

            public void HeldBack(int records) => _error ??= ExceptionDispatchInfo.Capture(new CocoToolsException("MergeInputChanged", FailureKind.InvalidData, $"{_path}: the file changed during the merge ({records} record(s) could no longer be streamed).") { SourcePath = _path });

            /// <summary>Moves to the next record.</summary>
            public void Advance()
            {
                Started = true;
                if (!_queue.TryTake(out var next, Timeout.Infinite))
                {
                    _error?.Throw();
                    Head = null;
                    return;
                }

                Head = next;
                if (next is CocoImage image)
                {
                    HeadFileName = image.FileName;
                    HeadFrame = image.Frame;
                }
                else if (next is CocoAnnotation annotation)
                {
                    if (!ImageIds.TryGetValue(annotation.ImageId, out long merged))
                    {
                        throw new CocoToolsException("MergeInputChanged", FailureKind.InvalidData, $"{_path}: annotation {annotation.Id} names image {annotation.ImageId}, which the file did not have before (did it change during the merge?).") { SourcePath = _path };
                    }

                    HeadImageId = merged;
                }
            }

            public void Dispose()
            {
                _stop.Cancel();
                _thread.Join();
                _stop.Dispose();
                _queue.Dispose();
            }

            private void Read()
            {
                try
                {
                    CocoJsonReader.ReadFile(_path, new CocoReadOptions { RecordSink = this, BufferSize = CursorBufferBytes });
                }
                catch (OperationCanceledException)
                {
                    // The merge ended (done or failed) before this input was read to its end.
                }
                catch (Exception e)
                {
                    // Handed to the merge's thread, which rethrows it where it asks for the next record.
                    _error = ExceptionDispatchInfo.Capture(e);
                }
                finally
                {
                    _queue.CompleteAdding();
                }
            }
        }
    }
}
