using System.Text;

namespace CocoTools.Engine.Coco.Json
{
    /// <summary>Tracks where a streaming parse is, as a JSON pointer (RFC 6901), built into text only when needed.</summary>
    internal sealed class JsonPointerTracker
    {
        private string?[] _names = new string?[16];
        private int[] _indexes = new int[16];
        private int _depth;

        public void PushName(string name)
        {
            EnsureCapacity();
            _names[_depth] = name;
            _depth++;
        }

        public void PushIndex(int index)
        {
            EnsureCapacity();
            _names[_depth] = null;
            _indexes[_depth] = index;
            _depth++;
        }

        public void SetIndex(int index) => _indexes[_depth - 1] = index;

        public void Pop() => _depth--;

        /// <summary>The current pointer with one more segment appended.</summary>
        public string With(string name) => ToString() + "/" + Escape(name);

        public string With(int index) => ToString() + "/" + index.ToString(System.Globalization.CultureInfo.InvariantCulture);

        public override string ToString()
        {
            if (_depth == 0)
            {
                return string.Empty;
            }

            var sb = new StringBuilder();
            for (int i = 0; i < _depth; i++)
            {
                sb.Append('/');
                if (_names[i] is string name)
                {
                    sb.Append(Escape(name));
                }
                else
                {
                    sb.Append(_indexes[i]);
                }
            }

            return sb.ToString();
        }

        public static string Escape(string name) => name.Replace("~", "~0").Replace("/", "~1");

        private void EnsureCapacity()
        {
            if (_depth == _names.Length)
            {
                System.Array.Resize(ref _names, _depth * 2);
                System.Array.Resize(ref _indexes, _depth * 2);
            }
        }
    }
}
