namespace CocoTools.Engine.Operations.Gallery
{
    /// <summary>The style and the two small scripts every gallery page carries inline (no file is fetched from anywhere).</summary>
    internal static class GalleryAssets
    {
        public const string Css =
            "body{font:14px system-ui,sans-serif;margin:16px;background:#fff;color:#111}"
            + "h1{font-size:20px;margin:0 0 4px}h2{font-size:16px;margin:12px 0 4px}.summary{margin:0 0 8px;color:#444}"
            + ".legend{display:flex;flex-wrap:wrap;gap:4px 16px;margin:8px 0}.legend label{white-space:nowrap}.legend .images{color:#666}"
            + ".sw{display:inline-block;width:12px;height:12px;margin:0 4px;vertical-align:-1px;border:1px solid #888}"
            + "nav{margin:8px 0}nav a,nav span,nav b{margin-right:6px}"
            + ".grid{display:flex;flex-wrap:wrap;gap:10px}.grid figure{margin:0;width:200px}"
            + "svg.thumb{width:200px;height:200px;background:#000;display:block}svg.full{display:block;background:#000}"
            + "figcaption{font-size:12px;overflow-wrap:anywhere}"
            + ".mask{fill-opacity:.35;stroke:none;shape-rendering:crispEdges}"
            + ".outline,.box,.bone{fill:none;stroke-width:1.5;vector-effect:non-scaling-stroke}.kp{stroke:none}.blank{fill:#333}"
            + "svg image{image-rendering:pixelated}.off{display:none}"
            + "table{border-collapse:collapse;margin-top:12px}td,th{border:1px solid #ccc;padding:2px 6px;text-align:left;vertical-align:top}"
            + "code{font-size:12px}.charts svg{display:block;margin:4px 0 16px}"
            // ?solid: the image page shows only the masks, opaque, at 1:1 from the top-left corner (for checking pixels).
            + ".solid body{margin:0;overflow:hidden}.solid header,.solid nav,.solid h2,.solid p,.solid table,.solid .outline,.solid .box,"
            + ".solid .kp,.solid .bone,.solid image,.solid .blank{display:none}.solid .mask{fill-opacity:1}.solid svg.full{background:#fff}"
            + ".solid figure{margin:0}";

        public const string SolidSwitch = "if(/[?&]solid\\b/.test(location.search))document.documentElement.className='solid';";

        /// <summary>Ticking a category off hides its shapes; "only images with a ticked category" hides the other thumbnails.</summary>
        public const string FilterScript =
            "(function(){var boxes=document.querySelectorAll('.legend input[value]'),only=document.getElementById('only');"
            + "function apply(){var on={};boxes.forEach(function(b){on[b.value]=b.checked;});"
            + "document.querySelectorAll('g.ann').forEach(function(g){g.classList.toggle('off',!on[g.getAttribute('data-cat')]);});"
            + "document.querySelectorAll('.grid figure').forEach(function(f){var cats=f.getAttribute('data-cats').trim().split(' ').filter(Boolean);"
            + "f.classList.toggle('off',!!only&&only.checked&&!cats.some(function(c){return on[c];}));});}"
            + "boxes.forEach(function(b){b.addEventListener('change',apply);});if(only)only.addEventListener('change',apply);})();";
    }
}
