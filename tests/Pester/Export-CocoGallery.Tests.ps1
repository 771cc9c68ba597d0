BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')

    # A real browser reads the pages back: Debian's chromium (apt `chromium`, installed by build.ps1 Test).
    $script:Chromium = @('/usr/bin/chromium', '/usr/bin/chromium-browser') | Where-Object { Test-Path $_ } | Select-Object -First 1
    $script:NoChromium = 'no Chromium at /usr/bin/chromium (apt package chromium) to open the gallery in'

    function Invoke-Chromium {
        # Headless Chromium on a file URL with a fresh profile and no network; -Screenshot writes a PNG, else the DOM after scripts ran.
        param([Parameter(Mandatory)] [string] $Url, [string] $Screenshot, [int] $Width = 1200, [int] $Height = 900)
        $profileDir = Join-Path ([IO.Path]::GetTempPath()) ('cocotools-chromium-' + [guid]::NewGuid().ToString('N').Substring(0, 8))
        New-Item -ItemType Directory -Path $profileDir | Out-Null
        $arguments = @('60', $script:Chromium, '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
            '--disable-background-networking', '--disable-component-update', '--disable-sync', '--hide-scrollbars',
            '--force-device-scale-factor=1', '--force-color-profile=srgb', "--user-data-dir=$profileDir", "--window-size=$Width,$Height")
        $arguments += if ($Screenshot) { "--screenshot=$Screenshot" } else { '--dump-dom' }
        try {
            $out = & timeout @arguments $Url 2>$null
            if ($LASTEXITCODE -ne 0) { throw "chromium failed with exit code $LASTEXITCODE on $Url" }
            return ($out -join "`n")
        } finally {
            Remove-Item -LiteralPath $profileDir -Recurse -Force -ErrorAction Ignore
        }
    }

    function Get-Figures {
        # image id -> number of annotation groups drawn in its figure, from a dumped DOM.
        param([string] $Dom)
        $figures = [ordered]@{}
        foreach ($part in ($Dom -split '<figure ' | Select-Object -Skip 1)) {
            $id = [regex]::Match($part, 'data-image="(\d+)"').Groups[1].Value
            $figures[$id] = [regex]::Matches(($part -split '</figure>')[0], '<g class="ann ').Count
        }
        $figures
    }

    # [Uri] of a rooted Unix path has an empty AbsoluteUri, so the file URL is spelled out (temp paths need no escaping).
    function Get-FileUrl([string] $Path, [string] $Query = '') { 'file://' + ($Path -replace '\\', '/') + $Query }
}

Describe 'Export-CocoGallery' {
    BeforeEach {
        $dir = Join-Path ([IO.Path]::GetTempPath()) ("cocotools-pester-" + [guid]::NewGuid().ToString('N').Substring(0, 8))
        New-Item -ItemType Directory -Path $dir | Out-Null
        $ds = Import-CocoJson $AllKinds -WarningAction SilentlyContinue
        $gallery = Join-Path $dir 'gallery'
    }
    AfterEach {
        Remove-Item -LiteralPath $dir -Recurse -Force -ErrorAction Ignore
    }

    It 'writes an index, a page per image and a statistics page that fetch nothing from elsewhere' {
        $result = $ds | Export-CocoGallery $gallery -NoImage -PassThru -ErrorVariable problems -ErrorAction SilentlyContinue

        # all-kinds.json's annotation 12 is an RLE whose runs do not add up: drawn without its mask, and said so.
        $problems.Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'RleCountsMismatch,*'
        $problems[0].Exception.Message | Should -Match 'annotation 12'
        $result.Path | Should -Be (Join-Path $gallery 'index.html')
        $result.Images | Should -Be 3
        $result.Pages | Should -Be 1
        $result.Annotations | Should -Be 5
        Test-Path (Join-Path $gallery 'statistics.html') | Should -BeTrue
        foreach ($id in 1, 2, 7) { Test-Path (Join-Path $gallery "images/$id.html") | Should -BeTrue }
        foreach ($page in Get-ChildItem $gallery -Recurse -Filter *.html) {
            $html = Get-Content -LiteralPath $page.FullName -Raw
            # The only absolute URL is SVG's namespace name, which is never fetched.
            ($html -replace 'xmlns="http://www.w3.org/2000/svg"', '') | Should -Not -Match '(https?:)?//|<script src|<link |@import|url\('
        }
        # Nothing left beside the folder: it was written as a whole and moved in.
        @(Get-ChildItem $dir -Force).Name | Should -Be @('gallery')
    }

    It 'shows, in a real browser, every image with its shapes and a legend that counts each category' {
        if (-not $script:Chromium) { Set-ItResult -Skipped -Because $script:NoChromium; return }
        $ds | Export-CocoGallery $gallery -NoImage -ErrorAction SilentlyContinue

        $dom = Invoke-Chromium (Get-FileUrl (Join-Path $gallery 'index.html'))

        $figures = Get-Figures $dom
        $figures.Keys | Should -Be @('1', '2', '7')
        # image 1: a polygon (10), keypoints with their box (13), a box (15); image 2: two RLE masks; image 7: a caption only.
        $figures['1'] | Should -Be 3
        $figures['2'] | Should -Be 2
        $figures['7'] | Should -Be 0
        [regex]::Matches($dom, '<path class="mask"').Count | Should -Be 2
        [regex]::Matches($dom, '<polygon class="outline"').Count | Should -Be 2
        [regex]::Matches($dom, '<rect class="box"').Count | Should -Be 2
        [regex]::Matches($dom, '<circle class="kp"').Count | Should -Be 2
        [regex]::Matches($dom, '<line class="bone"').Count | Should -Be 1
        $legend = @{}
        foreach ($m in [regex]::Matches($dom, '<label data-cat="(\w+)" data-count="\d+"><input[^>]*><span class="sw" style="background:\s*([^";]+);?"></span><span class="name">([^<]*)</span> <span class="count">(\d+)</span>')) {
            $legend[$m.Groups[3].Value] = [int]$m.Groups[4].Value
        }
        $legend['nodule'] | Should -Be 3
        $legend['person'] | Should -Be 1
        $legend['lung'] | Should -Be 1
        # The category's own color is used: lung is [220, 20, 60].
        $dom | Should -Match 'data-cat="3"[^>]*fill="#dc143c"'
    }

    It 'draws each mask on exactly the pixels Export-CocoMask paints, <What> (screenshot of the image page at 1:1)' -TestCases @(
        @{ ImageId = 1; Category = 'nodule'; What = 'a two-polygon annotation' }
        @{ ImageId = 2; Category = 'nodule'; What = 'an RLE annotation (the other, broken, is refused by both)' }
    ) {
        param($ImageId, $Category, $What)
        if (-not $script:Chromium) { Set-ItResult -Skipped -Because $script:NoChromium; return }
        $ds | Export-CocoGallery $gallery -NoImage -ErrorAction SilentlyContinue
        $mask = $ds | Export-CocoMask (Join-Path $dir 'masks') -Kind Binary -ImageId $ImageId -Category $Category -PassThru -ErrorAction SilentlyContinue
        $image = $ds.Images | Where-Object Id -eq $ImageId
        $shot = Join-Path $dir 'shot.png'

        # ?solid: masks only, opaque, from the top-left corner; the window is larger than the image, so spill shows too.
        Invoke-Chromium (Get-FileUrl (Join-Path $gallery "images/$ImageId.html") '?solid') -Screenshot $shot -Width ($image.Width + 64) -Height ($image.Height + 64) | Out-Null

        $compare = @'
import sys, json
import numpy as np
from PIL import Image
shot = np.array(Image.open(sys.argv[1]).convert('RGB')).astype(int)
mask = np.array(Image.open(sys.argv[2])) > 0
h, w = mask.shape
drawn = (np.abs(shot - 255).sum(axis=2) > 0)
inside = drawn[:h, :w]
print(json.dumps({'mask': int(mask.sum()), 'drawn': int(inside.sum()), 'differ': int((inside != mask).sum()), 'outside': int(drawn.sum() - inside.sum())}))
'@
        $counts = & /usr/bin/python3 -c $compare $shot $mask.Path | ConvertFrom-Json
        $counts.mask | Should -BeGreaterThan 0 -Because "$What paints pixels"
        $counts.differ | Should -Be 0 -Because "the overlay of $What covers the mask's $($counts.mask) pixels and no others"
        $counts.outside | Should -Be 0
    }

    It 'pages a large dataset, every page with its share of the thumbnails' {
        $big = New-CocoDataset
        foreach ($i in 1..250) { $big.Images.Add([CocoTools.Engine.Coco.CocoImage]@{ Id = $i; Width = 8; Height = 8; FileName = "img$i.png" }) }

        $result = $big | Export-CocoGallery $gallery -NoImage -PageSize 100 -PassThru

        $result.Pages | Should -Be 3
        (Get-ChildItem $gallery -Filter *.html).Name | Sort-Object | Should -Be @('index.html', 'page-2.html', 'page-3.html', 'statistics.html')
        ([regex]::Matches((Get-Content (Join-Path $gallery 'page-3.html') -Raw), '<figure ')).Count | Should -Be 50
        (Get-Content (Join-Path $gallery 'page-2.html') -Raw) | Should -Match '<a rel="prev" href="index.html">.*<a rel="next" href="page-3.html">'
        if ($script:Chromium) {
            (Get-Figures (Invoke-Chromium (Get-FileUrl (Join-Path $gallery 'page-2.html')))).Keys | Select-Object -First 1 | Should -Be '101'
        }
    }

    It 'lists each annotation of an image with its category, area and attributes' {
        $ds | Export-CocoGallery $gallery -NoImage -ErrorAction SilentlyContinue
        $page = Get-Content (Join-Path $gallery 'images/1.html') -Raw

        $page | Should -Match '<tr data-ann="10"><td>10</td><td>nodule</td><td>Detection</td><td>200.5</td><td>\[10, 10, 30.125, 35\]</td><td>0</td><td>attributes: <code>\{&quot;occluded&quot;: false\}</code></td></tr>'
        $page | Should -Match '<tr data-ann="15"><td>15</td><td>lung</td>.*score: 0.875'
        # The legend of an image's page counts that image's annotations, for the categories it has.
        $page | Should -Match '<label data-cat="1" data-count="1">'
        $page | Should -Match '<label data-cat="2" data-count="1">'
        $page | Should -Not -Match 'id="only"'
        (Get-Content (Join-Path $gallery 'images/7.html') -Raw) | Should -Match '<label data-cat="none" data-count="1">'
    }

    It 'shows DICOM images rendered, and an image whose file is missing as a blank with an error naming it' {
        $dicom = Add-CocoImage (Join-Path $RepoRoot 'samples/dicom/pydicom_CT_small.dcm'), (Join-Path $RepoRoot 'samples/dicom/pydicom_MR_small.dcm') -BasePath (Join-Path $RepoRoot 'samples')
        $dicom.Images.Add([CocoTools.Engine.Coco.CocoImage]@{ Id = 99; Width = 4; Height = 4; FileName = 'dicom/not-there.dcm' })

        $result = $dicom | Export-CocoGallery $gallery -ImageRoot (Join-Path $RepoRoot 'samples') -PassThru -ErrorVariable problems -ErrorAction SilentlyContinue

        $result.Pictures | Should -Be 2
        @(Get-ChildItem (Join-Path $gallery 'images') -Filter *.png).Name | Sort-Object | Should -Be @('pydicom_CT_small.png', 'pydicom_MR_small.png')
        $problems.Count | Should -Be 1
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'ImageFileMissing,*'
        $problems[0].Exception.Message | Should -Match 'not-there\.dcm'
        (Get-Content (Join-Path $gallery 'images/99.html') -Raw) | Should -Match '<rect class="blank" width="4" height="4"/>'
        (Get-Content (Join-Path $gallery 'images/1.html') -Raw) | Should -Match '<image href="pydicom_CT_small.png" width="128" height="128"/>'
    }

    It 'shows the PNGs Export-CocoImage wrote, though their images still carry DICOM attributes' {
        $dicom = Add-CocoImage (Join-Path $RepoRoot 'samples/dicom/pydicom_CT_small.dcm'), (Join-Path $RepoRoot 'samples/dicom/pydicom_MR_small.dcm') -BasePath (Join-Path $RepoRoot 'samples')
        $png = Join-Path $dir 'png'
        $dicom | Export-CocoImage $png -ImageRoot (Join-Path $RepoRoot 'samples') | Export-CocoJson (Join-Path $png 'annotations.json')

        # The default image root is the folder of the JSON file.
        $result = Import-CocoJson (Join-Path $png 'annotations.json') | Export-CocoGallery $gallery -PassThru -ErrorVariable problems -ErrorAction SilentlyContinue

        $problems | Should -BeNullOrEmpty
        $result.Pictures | Should -Be 2
        (Get-FileHash (Join-Path $gallery 'images/pydicom_CT_small.png')).Hash | Should -Be (Get-FileHash (Join-Path $png 'pydicom_CT_small.png')).Hash -Because 'an 8-bit grey PNG re-encoded by the same writer is the same file'
    }

    It 'replaces a previous gallery as a whole, or refuses with -NoClobber and leaves it intact' {
        New-Item -ItemType Directory -Path $gallery | Out-Null
        Set-Content (Join-Path $gallery 'stale.txt') 'old'

        { $ds | Export-CocoGallery $gallery -NoImage -NoClobber -ErrorAction Stop } | Should -Throw -ErrorId 'FolderExists*'
        @(Get-ChildItem $gallery).Name | Should -Be @('stale.txt')

        $ds | Export-CocoGallery $gallery -NoImage -ErrorAction SilentlyContinue
        Test-Path (Join-Path $gallery 'stale.txt') | Should -BeFalse
        Test-Path (Join-Path $gallery 'index.html') | Should -BeTrue
        @(Get-ChildItem $dir -Force).Name | Should -Be @('gallery')
    }

    It 'charts annotations per category and box sizes on the statistics page' {
        $ds | Export-CocoGallery $gallery -NoImage -ErrorAction SilentlyContinue
        $stats = Get-Content (Join-Path $gallery 'statistics.html') -Raw

        $stats | Should -Match '<g data-name="nodule" data-count="3">'
        # Boxes: 30.125x35 (side 32.5), 1x3 and 1x2 (under 8), 40x40 (40), 3x4 (under 8).
        $stats | Should -Match '<g data-name="&lt; 8" data-count="3">'
        $stats | Should -Match '<g data-name="32-64" data-count="2">'
    }
}

Describe 'Show-CocoDataset' {
    It 'writes the gallery to a new temporary folder and, with no browser to open, warns with its path and returns it' {
        $display = $env:DISPLAY; $wayland = $env:WAYLAND_DISPLAY
        $env:DISPLAY = $null; $env:WAYLAND_DISPLAY = $null
        try {
            $result = Import-CocoJson $AllKinds -WarningAction SilentlyContinue | Show-CocoDataset -NoImage -WarningVariable said -WarningAction SilentlyContinue -ErrorAction SilentlyContinue
        } finally {
            $env:DISPLAY = $display; $env:WAYLAND_DISPLAY = $wayland
        }
        try {
            $result.Path | Should -BeLike (Join-Path ([IO.Path]::GetTempPath()) 'CocoTools-gallery-*')
            Test-Path $result.Path | Should -BeTrue
            "$said" | Should -BeLike "*$($result.Path)*"
        } finally {
            Remove-Item -LiteralPath $result.Directory -Recurse -Force -ErrorAction Ignore
        }
    }
}
