using System.Collections.Specialized;
using CocoTools.Engine.Coco;
using Xunit;

namespace CocoTools.Engine.Tests.Coco
{
    public class JsonMemberBagTests
    {
        [Fact]
        public void Members_read_back_as_plain_values_of_the_right_type()
        {
            var bag = new JsonMemberBag();
            bag.SetRawJson("n", "2026");
            bag.SetRawJson("d", "2.5");
            bag.SetRawJson("s", "\"x\"");
            bag.SetRawJson("o", "{\"a\":[1,true,null]}");

            Assert.IsType<long>(bag["n"]);
            Assert.Equal(2026L, bag["n"]);
            Assert.Equal(2.5, bag["d"]);
            Assert.Equal("x", bag["s"]);
            var o = Assert.IsType<OrderedDictionary>(bag["o"]);
            Assert.Equal(new object?[] { 1L, true, null }, (object?[])o["a"]!);
        }

        [Fact]
        public void Setting_plain_values_writes_json_and_replaces_in_place()
        {
            var bag = new JsonMemberBag();
            bag.Set("a", 1);
            bag.Set("b", new[] { "x", "y" });
            bag.Set("a", 2.5);

            Assert.Equal(new[] { "a", "b" }, bag.Names);
            Assert.Equal("2.5", bag.GetRawJson("a"));
            Assert.Equal("[\"x\",\"y\"]", bag.GetRawJson("b"));
        }

        [Fact]
        public void Removing_and_cloning_keep_order_across_the_first_member_and_the_rest()
        {
            var bag = new JsonMemberBag();
            foreach (var name in new[] { "a", "b", "c", "d" })
            {
                bag.Set(name, name);
            }

            var copy = bag.Clone();
            Assert.True(bag.Remove("a"));
            Assert.False(bag.Remove("a"));
            Assert.Equal(new[] { "b", "c", "d" }, bag.Names);
            Assert.Equal("b", bag["b"]);
            Assert.True(bag.Remove("d"));
            bag.Set("e", 5);
            Assert.Equal(new[] { "b", "c", "e" }, bag.Names);
            Assert.Equal(3, bag.Count);
            Assert.Equal(new[] { "a", "b", "c", "d" }, copy.Names);
            Assert.Equal("a", copy["a"]);
            Assert.True(bag.Remove("b") && bag.Remove("c") && bag.Remove("e"));
            Assert.Equal(0, bag.Count);
            bag.Set("f", true);
            Assert.Equal(new[] { "f" }, bag.Names);
        }

        [Fact]
        public void Invalid_json_text_is_refused()
        {
            var bag = new JsonMemberBag();

            var e = Assert.Throws<CocoToolsException>(() => bag.SetRawJson("a", "{"));

            Assert.Equal("InvalidJsonValue", e.ErrorId);
        }
    }
}
