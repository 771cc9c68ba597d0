BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $samples = Join-Path $SharedDir 'dicom-samples'
}

Describe 'Add-CocoImage' {
    BeforeEach {
        $dir = Join-Path ([IO.Path]::GetTempPath()) ("cocotools-pester-" + [guid]::NewGuid().ToString('N').Substring(0, 8))
        New-Item -ItemType Directory -Path (Join-Path $dir 'study/series') -Force | Out-Null
        Copy-Item (Join-Path $samples 'pydicom_CT_small.dcm') (Join-Path $dir 'study/ct.dcm')
        Copy-Item (Join-Path $samples 'fodicom_mr_brucker.dcm') (Join-Path $dir 'study/series/multi')
        Copy-Item (Join-Path $samples 'pydicom_rtplan_truncated.dcm') (Join-Path $dir 'study/bad.dcm')
    }
    AfterEach {
        Remove-Item -LiteralPath $dir -Recurse -Force -ErrorAction Ignore
    }

    It 'collects piped files into one new dataset, emitted at the end' {
        Push-Location $dir
        try {
            $out = @(Get-ChildItem study -Recurse -File | Add-CocoImage -ErrorAction SilentlyContinue)
        } finally {
            Pop-Location
        }
        $out.Count | Should -Be 1
        $out[0] | Should -BeOfType ([CocoTools.Engine.Coco.CocoDataset])
        $out[0].Images.Count | Should -Be 5
        $out[0].Images.FileName | Sort-Object -Unique | Should -Be @('study/ct.dcm', 'study/series/multi')
    }

    It 'reads folders, recursing with -Recurse, and detects DICOM by content (no extension needed)' {
        (Add-CocoImage -Path (Join-Path $dir 'study') -ErrorAction SilentlyContinue).Images.Count | Should -Be 1
        (Add-CocoImage -Path (Join-Path $dir 'study') -Recurse -ErrorAction SilentlyContinue).Images.Count | Should -Be 5
    }

    It 'gives each frame of a multi-frame object its own image, or the first only with -Frame First' {
        $all = Add-CocoImage -LiteralPath (Join-Path $dir 'study/series/multi')
        $all.Images.Count | Should -Be 4
        ($all.Images | ForEach-Object { ($_.Extra.GetRawJson('dicom') | ConvertFrom-Json).frame }) | Should -Be @(1, 2, 3, 4)
        (Add-CocoImage -LiteralPath (Join-Path $dir 'study/series/multi') -Frame First).Images.Count | Should -Be 1
    }

    It 'reports a bad file with a stable error id and the path, and adds the rest' {
        $ds = Add-CocoImage -Path (Join-Path $dir 'study') -Recurse -ErrorVariable err -ErrorAction SilentlyContinue
        $ds.Images.Count | Should -Be 5
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -Be 'DicomTruncated,CocoTools.Commands.AddCocoImageCommand'
        $err[0].TargetObject | Should -Be (Join-Path $dir 'study/bad.dcm')
        $err[0].CategoryInfo.Category | Should -Be 'InvalidData'
    }

    It 'stops at the first bad file with -ErrorAction Stop' {
        { Add-CocoImage -LiteralPath (Join-Path $dir 'study/bad.dcm') -ErrorAction Stop } | Should -Throw -ErrorId 'DicomTruncated,CocoTools.Commands.AddCocoImageCommand'
    }

    It 'adds to a given dataset in place, emitting nothing unless -PassThru' {
        $ds = New-CocoDataset -Category nodule
        $none = Add-CocoImage -Dataset $ds -LiteralPath (Join-Path $dir 'study/ct.dcm')
        $none | Should -BeNullOrEmpty
        $ds.Images.Count | Should -Be 1
        $images = Add-CocoImage -Dataset $ds -LiteralPath (Join-Path $dir 'study/series/multi') -PassThru
        @($images).Count | Should -Be 4
        $images[0] | Should -BeOfType ([CocoTools.Engine.Coco.CocoImage])
        $ds.Images.Id | Should -Be @(1, 2, 3, 4, 5)
    }

    It 'does not add the same file or SOP instance twice, and says so' {
        $ds = New-CocoDataset
        Add-CocoImage -Dataset $ds -LiteralPath (Join-Path $dir 'study/ct.dcm')
        Copy-Item (Join-Path $dir 'study/ct.dcm') (Join-Path $dir 'copy.dcm')
        Add-CocoImage -Dataset $ds -LiteralPath (Join-Path $dir 'study/ct.dcm'), (Join-Path $dir 'copy.dcm') -WarningVariable w -WarningAction SilentlyContinue
        $ds.Images.Count | Should -Be 1
        $w.Count | Should -Be 2
        $w[0].Message | Should -BeLike '*already in the dataset*'
    }

    It 'makes file_name relative to the current location, or to -BasePath' {
        Push-Location (Join-Path $dir 'study')
        try {
            (Add-CocoImage ct.dcm).Images[0].FileName | Should -Be 'ct.dcm'
            (Add-CocoImage ct.dcm -BasePath $dir).Images[0].FileName | Should -Be 'study/ct.dcm'
        } finally {
            Pop-Location
        }
    }

    It 'exports no patient attribute unless -IncludeTag names it' {
        $plain = Add-CocoImage -LiteralPath (Join-Path $dir 'study/ct.dcm')
        $plain | Export-CocoJson (Join-Path $dir 'plain.json')
        $text = Get-Content (Join-Path $dir 'plain.json') -Raw
        $text | Should -Not -Match 'CompressedSamples|PatientName|PatientID|BirthDate'
        $text | Should -Match '"PatientHash"'

        $named = Add-CocoImage -LiteralPath (Join-Path $dir 'study/ct.dcm') -IncludeTag PatientName, '(0010,0040)'
        $dicom = $named.Images[0].Extra.GetRawJson('dicom') | ConvertFrom-Json
        $dicom.PatientName | Should -Be 'CompressedSamples^CT1'
        $dicom.PatientSex | Should -Be 'O'
    }

    It 'refuses an unknown -IncludeTag keyword before reading anything' {
        { Add-CocoImage -LiteralPath (Join-Path $dir 'study/ct.dcm') -IncludeTag PatientShoeSize -ErrorAction Stop } |
            Should -Throw -ErrorId 'UnknownDicomKeyword,CocoTools.Commands.AddCocoImageCommand'
    }

    It 'completes DICOM keywords for -IncludeTag' {
        $line = 'Add-CocoImage x.dcm -IncludeTag PatientA'
        $completions = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText
        $completions | Should -Contain 'PatientAge'
        $completions | Should -Contain 'PatientAddress'
    }

    It 'groups patients by a keyed hash: equal under one -PatientSalt, different under another' {
        $a = (Add-CocoImage -LiteralPath (Join-Path $dir 'study/ct.dcm') -PatientSalt 'site secret').Images[0].Extra.GetRawJson('dicom') | ConvertFrom-Json
        $b = (Add-CocoImage -LiteralPath (Join-Path $dir 'study/ct.dcm') -PatientSalt 'site secret').Images[0].Extra.GetRawJson('dicom') | ConvertFrom-Json
        $c = (Add-CocoImage -LiteralPath (Join-Path $dir 'study/ct.dcm') -PatientSalt 'other').Images[0].Extra.GetRawJson('dicom') | ConvertFrom-Json
        $a.PatientHash | Should -Be $b.PatientHash
        $a.PatientHash | Should -Not -Be $c.PatientHash
    }

    It 'sets coco_url from -DicomWebRoot so the viewer flavour can be written from files' {
        $ds = Add-CocoImage -LiteralPath (Join-Path $dir 'study/ct.dcm') -BasePath $dir -DicomWebRoot 'dicomweb://localhost:8000/radiology'
        $ds.Images[0].CocoUrl | Should -Be 'dicomweb://localhost:8000/radiology/study/ct.dcm'
        $ds | Export-CocoJson (Join-Path $dir 'viewer.json') -Flavor Viewer
        (Get-Content (Join-Path $dir 'viewer.json') -Raw | ConvertFrom-Json).images[0].id | Should -Be 'dicomweb://localhost:8000/radiology/study/ct.dcm'
    }

    It 'identifies raster images by their header' {
        # The ImageSharp beside the loaded engine (the module root's is the netstandard2.0 build's; see about_CocoTools_Assemblies).
        Add-Type -Path (Join-Path (Split-Path ([CocoTools.Engine.Coco.CocoDataset].Assembly.Location)) 'SixLabors.ImageSharp.dll') -ErrorAction SilentlyContinue
        $png = Join-Path $dir 'photo.png'
        $image = [SixLabors.ImageSharp.Image[SixLabors.ImageSharp.PixelFormats.Rgb24]]::new(40, 30)
        [SixLabors.ImageSharp.ImageExtensions]::SaveAsPng($image, $png)
        $image.Dispose()
        $ds = Add-CocoImage -LiteralPath $png
        $ds.Images[0].Width | Should -Be 40
        $ds.Images[0].Height | Should -Be 30
        $ds.Images[0].Extra.Contains('dicom') | Should -BeFalse
    }

    It 'turns the issue''s pipeline into a COCO file pycocotools loads' {
        Push-Location $dir
        try {
            Get-ChildItem -Recurse -Filter *.dcm | Add-CocoImage -ErrorAction SilentlyContinue | Export-CocoJson out.json
        } finally {
            Pop-Location
        }
        $lines = Invoke-Python -Script 'import sys; from pycocotools.coco import COCO; c = COCO(sys.argv[1]); print(len(c.imgs), sorted(i["file_name"] for i in c.imgs.values()))' -Arguments (Join-Path $dir 'out.json')
        $lines[-1] | Should -Be "1 ['study/ct.dcm']"
    }
}
