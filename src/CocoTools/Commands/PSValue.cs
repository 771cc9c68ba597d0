using System.Collections;
using System.Collections.Generic;
using System.Collections.Specialized;
using System.Management.Automation;

namespace CocoTools.Commands
{
    /// <summary>Strips PowerShell wrappers so the engine sees plain .NET data.</summary>
    internal static class PSValue
    {
        /// <summary>The base object of a PSObject; dictionaries and lists are unwrapped recursively (a new copy).</summary>
        public static object? Unwrap(object? value)
        {
            if (value is PSObject pso)
            {
                value = pso.BaseObject;
            }

            switch (value)
            {
                case null:
                case string:
                    return value;
                case IDictionary d:
                    var copy = new OrderedDictionary();
                    foreach (DictionaryEntry e in d)
                    {
                        copy[Unwrap(e.Key)!] = Unwrap(e.Value);
                    }

                    return copy;
                case IList list:
                    var items = new List<object?>(list.Count);
                    foreach (var item in list)
                    {
                        items.Add(Unwrap(item));
                    }

                    return items;
                default:
                    return value;
            }
        }
    }
}
