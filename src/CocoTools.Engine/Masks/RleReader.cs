namespace CocoTools.Engine.Masks
{
    /// <summary>Checks whole RLEs by <see cref="RleRules"/>, plus a compressed string's own rule: one pycocotools could have written.</summary>
    public static class RleReader
    {
        /// <summary>Checks a compressed counts string against its size; the decoded RLE when it is valid.</summary>
        public static RleValidation Check(int height, int width, string compressed, out Rle? rle)
        {
            rle = null;
            if (!RleRules.IsSide(height) || !RleRules.IsSide(width))
            {
                return new RleValidation(RleProblem.Size, null, 0, 0);
            }

            string? problem = Rle.CompressedStringProblem(compressed);
            if (problem != null)
            {
                return new RleValidation(RleProblem.CompressedString, problem, 0, 0);
            }

            var parsed = Rle.FromCompressedString(compressed, height, width);
            var result = RleRules.CheckTotal(height, width, parsed.PixelTotal, parsed.Area);
            rle = result.IsValid ? parsed : null;
            return result;
        }

        /// <summary>Checks run lengths against their size; the RLE when it is valid.</summary>
        public static RleValidation Check(int height, int width, uint[] counts, out Rle? rle)
        {
            rle = null;
            if (!RleRules.IsSide(height) || !RleRules.IsSide(width))
            {
                return new RleValidation(RleProblem.Size, null, 0, 0);
            }

            long total = 0, area = 0;
            for (int i = 0; i < counts.Length; i++)
            {
                total += counts[i];
                area += (i & 1) == 1 ? counts[i] : 0;
            }

            var result = RleRules.CheckTotal(height, width, total, area);
            rle = result.IsValid ? new Rle(height, width, counts) : null;
            return result;
        }
    }
}
