using System.Linq;
using System.Text.Json;
using Xunit.Sdk;

namespace CocoTools.Engine.Tests.Support
{
    /// <summary>Deep JSON equality: same members (any order) with equal values, arrays in order, numbers by value.</summary>
    internal static class JsonAssert
    {
        public static void Equivalent(string expectedJson, string actualJson)
        {
            using var expected = JsonDocument.Parse(expectedJson);
            using var actual = JsonDocument.Parse(actualJson);
            Compare(expected.RootElement, actual.RootElement, string.Empty);
        }

        private static void Compare(JsonElement e, JsonElement a, string path)
        {
            if (e.ValueKind != a.ValueKind)
            {
                throw new XunitException($"{path}: expected {e.ValueKind} {e.GetRawText()}, found {a.ValueKind} {a.GetRawText()}");
            }

            switch (e.ValueKind)
            {
                case JsonValueKind.Object:
                    var eNames = e.EnumerateObject().Select(p => p.Name).OrderBy(n => n, System.StringComparer.Ordinal).ToArray();
                    var aNames = a.EnumerateObject().Select(p => p.Name).OrderBy(n => n, System.StringComparer.Ordinal).ToArray();
                    if (!eNames.SequenceEqual(aNames))
                    {
                        throw new XunitException($"{path}: expected members [{string.Join(", ", eNames)}], found [{string.Join(", ", aNames)}]");
                    }

                    foreach (var p in e.EnumerateObject())
                    {
                        Compare(p.Value, a.GetProperty(p.Name), path + "/" + p.Name);
                    }

                    break;
                case JsonValueKind.Array:
                    if (e.GetArrayLength() != a.GetArrayLength())
                    {
                        throw new XunitException($"{path}: expected {e.GetArrayLength()} items, found {a.GetArrayLength()}");
                    }

                    int i = 0;
                    foreach (var (x, y) in e.EnumerateArray().Zip(a.EnumerateArray()))
                    {
                        Compare(x, y, path + "/" + i++);
                    }

                    break;
                case JsonValueKind.Number:
                    if (e.GetDouble() != a.GetDouble())
                    {
                        throw new XunitException($"{path}: expected {e.GetRawText()}, found {a.GetRawText()}");
                    }

                    break;
                case JsonValueKind.String:
                    if (e.GetString() != a.GetString())
                    {
                        throw new XunitException($"{path}: expected {e.GetRawText()}, found {a.GetRawText()}");
                    }

                    break;
            }
        }
    }
}
