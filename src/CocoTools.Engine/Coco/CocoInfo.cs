namespace CocoTools.Engine.Coco
{
    /// <summary>
    /// The COCO <c>info</c> object. Files disagree on its member types (a string <c>year</c> is common),
    /// so every member is kept exactly as written; the properties read and write the standard ones.
    /// </summary>
    public sealed class CocoInfo
    {
        /// <summary>All members, in file order.</summary>
        public JsonMemberBag Members { get; } = new JsonMemberBag();

        /// <summary>The <c>description</c> member.</summary>
        public string? Description { get => GetText("description"); set => SetOrRemove("description", value); }

        /// <summary>The <c>url</c> member.</summary>
        public string? Url { get => GetText("url"); set => SetOrRemove("url", value); }

        /// <summary>The <c>version</c> member.</summary>
        public string? Version { get => GetText("version"); set => SetOrRemove("version", value); }

        /// <summary>The <c>contributor</c> member.</summary>
        public string? Contributor { get => GetText("contributor"); set => SetOrRemove("contributor", value); }

        /// <summary>The <c>date_created</c> member.</summary>
        public string? DateCreated { get => GetText("date_created"); set => SetOrRemove("date_created", value); }

        /// <summary>The <c>year</c> member, when it is a number or numeric text.</summary>
        public int? Year
        {
            get
            {
                var v = Members["year"];
                return v switch
                {
                    long l when l >= int.MinValue && l <= int.MaxValue => (int)l,
                    string s when int.TryParse(s, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out int y) => y,
                    _ => null,
                };
            }

            set => SetOrRemove("year", value);
        }

        /// <summary>A copy that shares no state.</summary>
        public CocoInfo Clone()
        {
            var copy = new CocoInfo();
            foreach (var name in Members.Names)
            {
                Members.TryGetRaw(name, out var raw);
                copy.Members.AddRaw(name, raw);
            }

            return copy;
        }

        /// <inheritdoc />
        public override string ToString() => Description ?? Members.ToString();

        private string? GetText(string name)
        {
            var v = Members[name];
            return v == null ? null : System.Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture);
        }

        private void SetOrRemove(string name, object? value)
        {
            if (value == null)
            {
                Members.Remove(name);
            }
            else
            {
                Members.Set(name, value);
            }
        }
    }
}
