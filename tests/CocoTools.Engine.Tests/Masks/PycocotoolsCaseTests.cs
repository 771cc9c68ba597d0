using System.Linq;
using System.Text.Json;
using CocoTools.Engine.Masks;
using Xunit;

namespace CocoTools.Engine.Tests.Masks
{
    /// <summary>
    /// Every operation against pycocotools' own answers for all 200 shared cases. Where the 2020 upstream build
    /// differs (<c>expected_alt</c>: toBbox on zero-length runs, decoding over-long RLEs) we match PyPI 2.0.x.
    /// </summary>
    public class PycocotoolsCaseTests
    {
        [Theory]
        [MemberData(nameof(MaskCases.Ids), MemberType = typeof(MaskCases))]
        public void Matches_pycocotools_bit_for_bit(string id)
        {
            var c = MaskCases.Get(id);
            int h = c.GetProperty("h").GetInt32(), w = c.GetProperty("w").GetInt32();
            var expected = c.GetProperty("expected");

            Rle rle;
            if (c.TryGetProperty("polygons", out _))
            {
                var polygons = MaskCases.Polygons(c);
                if (expected.TryGetProperty("error", out var error))
                {
                    var e = Assert.Throws<CocoToolsException>(() => PycocotoolsSemantics.FromPolygonList(polygons, h, w));
                    Assert.Contains("input type is not supported", e.Message);
                    Assert.StartsWith("Exception: input type is not supported", error.GetString());
                    return;
                }

                var parts = PycocotoolsSemantics.FromPolygonList(polygons, h, w);
                Assert.Equal(expected.GetProperty("per_polygon_counts").EnumerateArray().Select(s => s.GetString()), parts.Select(p => p.ToCompressedString()));
                rle = RleSetOperations.Merge(parts);
            }
            else if (c.TryGetProperty("rle_counts", out var counts))
            {
                rle = new Rle(h, w, counts.EnumerateArray().Select(v => v.GetUInt32()).ToArray());
            }
            else
            {
                rle = Rle.FromCompressedString(c.GetProperty("rle_string").GetString()!, h, w);
            }

            Assert.Equal(expected.GetProperty("counts").GetString(), rle.ToCompressedString());
            Assert.Equal(new[] { h, w }, expected.GetProperty("size").EnumerateArray().Select(v => v.GetInt32()));
            Assert.Equal(expected.GetProperty("area").GetUInt32(), rle.Area);
            Assert.Equal(expected.GetProperty("bbox").EnumerateArray().Select(v => v.GetDouble()), rle.ToBbox());

            var colMajor = new byte[h * w];
            bool decoded = rle.TryDecode(colMajor);
            if (expected.TryGetProperty("decode_error", out var decodeError) && decodeError.ValueKind == JsonValueKind.String)
            {
                Assert.False(decoded, "pycocotools refuses to decode this RLE: " + decodeError.GetString());
                Assert.False(rle.TryDecodeRowMajor(new byte[h * w]));
                return;
            }

            Assert.True(decoded);
            var rowMajor = new byte[h * w];
            Assert.True(rle.TryDecodeRowMajor(rowMajor));
            Assert.Equal(expected.GetProperty("mask_sha256_colmajor").GetString(), MaskCases.Sha256(colMajor));
            Assert.Equal(expected.GetProperty("mask_sha256").GetString(), MaskCases.Sha256(rowMajor));

            if (expected.TryGetProperty("canonical_counts", out var canonical))
            {
                Assert.Equal(canonical.GetString(), Rle.Encode(colMajor, h, w).ToCompressedString());
            }
        }
    }
}
