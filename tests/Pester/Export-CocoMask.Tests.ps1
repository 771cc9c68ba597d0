BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')

    function Get-PngValues {
        # Distinct pixel values of a PNG (RGB as R + 256 G + 65536 B) and the PNG mode, read by Pillow.
        param([string] $Path)
        $script = @'
import sys, json
import numpy as np
from PIL import Image
im = Image.open(sys.argv[1])
a = np.array(im).astype(np.int64)
if a.ndim == 3:
    a = a[..., 0] + 256 * a[..., 1] + 65536 * a[..., 2]
values, counts = np.unique(a, return_counts=True)
print(json.dumps({'mode': im.mode, 'size': list(im.size), 'values': {str(int(v)): int(c) for v, c in zip(values, counts)}}))
'@
        (Invoke-Python -Script $script -Arguments $Path)[-1] | ConvertFrom-Json -AsHashtable
    }
}

Describe 'Export-CocoMask' {
    BeforeEach {
        $dir = Join-Path ([IO.Path]::GetTempPath()) ("cocotools-pester-" + [guid]::NewGuid().ToString('N').Substring(0, 8))
        New-Item -ItemType Directory -Path $dir | Out-Null
        $viewer = Import-CocoJson $SeedSample -WarningAction SilentlyContinue
    }
    AfterEach {
        Remove-Item -LiteralPath $dir -Recurse -Force -ErrorAction Ignore
    }

    It 'writes the viewer export''s binary mask: 0/255, one PNG named from the file stem' {
        $viewer | Export-CocoMask (Join-Path $dir 'binary') -Kind Binary
        $png = Join-Path $dir 'binary/000045.png'
        Test-Path $png | Should -BeTrue
        $info = Get-PngValues $png
        $info.mode | Should -Be 'L'
        $info.size | Should -Be @(512, 512)
        $info.values.Keys | Sort-Object | Should -Be @('0', '255')
    }

    It 'paints pixels that equal pycocotools'' annToMask of the same annotations' {
        $viewer | Export-CocoJson (Join-Path $dir 'seed.json')
        $viewer | Export-CocoMask (Join-Path $dir 'binary') -Kind Binary
        $check = @'
import sys
import numpy as np
from PIL import Image
from pycocotools.coco import COCO
c = COCO(sys.argv[1])
union = np.zeros((512, 512), dtype=np.uint8)
for a in c.loadAnns(c.getAnnIds(imgIds=[1])):
    union |= c.annToMask(a)
ours = (np.array(Image.open(sys.argv[2])) == 255).astype(np.uint8)
print(int(union.sum()), bool((union == ours).all()))
'@
        $result = (Invoke-Python -Script $check -Arguments (Join-Path $dir 'seed.json'), (Join-Path $dir 'binary/000045.png'))[-1]
        $result | Should -Match '^\d+ True$'
    }

    It 'writes semantic masks whose values are category ids' {
        $viewer | Export-CocoMask (Join-Path $dir 'semantic') -Kind Semantic
        $info = Get-PngValues (Join-Path $dir 'semantic/000045.png')
        $info.values.Keys | Sort-Object | Should -Be @('0', '1', '2', '3')
    }

    It 'writes 16-bit instance masks and a sidecar naming each value''s annotation' {
        $viewer | Export-CocoMask (Join-Path $dir 'instance') -Kind Instance
        $info = Get-PngValues (Join-Path $dir 'instance/000045.png')
        $info.mode | Should -BeIn @('I;16', 'I')
        $sidecar = Get-Content (Join-Path $dir 'instance/000045.json') -Raw | ConvertFrom-Json
        $sidecar.instances.annotation_id | Should -Be @(1, 2, 3)
        $sidecar.instances.category | Should -Be @('polygon', 'Car', 'freehan')
        $info.values.Keys | Sort-Object | Should -Be @('0', '1', '2', '3')
    }

    It 'writes panoptic PNGs and a panoptic JSON beside the folder whose areas are the painted pixels' {
        $viewer | Export-CocoMask (Join-Path $dir 'panoptic') -Kind Panoptic
        $json = Get-Content (Join-Path $dir 'panoptic.json') -Raw | ConvertFrom-Json
        $json.annotations[0].file_name | Should -Be '000045.png'
        $info = Get-PngValues (Join-Path $dir 'panoptic/000045.png')
        $info.mode | Should -Be 'RGB'
        foreach ($segment in $json.annotations[0].segments_info) {
            $info.values["$($segment.id)"] | Should -Be $segment.area
        }
        ($json.categories | Where-Object isthing -ne 1) | Should -BeNullOrEmpty
    }

    It 'paints only the named categories' {
        $viewer | Export-CocoMask (Join-Path $dir 'cars') -Kind Semantic -Category Car -PassThru | ForEach-Object AnnotationCount | Should -Be 1
        (Get-PngValues (Join-Path $dir 'cars/000045.png')).values.Keys | Sort-Object | Should -Be @('0', '2')
    }

    It 'refuses an unknown category name before writing anything' {
        { $viewer | Export-CocoMask (Join-Path $dir 'x') -Kind Semantic -Category Bus -ErrorAction Stop } |
            Should -Throw -ErrorId 'CategoryNotFound,CocoTools.Commands.ExportCocoMaskCommand'
        Test-Path (Join-Path $dir 'x/000045.png') | Should -BeFalse
    }

    It 'reports an unknown image id and writes the others' {
        $viewer | Export-CocoMask (Join-Path $dir 'm') -Kind Binary -ImageId 1, 99 -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -Be 'ImageNotFound,CocoTools.Commands.ExportCocoMaskCommand'
        Test-Path (Join-Path $dir 'm/000045.png') | Should -BeTrue
    }

    It 'names a bad annotation in its error and still writes the image''s mask' {
        $bad = [CocoTools.Engine.Coco.CocoAnnotation]::new()
        $bad.Id = 50; $bad.ImageId = 1; $bad.CategoryId = 1
        $bad.Segmentation = [CocoTools.Engine.Coco.CocoPolygonSegmentation]::new([System.Collections.Generic.List[double[]]]@(, [double[]](1, 2, 3, 4, 5)))
        $viewer.Annotations.Add($bad) | Out-Null
        $viewer | Export-CocoMask (Join-Path $dir 'm') -Kind Semantic -ErrorVariable err -ErrorAction SilentlyContinue
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -Be 'PolygonTooShort,CocoTools.Commands.ExportCocoMaskCommand'
        $err[0].TargetObject | Should -Be 50
        $err[0].Exception.Message | Should -BeLike 'annotation 50: polygon 0 has 5 numbers*'
        Test-Path (Join-Path $dir 'm/000045.png') | Should -BeTrue
    }

    It '-WhatIf writes nothing' {
        $viewer | Export-CocoMask (Join-Path $dir 'm') -Kind Binary -WhatIf
        Test-Path (Join-Path $dir 'm') | Should -BeFalse
    }

    It '-NoClobber keeps an existing mask and says so' {
        New-Item -ItemType Directory (Join-Path $dir 'm') | Out-Null
        Set-Content (Join-Path $dir 'm/000045.png') 'keep'
        $viewer | Export-CocoMask (Join-Path $dir 'm') -Kind Binary -NoClobber -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -Be 'FileExists,CocoTools.Commands.ExportCocoMaskCommand'
        Get-Content (Join-Path $dir 'm/000045.png') | Should -Be 'keep'
    }

    It '-PassThru emits one object per mask' {
        $files = $viewer | Export-CocoMask (Join-Path $dir 'm') -Kind Instance -PassThru
        @($files).Count | Should -Be 1
        $files.ImageId | Should -Be 1
        $files.Path | Should -Be (Join-Path $dir 'm/000045.png')
    }
}

Describe 'Export-CocoJson -SegmentationFormat Rle' {
    BeforeEach {
        $dir = Join-Path ([IO.Path]::GetTempPath()) ("cocotools-pester-" + [guid]::NewGuid().ToString('N').Substring(0, 8))
        New-Item -ItemType Directory -Path $dir | Out-Null
    }
    AfterEach {
        Remove-Item -LiteralPath $dir -Recurse -Force -ErrorAction Ignore
    }

    It 'writes every segmentation as the RLE pycocotools computes for it' {
        $ds = Import-CocoJson $SeedSample -WarningAction SilentlyContinue
        $ds | Export-CocoJson (Join-Path $dir 'poly.json')
        $ds | Export-CocoJson (Join-Path $dir 'rle.json') -SegmentationFormat Rle -Verbose 4>&1 | Out-String | Should -Match '3 segmentations converted to RLE'
        $check = @'
import sys, json
from pycocotools.coco import COCO
poly, rle = COCO(sys.argv[1]), COCO(sys.argv[2])
same = all(poly.annToRLE(poly.anns[i])['counts'] == rle.anns[i]['segmentation']['counts'].encode() for i in poly.anns)
print(same, [type(a['segmentation']).__name__ for a in rle.anns.values()])
'@
        (Invoke-Python -Script $check -Arguments (Join-Path $dir 'poly.json'), (Join-Path $dir 'rle.json'))[-1] | Should -Be "True ['dict', 'dict', 'dict']"
    }
}
