using System;
using System.Globalization;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xunit;

namespace CocoTools.Engine.Tests.Common
{
    public class DecimalParserTests
    {
        private static double Framework(string text) => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);

        [Theory]
        [InlineData("0")]
        [InlineData("-0")]
        [InlineData("175.16666666666669")]
        [InlineData("0.30000000000000004")]
        [InlineData("9007199254740992")]
        [InlineData("9007199254740993")]
        [InlineData("1e22")]
        [InlineData("1e23")]
        [InlineData("1.5e-22")]
        [InlineData("123456789012345678901234567890")]
        [InlineData("4.9e-324")]
        [InlineData("1.7976931348623157e308")]
        [InlineData("0.000001")]
        [InlineData("1E+2")]
        [InlineData("-12.5E-1")]
        public void Equals_the_framework_parser_or_declines(string text)
        {
            if (DecimalParser.TryParseFast(Encoding.ASCII.GetBytes(text), out double fast))
            {
                Assert.Equal(BitConverter.DoubleToInt64Bits(Framework(text)), BitConverter.DoubleToInt64Bits(fast));
            }
        }

        [Fact]
        public void Takes_the_fast_path_for_coco_style_coordinates()
        {
            Assert.True(DecimalParser.TryParseFast("175.17"u8, out _));
            Assert.True(DecimalParser.TryParseFast("612.25"u8, out double v));
            Assert.Equal(612.25, v);

            // 17 significant digits exceed 2^53: those go to the framework's parser.
            Assert.False(DecimalParser.TryParseFast("175.16666666666669"u8, out _));
        }

        [Property(MaxTest = 2000)]
        public bool Any_double_written_shortest_round_trip_parses_to_the_same_bits(double value)
        {
            if (double.IsNaN(value) || double.IsInfinity(value))
            {
                return true;
            }

            string text = value.ToString("R", CultureInfo.InvariantCulture);
            return !DecimalParser.TryParseFast(Encoding.ASCII.GetBytes(text), out double fast)
                || BitConverter.DoubleToInt64Bits(fast) == BitConverter.DoubleToInt64Bits(value);
        }

        [Property(MaxTest = 2000)]
        public bool Decimal_text_with_few_digits_parses_exactly(int whole, NonNegativeInt fraction, PositiveInt digits)
        {
            int places = digits.Get % 9;
            string text = places == 0
                ? whole.ToString(CultureInfo.InvariantCulture)
                : whole.ToString(CultureInfo.InvariantCulture) + "." + (fraction.Get % 1000000000).ToString("D9", CultureInfo.InvariantCulture).Substring(0, places);
            return DecimalParser.TryParseFast(Encoding.ASCII.GetBytes(text), out double fast)
                && BitConverter.DoubleToInt64Bits(fast) == BitConverter.DoubleToInt64Bits(Framework(text));
        }
    }
}
