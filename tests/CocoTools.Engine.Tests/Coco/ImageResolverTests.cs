using CocoTools.Engine.Coco;
using Xunit;

namespace CocoTools.Engine.Tests.Coco
{
    /// <summary>ImageResolver says why a value names no single image as a kind with its facts, not as text to search.</summary>
    public class ImageResolverTests
    {
        private static ImageResolver Resolver()
        {
            var dataset = new CocoDataset();
            dataset.Images.AddNew(new CocoImage { FileName = "a/scan.png" });
            dataset.Images.AddNew(new CocoImage { FileName = "b/scan.png" });
            dataset.Images.AddNew(new CocoImage { FileName = "single.png" });
            foreach (int frame in new[] { 1, 2 })
            {
                var image = new CocoImage { FileName = "cine.dcm" };
                image.Extra.SetRawJson("dicom", "{\"SOPInstanceUID\": \"1.2.3\", \"frame\": " + frame + "}");
                dataset.Images.AddNew(image);
            }

            return new ImageResolver(dataset);
        }

        [Theory]
        [InlineData("single", null, ImageMatchProblem.None, false)]
        [InlineData("  ", null, ImageMatchProblem.Empty, false)]
        [InlineData("nowhere.png", null, ImageMatchProblem.NoMatch, false)]
        [InlineData("scan", null, ImageMatchProblem.Ambiguous, true)]
        [InlineData("cine.dcm", null, ImageMatchProblem.MultiFrameSource, true)]
        [InlineData("cine.dcm", 2, ImageMatchProblem.None, false)]
        [InlineData("cine.dcm", 3, ImageMatchProblem.NoSuchFrame, false)]
        [InlineData("scan", 1, ImageMatchProblem.AmbiguousFrame, true)]
        public void Each_problem_has_its_kind(string value, int? frame, ImageMatchProblem problem, bool ambiguous)
        {
            var match = Resolver().Resolve(value, frame, valueMayBeId: false);

            Assert.Equal(problem, match.Problem);
            Assert.Equal(ambiguous, match.IsAmbiguous);
            Assert.Equal(problem == ImageMatchProblem.None, match.Image != null);
            Assert.Equal(problem == ImageMatchProblem.None, match.Describe().Length == 0);
        }

        [Fact]
        public void An_ambiguous_match_names_its_candidates()
        {
            var match = Resolver().Resolve("scan", null, valueMayBeId: false);

            Assert.Equal(new long[] { 1, 2 }, match.CandidateIds);
            Assert.Equal("file name stem", match.Rule);
            Assert.Contains("ids 1, 2", match.Describe());
        }
    }
}
