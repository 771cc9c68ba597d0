BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')

    function Get-Widest {
        param([string] $Text)
        ($Text -split "`r?`n" | ForEach-Object { $_.TrimEnd().Length } | Measure-Object -Maximum).Maximum
    }
}

Describe 'Views' {
    BeforeAll {
        Push-Location $RepoRoot
        try {
            $ds = Add-CocoImage samples/dicom -BasePath samples -Frame First -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
            Add-CocoAnnotation $ds -CsvPath samples/annotations/findings.csv -WarningAction SilentlyContinue
        } finally {
            Pop-Location
        }
    }

    It 'shows a dataset as a one-line summary table within 120 columns' {
        $text = $ds | Out-String -Width 120
        $text | Should -Match 'Images\s+Annotations\s+Categories\s+Kinds\s+Name/Source'
        $text | Should -Match '\s7\s+7\s+2\s+Detection'
        Get-Widest $text | Should -BeLessOrEqual 120
    }

    It 'shows images with size, modality, frame and annotation count within 120 columns' {
        $text = $ds.Images | Out-String -Width 120
        $text | Should -Match 'Id\s+FileName\s+Size\s+Modality\s+Frame\s+Annotations'
        $text | Should -Match '\s2 dicom/pydicom_CT_small\.dcm\s+128x128 CT\s+2\r?\n'
        $text | Should -Match '\s1 dicom/fodicom_mr_brucker\.dcm\s+256x128 MR\s+1\s+1\r?\n'
        Get-Widest $text | Should -BeLessOrEqual 120
    }

    It 'keeps the end of a long file name, the part that tells files apart, within 120 columns' {
        $long = [CocoTools.Engine.Coco.CocoImage]@{ Id = 9; Width = 4; Height = 4; FileName = ('studies/' + ('x' * 80) + '/series-3/000123.dcm') }
        $text = $long | Out-String -Width 120
        $text | Should -Match ([char]0x2026 + 'x+/series-3/000123\.dcm\s+4x4')
        Get-Widest $text | Should -BeLessOrEqual 120
    }

    It 'shows annotations with their category name, kind, area and box within 120 columns' {
        $text = $ds | Get-CocoAnnotation | Out-String -Width 120
        $text | Should -Match 'Id\s+ImageId\s+Category\s+Kind\s+Area\s+Bbox'
        $text | Should -Match '\s1\s+2 nodule\s+Detection\s+342 \[40, 52, 18, 19\]'
        $text | Should -Match '\s2\s+2 lesion\s+Detection\s+631 \[68, 28, 28, 32\]'
        Get-Widest $text | Should -BeLessOrEqual 120
        # A long box is shown to two decimals, in any culture; the object keeps every digit.
        $viewer = Import-CocoJson $SeedSample -WarningAction SilentlyContinue
        $culture = [cultureinfo]::CurrentCulture
        try {
            [cultureinfo]::CurrentCulture = 'de-DE'
            $text = $viewer | Get-CocoAnnotation | Out-String -Width 120
        } finally {
            [cultureinfo]::CurrentCulture = $culture
        }
        $text | Should -Match '\s1\s+1 polygon\s+Detection\s+2294.5 \[151.28, 155.93, 103.17, 59.35\]'
        Get-Widest $text | Should -BeLessOrEqual 120
    }

    It 'shows categories as a table and an annotation''s category id when the dataset lacks it' {
        $text = $ds | Get-CocoCategory | Out-String -Width 120
        $text | Should -Match 'Id\s+Name\s+Supercategory\s+Keypoints\s+IsThing'
        $text | Should -Match '\s1 nodule'
        $orphan = [CocoTools.Engine.Coco.CocoAnnotation]@{ Id = 5; ImageId = 1; CategoryId = 42 }
        ($orphan | Out-String -Width 120) | Should -Match '\s5\s+1 id 42\s'
    }

    It 'still shows every property with Select-Object * and Format-List *' {
        $annotation = $ds | Get-CocoAnnotation -Id 1
        $names = ($annotation | Select-Object * | Out-String -Width 120) -split '\r?\n' | ForEach-Object { if ($_ -match '^(\w+)\s*:') { $Matches[1] } }
        foreach ($property in $annotation.PSObject.Properties.Name) { $names | Should -Contain $property }
        $names | Should -Contain 'Category'
        $image = $ds.Images[0]
        $names = ($image | Format-List * | Out-String -Width 120) -split '\r?\n' | ForEach-Object { if ($_ -match '^(\w+)\s*:') { $Matches[1] } }
        foreach ($property in $image.PSObject.Properties.Name) { $names | Should -Contain $property }
    }

    It 'lists a dataset without internals (no secret key, counts not collections)' {
        $text = $ds | Format-List | Out-String -Width 120
        $text | Should -Match 'Summary\s+: 7 images, 7 annotations, 2 categories \(Detection\)'
        $text | Should -Match 'Categories\s+: 1: nodule, 2: lesion'
        $text | Should -Not -Match 'PatientHash'
        $ds.PSObject.Properties.Name | Should -Not -Contain 'PatientHashKey'
    }

    It 'lists an image with its DICOM attributes and an annotation with its attributes as JSON' {
        ($ds.Images[1] | Format-List | Out-String -Width 120) | Should -Match 'Dicom\s+: \{"StudyInstanceUID":'
        ($ds.Annotations[0] | Format-List | Out-String -Width 120) | Should -Match 'Attributes\s+: \{"reader":"R1","confidence_note":"definite"\}'
    }

    It 'gives every object a readable ToString' {
        "$ds" | Should -Be '7 images, 7 annotations, 2 categories (Detection)'
        "$($ds.Images[0])" | Should -Be '1: dicom/fodicom_mr_brucker.dcm (256x128, frame 1)'
        "$($ds.Categories[0])" | Should -Be '1: nodule'
        "$($ds.Annotations[0])" | Should -Match '^1: image 2, category 1'
        "$(New-CocoDataset)" | Should -Be '0 images, 0 annotations, 0 categories (None)'
    }

    It 'shows written masks as a table' {
        $out = Join-Path ([IO.Path]::GetTempPath()) ("cocotools-views-" + [guid]::NewGuid().ToString('N').Substring(0, 8))
        try {
            $text = $ds | Export-CocoMask $out -Kind Binary -PassThru | Out-String -Width 120
            $text | Should -Match 'ImageId\s+Kind\s+Annotations\s+Source\s+Path'
            $text | Should -Match '\s2\s+Binary\s+2\s+dicom/pydicom_CT_small\.dcm\s+pydicom_CT_small\.png'
        } finally {
            Remove-Item $out -Recurse -Force -ErrorAction Ignore
        }
    }
}

Describe 'Discovery' {
    It 'declares OutputType on every cmdlet' {
        foreach ($command in Get-Command -Module CocoTools) {
            $command.OutputType.Count | Should -BeGreaterThan 0 -Because "$($command.Name) should say what it emits"
        }
    }

    It 'resolves the parameter set of every common call without ambiguity' {
        $dir = Join-Path ([IO.Path]::GetTempPath()) ("cocotools-sets-" + [guid]::NewGuid().ToString('N').Substring(0, 8))
        New-Item -ItemType Directory -Path $dir | Out-Null
        try {
            $file = Join-Path $dir 'a.json'
            New-CocoDataset -Category a | Export-CocoJson $file
            $ds = Import-CocoJson $file
            $calls = @(
                { Import-CocoJson $file }
                { Get-Item $file | Import-CocoJson }
                { Test-CocoFile $file }
                { Get-Item $file | Test-CocoFile }
                { $ds | Test-CocoFile }
                { $ds | Export-CocoJson (Join-Path $dir 'b.json') }
                { Export-CocoJson -InputObject $ds -Path (Join-Path $dir 'c.json') }
                { $ds | Export-CocoMask (Join-Path $dir 'm') -Kind Binary }
                { Add-CocoImage (Join-Path $SharedDir 'dicom-samples/pydicom_CT_small.dcm') }
                { Get-Item (Join-Path $SharedDir 'dicom-samples/pydicom_CT_small.dcm') | Add-CocoImage }
                { [pscustomobject]@{ image_id = 1; category = 'a'; caption = 'x' } | Add-CocoAnnotation $ds -AddMissingImage }
                { Add-CocoAnnotation $ds -Image 1 -Caption 'x' -AddMissingImage }
            )
            foreach ($call in $calls) {
                { $null = & $call } | Should -Not -Throw -Because "$call"
            }
        } finally {
            Remove-Item $dir -Recurse -Force -ErrorAction Ignore
        }
    }

    It 'shows each cmdlet''s syntax with named parameter sets' {
        (Get-Command Test-CocoFile -Syntax) | Should -Match 'Test-CocoFile \[-Path\] <string\[\]>'
        (Get-Command Add-CocoAnnotation -Syntax) | Should -Match '-CsvPath <string>'
        foreach ($command in Get-Command -Module CocoTools | Where-Object { $_.ParameterSets.Count -gt 1 }) {
            $command.ParameterSets.Where({ $_.IsDefault }).Count | Should -Be 1 -Because "$($command.Name) needs exactly one default parameter set"
        }
    }

    It 'completes category names from a piped dataset variable and from Import-CocoJson of a file' {
        $global:completionDataset = New-CocoDataset -Category Atelectasis, Cardiomegaly, Effusion
        try {
            $line = '$completionDataset | Export-CocoMask out -Kind Binary -Category Ca'
            (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be 'Cardiomegaly'
        } finally {
            Remove-Variable completionDataset -Scope Global
        }

        Push-Location $RepoRoot
        try {
            $line = 'Import-CocoJson samples/viewer/seed-export-sample.json | Export-CocoMask out -Kind Binary -Category '
            (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be @('Car', 'freehan', 'polygon')
        } finally {
            Pop-Location
        }
    }
}

Describe 'Progress' {
    It 'shows throttled progress with a Completed record while validating a big file' {
        $dir = Join-Path ([IO.Path]::GetTempPath()) ("cocotools-progress-" + [guid]::NewGuid().ToString('N').Substring(0, 8))
        New-Item -ItemType Directory -Path $dir | Out-Null
        try {
            $file = Join-Path $dir 'big.json'
            $annotation = '{"id": 1, "image_id": 1, "category_id": 1, "segmentation": [[1, 1, 5, 1, 5, 5, 1, 5, 2, 3, 4, 4]], "bbox": [1, 1, 4, 4], "area": 16, "iscrowd": 0},'
            $text = '{"images": [{"id": 1, "width": 8, "height": 8, "file_name": "a.png"}], "categories": [{"id": 1, "name": "a"}], "annotations": [' + ($annotation * 250000).TrimEnd(',') + ']}'
            [IO.File]::WriteAllText($file, $text)

            $ps = [powershell]::Create()
            try {
                $null = $ps.AddCommand('Import-Module').AddArgument($ModulePath).AddStatement().AddCommand('Test-CocoFile').AddParameter('LiteralPath', $file).AddParameter('Rule', 'COCO1201')
                $null = $ps.Invoke()
                $records = @($ps.Streams.Progress | Where-Object Activity -eq 'Test-CocoFile')
            } finally {
                $ps.Dispose()
            }
            $records.Count | Should -BeGreaterThan 1
            $records[0].StatusDescription | Should -Match '^\d+\.\d of \d+\.\d MB$'
            $records[0].CurrentOperation | Should -BeLike "file 1: *big.json"
            $records[-1].RecordType | Should -Be 'Completed'
        } finally {
            Remove-Item $dir -Recurse -Force -ErrorAction Ignore
        }
    }

    It 'shows the rows read and how far through the file Add-CocoAnnotation -CsvPath is' {
        $dir = Join-Path ([IO.Path]::GetTempPath()) ("cocotools-progress-" + [guid]::NewGuid().ToString('N').Substring(0, 8))
        New-Item -ItemType Directory -Path $dir | Out-Null
        try {
            $json = Join-Path $dir 'images.json'
            [IO.File]::WriteAllText($json, '{"images": [{"id": 1, "width": 8, "height": 8, "file_name": "a.png"}], "categories": [], "annotations": []}')
            $csv = Join-Path $dir 'boxes.csv'
            [IO.File]::WriteAllText($csv, "file_name,label,x,y,w,h`n" + ("a.png,m,1,1,2,2`n" * 600000))

            $ps = [powershell]::Create()
            try {
                $null = $ps.AddScript("Import-Module '$ModulePath'; `$ds = Import-CocoJson '$json'; Add-CocoAnnotation `$ds -CsvPath '$csv'; `$ds.Annotations.Count")
                $count = $ps.Invoke()
                $records = @($ps.Streams.Progress | Where-Object Activity -eq 'Add-CocoAnnotation')
            } finally {
                $ps.Dispose()
            }
            $count | Should -Be 600000
            $records.Count | Should -BeGreaterThan 1
            $records[0].StatusDescription | Should -Match '^\d+ rows$'
            $records[0].PercentComplete | Should -BeGreaterOrEqual 0
            $records[0].PercentComplete | Should -BeLessOrEqual 100
            $records[0].CurrentOperation | Should -Match '^boxes\.csv row \d+ \(line \d+\)$'
            $records[-1].RecordType | Should -Be 'Completed'
        } finally {
            Remove-Item $dir -Recurse -Force -ErrorAction Ignore
        }
    }
}
