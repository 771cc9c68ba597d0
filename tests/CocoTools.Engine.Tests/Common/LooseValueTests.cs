using CocoTools.Engine.Tabular;
using Xunit;

namespace CocoTools.Engine.Tests.Common
{
    /// <summary>
    /// One integer rule for hashtable values (LooseValue) and annotation-list cells (CellValues), the JSON reader's.
    /// They disagreed: LooseValue took true as 1 and refused "1e3"; CellValues refused true and took "1e3" as 1000.
    /// Numeric text with an integral value is an integer, as a JSON 1e3 is; a boolean is not (JSON's true is not 1).
    /// </summary>
    public class LooseValueTests
    {
        public static TheoryData<object?, long?> Cases => new TheoryData<object?, long?>
        {
            { "1e3", 1000 },
            { " 42 ", 42 },
            { "5.0", 5 },
            { "-7", -7 },
            { "12345678901234567", 12345678901234567 },
            { 12345678901234567L, 12345678901234567 },
            { (ulong)9, 9 },
            { 3.0, 3 },
            { 9007199254740992d, 9007199254740992 },
            { true, null },
            { false, null },
            { "true", null },
            { "2.5", null },
            { 2.5, null },
            { 1e300, null },
            { "NaN", null },
            { "", null },
            { null, null },
        };

        [Theory]
        [MemberData(nameof(Cases))]
        public void Hashtable_values_and_cells_read_integers_by_one_rule(object? value, long? expected)
        {
            Assert.Equal(expected != null, LooseValue.TryToInt64(value, out long loose));
            if (expected is long e)
            {
                Assert.Equal(e, loose);
                Assert.Equal(e, LooseValue.ToInt64(value, "id"));
                Assert.Equal(e, CellValues.Integer(value, "id"));
            }
            else
            {
                Assert.Equal("InvalidValue", Assert.Throws<CocoToolsException>(() => LooseValue.ToInt64(value, "id")).ErrorId);
                Assert.Throws<CellException>(() => CellValues.Integer(value, "id"));
            }
        }
    }
}
