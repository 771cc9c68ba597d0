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
        public void Invalid_json_text_is_refused()
        {
            var bag = new JsonMemberBag();

            var e = Assert.Throws<CocoToolsException>(() => bag.SetRawJson("a", "{"));

            Assert.Equal("InvalidJsonValue", e.ErrorId);
        }
    }
}
