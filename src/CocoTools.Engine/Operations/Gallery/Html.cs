using System.Globalization;
using System.Net;

namespace CocoTools.Engine.Operations.Gallery
{
    /// <summary>Text and numbers as they go into the pages: escaped, invariant, deterministic.</summary>
    internal static class Html
    {
        public static string Text(string? text) => WebUtility.HtmlEncode(text ?? string.Empty);

        public static string Number(double value) => NumberText.IsFinite(value) ? value.ToString("R", CultureInfo.InvariantCulture) : "0";

        public static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

        /// <summary>A relative link: each path segment percent-encoded, so '#', '?' and spaces in file names stay in the name.</summary>
        public static string Href(string relative) => string.Join("/", System.Array.ConvertAll(relative.Split('/'), s => Text(System.Uri.EscapeDataString(s))));
    }
}
