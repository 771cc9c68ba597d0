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

        /// <summary>Each case states the path it must take: a fast path that always declined would fail here.</summary>
        [Theory]
        [InlineData("0", true)]
        [InlineData("-0", true)]
        [InlineData("612.25", true)]
        [InlineData("0.000001", true)]
        [InlineData("1E+2", true)]
        [InlineData("-12.5E-1", true)]
        [InlineData("1e22", true)]
        [InlineData("1e-22", true)]
        [InlineData("9007199254740992", true)] // 2^53: still exact
        [InlineData("9007199254740993", false)] // 2^53 + 1: not an exact double
        [InlineData("175.16666666666669", false)] // 17 significant digits, mantissa above 2^53
        [InlineData("0.30000000000000004", false)]
        [InlineData("1e23", false)] // 10^23 is not an exact double
        [InlineData("1.5e-22", false)] // 15 x 10^-23
        [InlineData("123456789012345678901234567890", false)] // more than 19 significant digits
        [InlineData("4.9e-324", false)]
        [InlineData("1.7976931348623157e308", false)]
        public void Takes_the_path_it_should_and_equals_the_framework_parser(string text, bool fast)
        {
            Assert.Equal(fast, DecimalParser.TryParseFast(Encoding.ASCII.GetBytes(text), out double value));
            if (fast)
            {
                Assert.Equal(BitConverter.DoubleToInt64Bits(Framework(text)), BitConverter.DoubleToInt64Bits(value));
            }
        }

        /// <summary>
        /// Random decimal text (sign, up to 25 integer and 25 fraction digits with leading and trailing zeros, an
        /// exponent up to 400 either way): where the fast path answers it equals double.Parse bit for bit, and it
        /// must answer whenever its rule says it applies (at most 15 significant digits, so the mantissa is below
        /// 2^53, and a final power of ten within 10^-22 ... 10^22).
        /// </summary>
        [Property(MaxTest = 5000)]
        public bool Random_decimal_text_equals_double_Parse_and_takes_the_fast_path_when_it_applies(int seed)
        {
            var random = new Random(seed);
            var text = new StringBuilder();
            if (random.Next(2) == 0)
            {
                text.Append('-');
            }

            string Digits(int max)
            {
                var d = new StringBuilder();
                int n = random.Next(max + 1);
                for (int i = 0; i < n; i++)
                {
                    // Zeros are common in real numbers and in the edge cases (leading zeros do not count as significant).
                    d.Append(random.Next(3) == 0 ? '0' : (char)('0' + random.Next(10)));
                }

                return d.ToString();
            }

            string whole = Digits(25);
            text.Append(whole.Length == 0 ? "0" : whole);
            string fraction = random.Next(2) == 0 ? Digits(25) : string.Empty;
            if (fraction.Length > 0)
            {
                text.Append('.').Append(fraction);
            }

            int exponent = 0;
            if (random.Next(3) == 0)
            {
                exponent = random.Next(-400, 401);
                text.Append(random.Next(2) == 0 ? 'e' : 'E').Append(exponent >= 0 && random.Next(2) == 0 ? "+" : string.Empty).Append(exponent.ToString(CultureInfo.InvariantCulture));
            }

            string s = text.ToString();
            bool fast = DecimalParser.TryParseFast(Encoding.ASCII.GetBytes(s), out double value);
            if (fast && BitConverter.DoubleToInt64Bits(value) != BitConverter.DoubleToInt64Bits(Framework(s)))
            {
                return false;
            }

            string digits = ((whole.Length == 0 ? "0" : whole) + fraction).TrimStart('0');
            int significant = digits.Length;
            int scale = exponent - fraction.Length;
            bool applies = significant <= 15 && scale >= -22 && scale <= 22;
            return fast || !applies;
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
