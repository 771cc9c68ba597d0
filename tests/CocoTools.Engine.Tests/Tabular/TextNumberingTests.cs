using System;
using System.Collections.Generic;
using CocoTools.Engine.Tabular;
using Xunit;

namespace CocoTools.Engine.Tests.Tabular
{
    public class TextNumberingTests
    {
        [Fact]
        public void Equal_texts_get_equal_numbers_in_order_of_first_sight_across_growth()
        {
            var numbering = new TextNumbering(1 << 20);
            var expected = new Dictionary<string, int>(StringComparer.Ordinal);
            var random = new Random(5);
            for (int i = 0; i < 200_000; i++)
            {
                // 30,000 distinct names, many sharing prefixes and hashes' low bits, plus empty text.
                string text = i % 1000 == 0 ? string.Empty : $"{random.Next(30_000):D8}_000.png";
                if (!expected.TryGetValue(text, out int number))
                {
                    number = expected.Count;
                    expected.Add(text, number);
                }

                Assert.Equal(number, numbering.Number(text.AsSpan()));
            }

            Assert.Equal(expected.Count, numbering.Count);
        }

        [Fact]
        public void Gives_no_number_past_its_limit_or_to_long_text_but_keeps_the_ones_given()
        {
            var numbering = new TextNumbering(3);
            Assert.Equal(0, numbering.Number("a".AsSpan()));
            Assert.Equal(1, numbering.Number("b".AsSpan()));
            Assert.Equal(2, numbering.Number("c".AsSpan()));
            Assert.Equal(-1, numbering.Number("d".AsSpan()));
            Assert.Equal(1, numbering.Number("b".AsSpan()));
            Assert.Equal(-1, new TextNumbering(10).Number(new string('x', 257).AsSpan()));
        }
    }
}
