BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $script:Crashes = Join-Path $RepoRoot 'tests/fixtures/fuzz-crashes'
    $script:Hostile = Join-Path $RepoRoot 'tests/fixtures/hostile'
    $script:GoodDicom = Join-Path $Hostile 'good-4x4.dcm'

    function Invoke-Hostile {
        # Runs a command, collecting every error it reports: non-terminating ones and a terminating one.
        param([Parameter(Mandatory)] [scriptblock] $Command)
        $errors = [System.Collections.Generic.List[System.Management.Automation.ErrorRecord]]::new()
        $output = [System.Collections.Generic.List[object]]::new()
        try {
            # Errors merged into the output stream, then sorted out: what a script with 2>&1 would see.
            foreach ($item in & { $ErrorActionPreference = 'Continue'; $WarningPreference = 'SilentlyContinue'; & $Command } 2>&1) {
                if ($item -is [System.Management.Automation.ErrorRecord]) { $errors.Add($item) } else { $output.Add($item) }
            }
        } catch {
            $errors.Add($_)
        }
        [pscustomobject]@{ Output = $output; Errors = $errors }
    }

    function Assert-ModuleErrors {
        # Every error is an ErrorRecord whose id is a CocoTools error id raised by a CocoTools cmdlet: a stable
        # word (not a .NET exception type name) before ",CocoTools.Commands.<Verb><Noun>Command".
        param([System.Collections.Generic.List[System.Management.Automation.ErrorRecord]] $Errors, [string] $What)
        foreach ($e in $Errors) {
            $id = $e.FullyQualifiedErrorId
            $id | Should -Match '^[A-Z][A-Za-z0-9]+,CocoTools\.Commands\.[A-Za-z]+Command$' -Because "$What gave '$id': $($e.Exception.GetType().FullName): $($e.Exception.Message)"
            ($id -split ',')[0] | Should -Not -Match 'Exception$' -Because "$What gave the raw exception id '$id'"
            $e.Exception | Should -Not -BeOfType [System.AggregateException] -Because $What
        }
    }

    function New-TempDir {
        $path = Join-Path ([IO.Path]::GetTempPath()) ('cocotools-hostile-' + [guid]::NewGuid().ToString('N').Substring(0, 8))
        New-Item -ItemType Directory -Path $path | Out-Null
        $path
    }

    $script:HostileFiles = @(Get-ChildItem $Crashes -Recurse -File | Where-Object Name -NotLike '.*' | ForEach-Object FullName)
}

Describe 'Hostile input: the defects of issue 19, through the cmdlets' {
    BeforeEach { $dir = New-TempDir }
    AfterEach { Remove-Item -LiteralPath $dir -Recurse -Force -ErrorAction Ignore }

    It 'Add-CocoImage: a file with a TIFF header is its own error and the rest of the folder is added (ThrottleLimit <Throttle>)' -TestCases @(
        @{ Throttle = 1 }, @{ Throttle = 4 }
    ) {
        param($Throttle)
        # Without strips: ImageSharp 2.1's TIFF identification threw, and Add-CocoImage stopped with an AggregateException.
        Copy-Item (Join-Path $Crashes 'raster/tiff-header-without-strips.bin') (Join-Path $dir 'a-preamble.dcm')
        Copy-Item $GoodDicom (Join-Path $dir 'b-good.dcm')
        Copy-Item (Join-Path $RepoRoot 'samples/dicom/pydicom_CT_small.dcm') (Join-Path $dir 'c-ct.dcm')
        $r = Invoke-Hostile { Add-CocoImage -Path (Join-Path $dir '*.dcm') -BasePath $dir -ThrottleLimit $Throttle }
        Assert-ModuleErrors $r.Errors 'Add-CocoImage'
        @($r.Errors).Count | Should -Be 1
        $r.Errors[0].FullyQualifiedErrorId | Should -BeLike 'ImageCorrupt,*'
        $r.Errors[0].TargetObject | Should -BeLike '*a-preamble.dcm'
        $r.Output.Images.FileName | Sort-Object | Should -Be @('b-good.dcm', 'c-ct.dcm')
    }

    It 'Add-CocoImage: frames the pixel data cannot hold and a file cut before its pixels are errors that say so' {
        Copy-Item (Join-Path $Crashes 'dicom/frames-bomb-100000x65535x65535.dcm') (Join-Path $dir 'bomb.dcm')
        Copy-Item (Join-Path $Crashes 'dicom/truncated-before-pixel-data.dcm') (Join-Path $dir 'cut.dcm')
        $r = Invoke-Hostile { Add-CocoImage -LiteralPath (Join-Path $dir 'bomb.dcm'), (Join-Path $dir 'cut.dcm') -BasePath $dir }
        Assert-ModuleErrors $r.Errors 'Add-CocoImage'
        ($r.Errors.FullyQualifiedErrorId | ForEach-Object { ($_ -split ',')[0] } | Sort-Object) | Should -Be @('DicomFramesExceedPixelData', 'DicomTruncated')
        ($r.Errors | Where-Object FullyQualifiedErrorId -Like 'DicomTruncated,*').Exception.Message | Should -Match 'ends at byte \d+ after element \(0028,0100\)'
        $r.Output[0].Images.Count | Should -Be 0
    }

    It 'Export-CocoMask: images past the size limit are refused by name and the next image is written (<Kind>)' -TestCases @(
        @{ Kind = 'Binary' }, @{ Kind = 'Semantic' }, @{ Kind = 'Instance' }, @{ Kind = 'Panoptic' }
    ) {
        param($Kind)
        $ds = Import-CocoJson (Join-Path $Hostile 'huge-masks.json')
        $r = Invoke-Hostile { $ds | Export-CocoMask (Join-Path $dir 'masks') -Kind $Kind -PassThru }
        Assert-ModuleErrors $r.Errors 'Export-CocoMask'
        ($r.Errors.FullyQualifiedErrorId | ForEach-Object { ($_ -split ',')[0] }) | Should -Be @('ImageTooLarge', 'ImageTooLarge')
        $r.Errors[0].Exception.Message | Should -Match '46341x46341'
        @($r.Output).Count | Should -Be 1
        Test-Path (Join-Path $dir 'masks/small.png') | Should -BeTrue
    }

    It 'Export-CocoMask -MaxPixels lowers the limit for one call' {
        $doc = Get-Content (Join-Path $Hostile 'huge-masks.json') -Raw | ConvertFrom-Json
        $doc.images = @($doc.images | Where-Object id -EQ 3)
        $doc.annotations = @($doc.annotations | Where-Object image_id -EQ 3)
        $doc | ConvertTo-Json -Depth 6 | Set-Content (Join-Path $dir 'small.json')
        $ds = Import-CocoJson (Join-Path $dir 'small.json')
        $r = Invoke-Hostile { $ds | Export-CocoMask $dir -Kind Binary -MaxPixels 63 }
        $r.Errors[0].FullyQualifiedErrorId | Should -Be 'ImageTooLarge,CocoTools.Commands.ExportCocoMaskCommand'
        $r = Invoke-Hostile { $ds | Export-CocoMask $dir -Kind Binary -MaxPixels 64 }
        @($r.Errors).Count | Should -Be 0
    }

    It 'Import-CocoJson and Test-CocoFile: invalid UTF-8 is a located JsonSyntax error' {
        $file = Join-Path $Crashes 'coco-json/invalid-utf8-in-file-name.json'
        $r = Invoke-Hostile { Import-CocoJson -LiteralPath $file }
        Assert-ModuleErrors $r.Errors 'Import-CocoJson'
        $r.Errors[0].FullyQualifiedErrorId | Should -BeLike 'JsonSyntax,*'
        $r.Errors[0].Exception.Message | Should -Match ':3:\d+.*not UTF-8'
        $finding = Test-CocoFile -LiteralPath $file | Where-Object RuleId -EQ 'COCO1001'
        $finding.Line | Should -Be 3
        $finding.Message | Should -Match 'not UTF-8'
    }

    It 'Split-CocoDataset: names that are paths stay inside -OutputDirectory' {
        $ds = Import-CocoJson $AllKinds
        $out = Join-Path $dir 'a/b'
        $token = Split-Path $dir -Leaf
        $r = Invoke-Hostile { $ds | Split-CocoDataset 1, 1, 1, 1 -Name '../../x', "/tmp/$token", "nul`0name", 'CON' -GroupBy Image -OutputDirectory $out }
        Assert-ModuleErrors $r.Errors 'Split-CocoDataset'
        @($r.Errors).Count | Should -Be 0
        $r.Output.Name | Should -Be @('_.._x.json', "_tmp_$token.json", 'nul_name.json', '_CON.json')
        $r.Output.DirectoryName | Select-Object -Unique | Should -Be $out
        Get-ChildItem $dir -Recurse -File | ForEach-Object DirectoryName | Select-Object -Unique | Should -Be $out
        Test-Path "/tmp/$token.json" | Should -BeFalse
    }

    It 'Add-CocoAnnotation -CsvPath: invalid UTF-8 is a warning with row and column, an error under -Strict' {
        $csv = Join-Path $Crashes 'csv/invalid-utf8-latin1.csv'
        $ds = New-CocoDataset
        $null = Add-CocoAnnotation $ds -CsvPath $csv -AddMissingImage -WarningVariable warned -WarningAction SilentlyContinue
        $warned.Message | Should -Contain "invalid-utf8-latin1.csv row 2 (line 3), column 'category' (field 2): bytes that are not UTF-8, read as U+FFFD; save the list as UTF-8."
        $strict = New-CocoDataset
        $r = Invoke-Hostile { Add-CocoAnnotation $strict -CsvPath $csv -AddMissingImage -Strict }
        Assert-ModuleErrors $r.Errors 'Add-CocoAnnotation'
        $r.Errors[0].FullyQualifiedErrorId | Should -Be 'CsvInvalidUtf8,CocoTools.Commands.AddCocoAnnotationCommand'
        $ds.Categories.Name | Should -Be @('nodule', "n$([char]0xFFFD)dule")
        $strict.Categories.Name | Should -Be @('nodule')
    }
}

Describe 'Hostile input: every cmdlet, every crasher, only CocoTools error ids' {
    BeforeAll {
        $script:dir = New-TempDir
        # A dataset whose images are the hostile files themselves, for the cmdlets that read images from a dataset.
        $images = for ($i = 0; $i -lt $HostileFiles.Count; $i++) {
            @{ id = $i + 1; width = 4; height = 4; file_name = [IO.Path]::GetRelativePath($Crashes, $HostileFiles[$i]).Replace('\', '/') }
        }
        $json = @{ images = @($images) + @(@{ id = 1000; width = 4; height = 4; file_name = '../hostile/good-4x4.dcm' }); annotations = @(); categories = @(@{ id = 1; name = '../../evil' }, @{ id = 2; name = "nul`0" }) } | ConvertTo-Json -Depth 5
        $script:imagesJson = Join-Path $dir 'hostile-images.json'
        Set-Content -LiteralPath $imagesJson -Value $json -Encoding utf8
    }
    AfterAll { Remove-Item -LiteralPath $dir -Recurse -Force -ErrorAction Ignore }

    It 'Add-CocoImage reads every crasher as a per-file error, and the good file among them is added' {
        $r = Invoke-Hostile { Add-CocoImage -LiteralPath ($HostileFiles + $GoodDicom) -BasePath $RepoRoot }
        Assert-ModuleErrors $r.Errors 'Add-CocoImage'
        $r.Output.Images.FileName | Should -Contain 'tests/fixtures/hostile/good-4x4.dcm'
    }

    It 'Import-CocoJson, Test-CocoFile, Get-CocoStatistic, Get-CocoImage, Merge-CocoDataset on every crasher' {
        foreach ($file in $HostileFiles) {
            foreach ($command in @(
                    { Import-CocoJson -LiteralPath $file },
                    { Test-CocoFile -LiteralPath $file },
                    { Get-CocoStatistic -Path $file },
                    { Get-CocoImage -Path $file },
                    { Merge-CocoDataset -Path $file, $AllKinds })) {
                $r = Invoke-Hostile $command
                Assert-ModuleErrors $r.Errors "$command on $file"
            }
        }
    }

    It 'Add-CocoAnnotation -CsvPath on every crasher, then rows of hostile values' {
        foreach ($file in $HostileFiles) {
            $r = Invoke-Hostile { Add-CocoAnnotation (New-CocoDataset) -CsvPath $file -AddMissingImage -ImageRoot $dir }
            Assert-ModuleErrors $r.Errors "Add-CocoAnnotation -CsvPath $file"
        }
        $ds = Import-CocoJson $AllKinds
        $rows = @(
            [pscustomobject]@{ image_id = 1; category = "../..`0/CON"; bbox = '[1e308, -1e308, 1e308, NaN]' }
            [pscustomobject]@{ image_id = 1; category = 'x'; segmentation = '[[0,0,1e30,0,1e30,1e30]]' }
            [pscustomobject]@{ image_id = 1; category = 'x'; EncodedPixels = '1 4294967295 4294967295 5' }
            [pscustomobject]@{ image_id = 1; category = 'x'; counts = '!!!!'; segmentation = $null }
            [pscustomobject]@{ image_id = 'http://[::1'; category = 'x'; bbox = '[1,2,3,4]' }
        )
        $r = Invoke-Hostile { $rows | Add-CocoAnnotation $ds }
        Assert-ModuleErrors $r.Errors 'Add-CocoAnnotation rows'
    }

    It 'Export-CocoImage, Export-CocoMask, Export-CocoJson, Split-CocoDataset and the query cmdlets on a dataset of hostile files' {
        $ds = Import-CocoJson $imagesJson
        $r = Invoke-Hostile { $ds | Export-CocoImage (Join-Path $dir 'png') -ImageRoot $Crashes -ThrottleLimit 2 }
        Assert-ModuleErrors $r.Errors 'Export-CocoImage'
        Test-Path (Join-Path $dir 'png/good-4x4.png') | Should -BeTrue
        $ds = Import-CocoJson $imagesJson
        foreach ($command in @(
                { $ds | Export-CocoMask (Join-Path $dir 'masks') -Kind Panoptic },
                { $ds | Export-CocoJson (Join-Path $dir "out`0.json") },
                { $ds | Export-CocoJson (Join-Path $dir 'out.json') -SegmentationFormat Rle },
                { $ds | Split-CocoDataset -Name "..`0", '/' -Ratio 1, 1 -OutputDirectory (Join-Path $dir 'split') },
                { $ds | Get-CocoAnnotation -Category '../../evil' },
                { $ds | Get-CocoCategory -Name "nul`0" },
                { $ds | Rename-CocoCategory '../../evil' "CON`0" },
                { Remove-CocoAnnotation $ds -Category 'nope' -Confirm:$false })) {
            $r = Invoke-Hostile $command
            Assert-ModuleErrors $r.Errors "$command"
        }
        Get-ChildItem $dir -Recurse -File | Where-Object { -not $_.FullName.StartsWith($dir) } | Should -BeNullOrEmpty
    }
}
