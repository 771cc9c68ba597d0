using System;
using System.Globalization;
using FsCheck.Xunit;
using Xunit;

namespace CocoTools.Engine.Tests.Common
{
    public class NumberTextTests
    {
        private static long Bits(double value) => BitConverter.DoubleToInt64Bits(value);

        [Theory]
        [InlineData("0")]
        [InlineData("-0")]
        [InlineData("35.6894153379581")]
        [InlineData("738.737199708109")]
        [InlineData("0.30000000000000004")]
        [InlineData("9007199254740992")]
        [InlineData("9007199254740993")]
        [InlineData("1234567890123456789")]
        [InlineData("12345678901234567890")]
        [InlineData("0.0000000000000000000001")]
        [InlineData("0.00000000000000000000001")]
        [InlineData("000000000000000000000012.5")]
        [InlineData("5.")]
        [InlineData(".5")]
        [InlineData("+5")]
        [InlineData("1e3")]
        [InlineData("-12.5E-1")]
        [InlineData(" 17.25 ")]
        [InlineData("4.9e-324")]
        public void Parses_number_text_as_the_framework_does(string text)
        {
            double expected = double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
            Assert.True(NumberText.TryParseFinite(text.AsSpan(), out double value));
            Assert.Equal(Bits(expected), Bits(value));
        }

        [Theory]
        [InlineData("")]
        [InlineData(" ")]
        [InlineData("-")]
        [InlineData(".")]
        [InlineData("1.2.3")]
        [InlineData("12a")]
        [InlineData("1,5")]
        [InlineData("NaN")]
        [InlineData("Infinity")]
        [InlineData("1e400")]
        public void Refuses_what_is_not_a_finite_number(string text)
        {
            Assert.False(NumberText.TryParseFinite(text.AsSpan(), out double value));
            Assert.Equal(0, value);
        }

        [Property(MaxTest = 3000)]
        public bool Any_double_written_round_trip_or_fixed_parses_to_the_framework_bits(double value, byte decimals)
        {
            if (double.IsNaN(value) || double.IsInfinity(value))
            {
                return true;
            }

            // Shortest round-trip text, and fixed-point text with 0-20 decimals as CSV writers produce.
            foreach (var text in new[] { value.ToString("R", CultureInfo.InvariantCulture), (value % 1e6).ToString("F" + (decimals % 21), CultureInfo.InvariantCulture) })
            {
                double expected = double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
                if (!NumberText.TryParseFinite(text.AsSpan(), out double parsed) || Bits(parsed) != Bits(expected))
                {
                    return false;
                }
            }

            return true;
        }
    }
}
