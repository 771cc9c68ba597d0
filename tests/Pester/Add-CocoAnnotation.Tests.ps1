BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')

    function New-TestDataset {
        # A dataset with images of the given file names, all Width x Height (no files needed).
        param([string[]] $FileName, [int] $Width = 1024, [int] $Height = 1024)
        $ds = New-CocoDataset
        foreach ($name in $FileName) {
            $null = $ds.Images.AddNew([CocoTools.Engine.Coco.CocoImage]@{ FileName = $name; Width = $Width; Height = $Height })
        }
        $ds
    }

    function Get-ExportedJson {
        param($Dataset, [string] $Path)
        $Dataset | Export-CocoJson -Path $Path
        Get-Content -LiteralPath $Path -Raw | ConvertFrom-Json
    }
}

Describe 'Add-CocoAnnotation' {
    BeforeEach {
        $dir = Join-Path ([IO.Path]::GetTempPath()) ("cocotools-pester-" + [guid]::NewGuid().ToString('N').Substring(0, 8))
        New-Item -ItemType Directory -Path $dir -Force | Out-Null
    }
    AfterEach {
        Remove-Item -LiteralPath $dir -Recurse -Force -ErrorAction Ignore
    }

    Context 'dialects' {
        It 'reads the NIH ChestX-ray14 box list (Image Index, Finding Label, Bbox [x, y, w, h]) as it is' {
            $csv = Join-Path $dir 'BBox_List_2017.csv'
            Set-Content -LiteralPath $csv -Value @(
                'Image Index,Finding Label,Bbox [x,y,w,h],,,'
                '00013118_008.png,Atelectasis,225.084745762712,547.019216763771,86.7796610169491,79.1864406779661,,,'
                '00014716_007.png,Atelectasis,686.101694915254,131.543498926507,185.491525423729,313.491525423729,,,'
                '00029817_009.png,Infiltrate,129.138983050847,522.120392459774,174.371228813559,315.542372881356,,,'
            )
            $ds = New-TestDataset 'images/00013118_008.png', 'images/00014716_007.png', 'images/00029817_009.png'

            Import-Csv -LiteralPath $csv | Add-CocoAnnotation $ds

            $ds.Annotations.Count | Should -Be 3
            $ds.Categories.Name | Should -Be @('Atelectasis', 'Infiltrate')
            $ds.Annotations[2].ImageId | Should -Be 3
            $ds.Annotations[2].Bbox.ToArray() | Should -Be @(129.138983050847, 522.120392459774, 174.371228813559, 315.542372881356)
        }

        It 'reads the RSNA pneumonia list with -CategoryMap; Target 0 rows are counted, not added' {
            $csv = Join-Path $dir 'stage_2_train_labels.csv'
            Set-Content -LiteralPath $csv -Value @(
                'patientId,x,y,width,height,Target'
                '0004cfab-14fd-4e49-80ba-63a80b6bddd6,,,,,0'
                '00436515-870c-4b36-a041-de91049b9ab4,264.0,152.0,213.0,379.0,1'
                '00436515-870c-4b36-a041-de91049b9ab4,562.0,152.0,256.0,453.0,1'
            )
            # RSNA's DICOM files are named by patientId.
            $ds = New-TestDataset '0004cfab-14fd-4e49-80ba-63a80b6bddd6.dcm', '00436515-870c-4b36-a041-de91049b9ab4.dcm'

            Add-CocoAnnotation $ds -CsvPath $csv -CategoryMap @{ 1 = 'Lung Opacity' } -WarningVariable w -WarningAction SilentlyContinue

            $ds.Annotations.Count | Should -Be 2
            $ds.Annotations.ImageId | Should -Be @(2, 2)
            $ds.Categories.Name | Should -Be 'Lung Opacity'
            $w.Message | Should -BeLike '1 row(s) name an image but no geometry*'
        }

        It 'reads the VinDr-CXR list (image_id, class_name, x_min ... y_max); extra columns become attributes' {
            $csv = Join-Path $dir 'train.csv'
            Set-Content -LiteralPath $csv -Value @(
                'image_id,class_name,class_id,rad_id,x_min,y_min,x_max,y_max'
                '9a5094b2563a1ef3ff50dc5c7ff71345,Cardiomegaly,3,R10,691.0,1375.0,1653.0,1831.0'
                '051132a778e61a86eb147c7c6f564dfe,No finding,14,R11,,,,'
                '9a5094b2563a1ef3ff50dc5c7ff71345,Aortic enlargement,0,R8,1264.0,743.0,1611.0,1019.0'
            )
            $ds = New-TestDataset 'train/9a5094b2563a1ef3ff50dc5c7ff71345.dicom', 'train/051132a778e61a86eb147c7c6f564dfe.dicom' -Width 2500 -Height 3000

            Add-CocoAnnotation $ds -CsvPath $csv -WarningAction SilentlyContinue

            $ds.Categories.Name | Should -Be @('Cardiomegaly', 'Aortic enlargement')
            $json = Get-ExportedJson $ds (Join-Path $dir 'vindr.json')
            $json.annotations[0].bbox | Should -Be @(691, 1375, 962, 456)
            $json.annotations[0].area | Should -Be (962 * 456)
            $json.annotations[0].attributes.rad_id | Should -Be 'R10'
        }

        It 'converts Kaggle EncodedPixels exactly, in <Order> order, as pycocotools decodes it' -ForEach @(
            @{ Order = 'ColumnMajor' }, @{ Order = 'RowMajor' }
        ) {
            $h = 6; $w = 4
            $csv = Join-Path $dir 'train-rle.csv'
            # SIIM-style: ImageId is the SOP Instance UID the .dcm file is named by; -1 means no mask.
            Set-Content -LiteralPath $csv -Value @(
                'ImageId, EncodedPixels'
                '1.2.276.0.7230010.3.1.4.8323329.5597.1517875188.959090, 2 3 9 4 22 2'
                '1.2.276.0.7230010.3.1.4.8323329.12515.1517875239.501137, -1'
            )
            $ds = New-TestDataset '1.2.276.0.7230010.3.1.4.8323329.5597.1517875188.959090.dcm', '1.2.276.0.7230010.3.1.4.8323329.12515.1517875239.501137.dcm' -Width $w -Height $h
            Add-CocoAnnotation $ds -CsvPath $csv -Category pneumothorax -PixelOrder $Order -WarningAction SilentlyContinue
            $path = Join-Path $dir 'siim.json'
            $ds | Export-CocoJson -Path $path

            # Where the pixels numbered 2-4, 9-12 and 22-23 are, by the stated order.
            $expected = [int[]]::new($h * $w)
            foreach ($n in @(2..4) + @(9..12) + @(22..23)) {
                $p = $n - 1
                if ($Order -eq 'ColumnMajor') { $row = $p % $h; $col = [math]::Floor($p / $h) } else { $row = [math]::Floor($p / $w); $col = $p % $w }
                $expected[$row * $w + $col] = 1
            }
            $decoded = Invoke-Python -Script @'
import json, sys
from pycocotools.coco import COCO
c = COCO(sys.argv[1])
m = c.annToMask(c.loadAnns(c.getAnnIds())[0])
print(" ".join(str(int(v)) for v in m.flatten()))
'@ -Arguments $path
            $decoded[-1] | Should -Be ($expected -join ' ')
            $ds.Annotations.Count | Should -Be 1
        }

        It 'reads polygons as <Form>' -ForEach @(
            @{ Form = 'a flat list'; Cell = '10,10,20,10,20,20,10,20' }
            @{ Form = 'JSON text'; Cell = '[10, 10, 20, 10, 20, 20, 10, 20]' }
            @{ Form = 'a list of lists'; Cell = '[[10, 10, 20, 10, 20, 20, 10, 20]]' }
            @{ Form = 'x,y pairs'; Cell = '10,10 20,10 20,20 10,20' }
        ) {
            $ds = New-TestDataset 'a.png' -Width 64 -Height 64
            [pscustomobject]@{ file_name = 'a.png'; label = 'lesion'; polygon = $Cell } | Add-CocoAnnotation $ds
            $a = $ds.Annotations[0]
            $a.Segmentation.Polygons[0] | Should -Be @(10, 10, 20, 10, 20, 20, 10, 20)
            $a.Area | Should -Be 100
        }

        It 'reads COCO RLE cells, uncompressed and compressed, and writes what pycocotools loads' {
            $ds = New-TestDataset 'a.png' -Width 3 -Height 2
            @(
                @{ image_id = 1; category = 'c'; rle = '{"size": [2, 3], "counts": [1, 3, 2]}' }
                @{ image_id = 1; category = 'c'; rle = @{ size = @(2, 3); counts = '132' } }
            ) | Add-CocoAnnotation $ds
            $path = Join-Path $dir 'rle.json'
            $ds | Export-CocoJson -Path $path
            $areas = Invoke-Python -Script @'
import sys
from pycocotools.coco import COCO
c = COCO(sys.argv[1])
print(" ".join(str(int(c.annToMask(a).sum())) for a in c.loadAnns(c.getAnnIds())))
'@ -Arguments $path
            $areas[-1] | Should -Be '3 3'
        }

        It 'reads keypoints as triples or per-name columns, with the names and skeleton on the category' {
            $ds = New-TestDataset 'a.png' -Width 100 -Height 100
            $kp = @{ Keypoint = 'C7', 'T12', 'L5'; Skeleton = '1-2', '2-3'; Category = 'spine' }
            [pscustomobject]@{ image = 'a.png'; keypoints = '50 10 2 52 50 1 0 0 0' } | Add-CocoAnnotation $ds @kp
            [pscustomobject]@{ image = 'a.png'; C7_x = 50; C7_y = 10; T12_x = 52; T12_y = 50; T12_v = 1 } | Add-CocoAnnotation $ds @kp

            $json = Get-ExportedJson $ds (Join-Path $dir 'kp.json')
            $json.categories[0].keypoints | Should -Be @('C7', 'T12', 'L5')
            $json.categories[0].skeleton[1] | Should -Be @(2, 3)
            foreach ($a in $json.annotations) {
                $a.keypoints | Should -Be @(50, 10, 2, 52, 50, 1, 0, 0, 0)
                $a.num_keypoints | Should -Be 2
            }
        }

        It 'adds captions without category or geometry' {
            $ds = New-TestDataset 'a.png'
            Add-CocoAnnotation $ds -Image a.png -Caption 'Small right apical pneumothorax.'
            $json = Get-ExportedJson $ds (Join-Path $dir 'cap.json')
            $json.annotations[0].caption | Should -Be 'Small right apical pneumothorax.'
            $json.annotations[0].PSObject.Properties.Name | Should -Not -Contain 'category_id'
            $json.categories | Should -BeNullOrEmpty
        }

        It 'merges stuff rows (isthing 0) into one RLE per image and category, ready for panoptic masks' {
            $ds = New-CocoDataset -Category @{ name = 'tissue'; isthing = 0 }, @{ name = 'nodule'; isthing = 1 }
            $null = $ds.Images.AddNew([CocoTools.Engine.Coco.CocoImage]@{ FileName = 'a.png'; Width = 20; Height = 10 })
            @(
                [pscustomobject]@{ file_name = 'a.png'; category = 'tissue'; bbox = '0,0,5,5' }
                [pscustomobject]@{ file_name = 'a.png'; category = 'tissue'; bbox = '10,0,5,5' }
                [pscustomobject]@{ file_name = 'a.png'; category = 'nodule'; bbox = '6,6,2,2' }
            ) | Add-CocoAnnotation $ds
            $ds.Annotations.Count | Should -Be 2
            $ds.Annotations[0].Segmentation | Should -BeOfType ([CocoTools.Engine.Coco.CocoRleSegmentation])
            $ds.Annotations[0].Area | Should -Be 50

            $files = $ds | Export-CocoMask -OutputDirectory (Join-Path $dir 'panoptic') -Kind Panoptic -PassThru
            @($files).Count | Should -Be 1
        }
    }

    Context 'parameters and pipeline' {
        It 'streams -CsvPath with the same result as Import-Csv piped in' {
            $csv = Join-Path $dir 'boxes.csv'
            Set-Content -LiteralPath $csv -Value @(
                'file_name,label,x_min,y_min,x_max,y_max,reader,score'
                'a.png,mass,1,2,11,12,R1,0.5'
                '"b.png","mass, spiculated",3,4,13.5,14,R2,0.25'
            )
            $one = New-TestDataset 'a.png', 'b.png' -Width 64 -Height 64
            $two = New-TestDataset 'a.png', 'b.png' -Width 64 -Height 64
            Add-CocoAnnotation $one -CsvPath $csv
            Import-Csv $csv | Add-CocoAnnotation $two
            $p1 = Join-Path $dir 'one.json'; $p2 = Join-Path $dir 'two.json'
            $one | Export-CocoJson $p1
            $two | Export-CocoJson $p2
            (Get-FileHash $p1).Hash | Should -Be (Get-FileHash $p2).Hash
            (Get-Content $p1 -Raw | ConvertFrom-Json).annotations[1].attributes.reader | Should -Be 'R2'
            $two.Categories[0].Name | Should -Be 'mass'
            $two.Categories[1].Name | Should -Be 'mass, spiculated'
        }

        It 'adds one annotation from parameters, with -PassThru' {
            $ds = New-TestDataset 'a.png' -Width 64 -Height 64
            $a = Add-CocoAnnotation $ds -Image a.png -Category nodule -Bbox 1, 2, 3, 4 -Score 0.9 -Attribute @{ reader = 'R1' } -PassThru
            $a | Should -BeOfType ([CocoTools.Engine.Coco.CocoAnnotation])
            $a.Bbox.ToArray() | Should -Be @(1, 2, 3, 4)
            $a.Score | Should -Be 0.9
            (Add-CocoAnnotation $ds -Image a.png -Category nodule -Bbox 1, 2, 3, 4) | Should -BeNullOrEmpty
            $ds.Annotations.Count | Should -Be 2
        }

        It 'refuses unknown categories with -StrictCategory, naming the row' {
            $ds = New-TestDataset 'a.png'
            $null = $ds.Categories.AddNew([CocoTools.Engine.Coco.CocoCategory]@{ Name = 'mass' })
            @(
                @{ image_id = 1; category = 'mass'; bbox = '1,1,2,2' }
                @{ image_id = 1; category = 'calcification'; bbox = '1,1,2,2' }
            ) | Add-CocoAnnotation $ds -StrictCategory -ErrorVariable err -ErrorAction SilentlyContinue
            $err.Count | Should -Be 1
            $err[0].FullyQualifiedErrorId | Should -Be 'UnknownCategory,CocoTools.Commands.AddCocoAnnotationCommand'
            $err[0].Exception.Message | Should -BeLike 'input row 2:*calcification*'
            $ds.Annotations.Count | Should -Be 1
        }

        It 'creates images for unknown rows with -AddMissingImage, sized from the file under -ImageRoot' {
            Copy-Item (Join-Path $SharedDir 'dicom-samples/pydicom_CT_small.dcm') (Join-Path $dir 'patient-1.dcm')
            $ds = New-CocoDataset
            [pscustomobject]@{ patientId = 'patient-1'; x = 1; y = 1; width = 10; height = 10; Target = 1 } |
                Add-CocoAnnotation $ds -AddMissingImage -ImageRoot $dir -CategoryMap @{ 1 = 'opacity' }
            $ds.Images[0].FileName | Should -Be 'patient-1.dcm'
            $ds.Images[0].Width | Should -Be 128
            $ds.Annotations[0].ImageId | Should -Be $ds.Images[0].Id
        }

        It 'completes category names from the dataset' {
            $ds = New-CocoDataset -Category 'Atelectasis', 'Cardiomegaly', 'Effusion'
            $line = 'Add-CocoAnnotation $ds -Image a.png -Category Ca'
            $completions = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText
            $completions | Should -Be 'Cardiomegaly'
        }
    }

    Context 'bad input' {
        BeforeEach {
            $csv = Join-Path $dir 'bad.csv'
            Set-Content -LiteralPath $csv -Value @(
                'image_id,category,x,y,width,height,polygon,EncodedPixels'
                '1,mass,1,1,5,5,,'
                '1,mass,1,one,5,5,,'
                '1,mass,1,1,-5,5,,'
                '1,mass,60,60,10,10,,'
                '1,mass,,,,,"1,2,3,4",'
                '9,mass,1,1,5,5,,'
                '1,mass,,,,,,1 5 3'
                '1,mass,2,2,2,2,,'
            )
            $ds = New-TestDataset 'a.png' -Width 64 -Height 64
        }

        It 'writes one error per bad row naming file, row and line, and adds the rest' {
            Add-CocoAnnotation $ds -CsvPath $csv -ErrorVariable err -ErrorAction SilentlyContinue
            $ds.Annotations.Count | Should -Be 2
            $err.Count | Should -Be 6
            $err.Exception.Message | Should -Be @(
                "bad.csv row 2 (line 3): y is 'one', not a number."
                'bad.csv row 3 (line 4): the box (x, y, width, height) [1, 1, -5, 5] has width -5; it must be positive.'
                'bad.csv row 4 (line 5): the box [60, 60, 10, 10] reaches outside its image (64x64, a.png).'
                'bad.csv row 5 (line 6): polygon: polygon 0 has 4 numbers; a polygon needs at least 6 (three points).'
                "bad.csv row 6 (line 7): image '9' matches no image (by id, file_name, file name stem, SOP Instance UID or DICOMweb URL); add it with Add-CocoImage first, or use -AddMissingImage."
                'bad.csv row 7 (line 8): EncodedPixels has an odd count of numbers (3); it must be start, length pairs.'
            )
            $err.TargetObject | Should -Be @('bad.csv row 2 (line 3)', 'bad.csv row 3 (line 4)', 'bad.csv row 4 (line 5)', 'bad.csv row 5 (line 6)', 'bad.csv row 6 (line 7)', 'bad.csv row 7 (line 8)')
            $err[4].CategoryInfo.Category | Should -Be 'ObjectNotFound'
            $err[0].CategoryInfo.Category | Should -Be 'InvalidData'
        }

        It 'stops at the first bad row with -ErrorAction Stop, keeping what was added' {
            { Add-CocoAnnotation $ds -CsvPath $csv -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidValue,CocoTools.Commands.AddCocoAnnotationCommand'
            $ds.Annotations.Count | Should -Be 1
        }

        It 'says which file is missing or empty' {
            Add-CocoAnnotation $ds -CsvPath (Join-Path $dir 'nope.csv') -ErrorVariable err -ErrorAction SilentlyContinue
            $err[0].Exception.Message | Should -BeLike '*nope.csv*'
            Set-Content -LiteralPath (Join-Path $dir 'empty.csv') -Value ''
            Add-CocoAnnotation $ds -CsvPath (Join-Path $dir 'empty.csv') -ErrorVariable err2 -ErrorAction SilentlyContinue
            $err2[0].FullyQualifiedErrorId | Should -Be 'CsvEmpty,CocoTools.Commands.AddCocoAnnotationCommand'
        }
    }

    It 'builds COCO from bundled DICOM samples and a box/polygon list, and masks from it (end to end)' {
        $ds = Add-CocoImage -Path (Join-Path $RepoRoot 'samples/dicom') -Frame First -BasePath (Join-Path $RepoRoot 'samples') -ErrorAction SilentlyContinue
        Add-CocoAnnotation $ds -CsvPath (Join-Path $RepoRoot 'samples/annotations/findings.csv') -ErrorVariable err
        $err | Should -BeNullOrEmpty
        $ds.Annotations.Count | Should -BeGreaterThan 3
        $path = Join-Path $dir 'demo.json'
        $ds | Export-CocoJson -Path $path
        # pycocotools as a consumer: every box evaluates as a perfect detection of itself, every polygon rasterizes.
        $loaded = Invoke-Python -Script @'
import sys, contextlib, io
from pycocotools.coco import COCO
from pycocotools.cocoeval import COCOeval
with contextlib.redirect_stdout(io.StringIO()):
    gt = COCO(sys.argv[1])
    anns = gt.loadAnns(gt.getAnnIds())
    dt = gt.loadRes([{"image_id": a["image_id"], "category_id": a["category_id"], "bbox": a["bbox"], "score": 1.0} for a in anns])
    e = COCOeval(gt, dt, "bbox"); e.evaluate(); e.accumulate(); e.summarize()
polygons = [a for a in anns if "segmentation" in a]
print(len(anns), round(e.stats[0], 6), len(polygons), sum(int(gt.annToMask(a).sum() > 0) for a in polygons))
'@ -Arguments $path
        $polygonCount = @($ds.Annotations | Where-Object Segmentation).Count
        $polygonCount | Should -BeGreaterThan 0
        $loaded[-1] | Should -Be "$($ds.Annotations.Count) 1.0 $polygonCount $polygonCount"
        $masks = $ds | Export-CocoMask -OutputDirectory (Join-Path $dir 'masks') -Kind Semantic -PassThru
        @($masks).Count | Should -Be $ds.Images.Count
        $ct = @($masks | Where-Object ImageId -eq 2)[0].Path
        $values = Invoke-Python -Script 'import sys; from PIL import Image; print(sorted(set(Image.open(sys.argv[1]).getdata())))' -Arguments $ct
        $values[-1] | Should -Be '[0, 1, 2]'
    }
}
