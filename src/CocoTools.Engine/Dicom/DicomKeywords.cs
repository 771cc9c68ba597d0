using System.Collections.Generic;
using System.Linq;

namespace CocoTools.Engine.Dicom
{
    /// <summary>The standard's attribute keywords, for lookup and completion.</summary>
    public static class DicomKeywords
    {
        /// <summary>Every keyword of the data dictionary with its tag and VR (retired ones included).</summary>
        public static IEnumerable<(string Keyword, DicomTag Tag, DicomVR VR)> All =>
            DicomDictionary.Keywords.Select(k => DicomDictionary.Lookup(k)!).Select(e => (e.Keyword, e.Tag, e.VR));

        /// <summary>A tag from a keyword (any case) or from <c>(gggg,eeee)</c> / <c>gggg,eeee</c> / <c>ggggeeee</c>.</summary>
        public static bool TryResolve(string text, out DicomTag tag)
        {
            if (DicomTag.TryParse(text, out tag))
            {
                return true;
            }

            var entry = DicomDictionary.Lookup(text.Trim());
            tag = entry?.Tag ?? default;
            return entry != null;
        }
    }
}
