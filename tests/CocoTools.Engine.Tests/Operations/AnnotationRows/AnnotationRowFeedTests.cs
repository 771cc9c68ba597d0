using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using CocoTools.Engine.Coco;
using CocoTools.Engine.Coco.Json;
using CocoTools.Engine.Operations.AnnotationRows;
using CocoTools.Engine.Tests.Support;
using Xunit;

namespace CocoTools.Engine.Tests.Operations.AnnotationRows
{
    public class AnnotationRowFeedTests
    {
        [Fact]
        public void ACsvFileGivesTheSameDatasetBytesAndErrorsForOneThreadAndFour()
        {
            // 3,000 rows: boxes, attributes, new categories in row order, rows naming no known image and bad boxes.
            var csv = new StringBuilder("file_name,label,bbox,reader\n");
            for (int row = 1; row <= 3000; row++)
            {
                string image = row % 97 == 0 ? "missing.png" : $"img{row % 40}.png";
                string box = row % 113 == 0 ? "\"1,2,three,4\"" : $"\"{row % 50}.5,{row % 30},{(row % 17) + 1}.25,{(row % 13) + 1}\"";
                csv.Append(image).Append(",finding").Append(row % 6).Append(',').Append(box).Append(",R").Append(row % 3).Append('\n');
            }

            using var dir = new TempDir();
            string path = dir.File("list.csv");
            File.WriteAllText(path, csv.ToString());

            (byte[] Json, List<string> Errors) Run(int threads)
            {
                var dataset = new CocoDataset();
                for (int i = 0; i < 40; i++)
                {
                    dataset.Images.AddNew(new CocoImage { FileName = $"img{i}.png", Width = 100, Height = 80 });
                }

                var binder = new AnnotationRowBinder(dataset, new AnnotationImportOptions());
                var listener = new Listener();
                var feed = new AnnotationRowFeed(dataset, binder, listener) { ThrottleLimit = threads };
                feed.AddCsvFile(path, ',');
                listener.Errors.AddRange(binder.Complete().Select(e => e.ErrorId + " " + e.Message));
                using var stream = new MemoryStream();
                CocoJsonWriter.Write(dataset, stream);
                return (stream.ToArray(), listener.Errors);
            }

            var one = Run(1);
            var four = Run(4);
            Assert.NotEmpty(one.Errors);
            Assert.Equal(one.Errors, four.Errors);
            Assert.True(one.Json.AsSpan().SequenceEqual(four.Json), "the dataset differs between 1 and 4 threads");
        }

        private sealed class Listener : IAnnotationRowListener
        {
            public List<string> Errors { get; } = new List<string>();

            public void Progress(long rows, double fraction, RowLocation where)
            {
            }

            public void Added(CocoAnnotation annotation)
            {
            }

            public void Refused(CocoToolsException error) => Errors.Add(error.ErrorId + " " + error.Message);

            public void Warned(CocoToolsException warning) => Errors.Add("warning " + warning.ErrorId);
        }
    }
}
