using System.Linq;
using CocoTools.Engine.Coco;
using Xunit;

namespace CocoTools.Engine.Tests.Coco
{
    /// <summary>The collections find records by id whether the ids run 1, 2, 3 ... (no dictionary) or not.</summary>
    public class CocoEntityCollectionTests
    {
        [Fact]
        public void Consecutive_ids_are_found_and_a_repeated_id_is_refused()
        {
            var ds = new CocoDataset();
            for (int i = 0; i < 5; i++)
            {
                ds.Annotations.AddNew(new CocoAnnotation { ImageId = 1 });
            }

            Assert.Equal(new long[] { 1, 2, 3, 4, 5 }, ds.Annotations.Select(a => a.Id).ToArray());
            Assert.Equal(3, ds.Annotations.Find(3)!.Id);
            Assert.Null(ds.Annotations.Find(0));
            Assert.Null(ds.Annotations.Find(6));
            Assert.False(ds.Annotations.Contains(-1));
            var e = Assert.Throws<CocoToolsException>(() => ds.Annotations.Add(new CocoAnnotation { Id = 2 }));
            Assert.Equal("DuplicateId", e.ErrorId);
            Assert.Equal(5, ds.Annotations.Count);
        }

        [Fact]
        public void Ids_out_of_the_run_removals_and_re_adds_keep_every_lookup_right()
        {
            var ds = new CocoDataset();
            ds.Annotations.Add(new CocoAnnotation { Id = 10 });
            ds.Annotations.Add(new CocoAnnotation { Id = 11 });
            ds.Annotations.Add(new CocoAnnotation { Id = 40 });
            ds.Annotations.Add(new CocoAnnotation { Id = 12 });
            Assert.Equal(41, ds.Annotations.NextId);
            foreach (long id in new long[] { 10, 11, 12, 40 })
            {
                Assert.Equal(id, ds.Annotations.Find(id)!.Id);
            }

            Assert.Null(ds.Annotations.Find(13));
            Assert.Throws<CocoToolsException>(() => ds.Annotations.Add(new CocoAnnotation { Id = 40 }));

            var other = new CocoDataset();
            for (int i = 0; i < 4; i++)
            {
                other.Annotations.AddNew(new CocoAnnotation());
            }

            Assert.True(other.Annotations.Remove(other.Annotations.Find(2)!));
            Assert.Null(other.Annotations.Find(2));
            Assert.Equal(3, other.Annotations.Find(3)!.Id);
            Assert.Equal(1, other.Annotations.RemoveWhere(a => a.Id == 4));
            Assert.Null(other.Annotations.Find(4));
            other.Annotations.Add(new CocoAnnotation { Id = 2 });
            Assert.Equal(new long[] { 1, 3, 2 }, other.Annotations.Select(a => a.Id).ToArray());
            Assert.Equal(2, other.Annotations.Find(2)!.Id);
        }
    }
}
