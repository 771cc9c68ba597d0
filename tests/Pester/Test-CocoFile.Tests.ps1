BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
}

Describe 'Test-CocoFile' {
    BeforeEach {
        $dir = Join-Path ([IO.Path]::GetTempPath()) ("cocotools-pester-" + [guid]::NewGuid().ToString('N').Substring(0, 8))
        New-Item -ItemType Directory -Path $dir -Force | Out-Null
        $good = Join-Path $dir 'good.json'
        Set-Content -LiteralPath $good -Value '{"images": [{"id": 1, "width": 8, "height": 8, "file_name": "a.png"}], "annotations": [{"id": 1, "image_id": 1, "category_id": 1, "bbox": [1, 1, 2, 2], "area": 4, "iscrowd": 0}], "categories": [{"id": 1, "name": "a"}]}'
        $bad = Join-Path $dir 'bad.json'
        Set-Content -LiteralPath $bad -Value @(
            '{"images": [{"id": 1, "width": 8, "height": 8, "file_name": "a.png"}],'
            ' "annotations": [{"id": 1, "image_id": 2, "category_id": 1, "bbox": [1, 1, 2, 2], "area": 4, "iscrowd": 0}],'
            ' "categories": [{"id": 1, "name": "a"}]}'
        )
    }
    AfterEach {
        Remove-Item -LiteralPath $dir -Recurse -Force -ErrorAction Ignore
    }

    It 'emits one located finding object per problem' {
        $findings = @(Test-CocoFile $bad)
        $f = $findings | Where-Object RuleId -eq 'COCO1202'
        $f | Should -BeOfType ([CocoTools.Engine.Validation.CocoFinding])
        $f.File | Should -Be $bad
        $f.Severity | Should -Be 'Error'
        $f.Pointer | Should -Be '/annotations/0/image_id'
        "$($f.Line):$($f.Column)" | Should -Be '2:40'
        $f.Message | Should -Be 'image_id 2 is not the id of any image.'
        $findings.RuleId | Should -Contain 'COCO1905'
    }

    It 'takes wildcards and pipeline input, and -Quiet gives one boolean per file' {
        @(Test-CocoFile (Join-Path $dir '*.json') -Quiet) | Should -Be @($false, $true)
        @(Get-ChildItem $dir -Filter *.json | Test-CocoFile -Quiet) | Should -Be @($false, $true)
        Test-CocoFile -LiteralPath $good | Should -BeNullOrEmpty
    }

    It 'filters by rule and severity' {
        (Test-CocoFile $bad -Rule UnknownImage).RuleId | Should -Be 'COCO1202'
        (Test-CocoFile $bad -ExcludeRule COCO1202, COCO1905) | Should -BeNullOrEmpty
        (Test-CocoFile $bad -MinimumSeverity Error).RuleId | Should -Be 'COCO1202'
    }

    It 'refuses an unknown rule before reading anything' {
        { Test-CocoFile $bad -Rule COCO0000 -ErrorAction Stop } | Should -Throw -ErrorId 'UnknownRule,CocoTools.Commands.TestCocoFileCommand'
    }

    It 'reports a missing file as an error and goes on' {
        $out = @(Test-CocoFile (Join-Path $dir 'nope.json'), $good -Quiet -ErrorVariable err -ErrorAction SilentlyContinue)
        $out | Should -Be @($true)
        $err.Count | Should -Be 1
        $err[0].Exception.Message | Should -BeLike '*nope.json*'
    }

    It 'checks a dataset in memory with the same rules' {
        # Add-CocoAnnotation refuses such a box, so the defect is made through the object model.
        $ds = New-CocoDataset -Category a
        $null = $ds.Images.AddNew([CocoTools.Engine.Coco.CocoImage]@{ FileName = 'a.png'; Width = 8; Height = 8 })
        $null = $ds.Annotations.AddNew([CocoTools.Engine.Coco.CocoAnnotation]@{ ImageId = 1; CategoryId = 1; Bbox = [CocoTools.Engine.Coco.CocoBox]::new(1, 1, 20, 2); IsCrowd = 0 })
        $f = $ds | Test-CocoFile
        $f.RuleId | Should -Be 'COCO1402'
        $f.Pointer | Should -Be '/annotations/0/bbox'
        $ds | Test-CocoFile -Quiet | Should -BeTrue   # a Warning only
    }

    It 'shows findings as a table grouped by file' {
        $text = Test-CocoFile $bad | Out-String -Width 120
        $text | Should -Match 'File: .*bad\.json'
        $text | Should -Match 'Error\s+COCO1202\s+2:40\s+/annotations/0/image_id'
        ($text -split "`n" | ForEach-Object { $_.TrimEnd().Length } | Measure-Object -Maximum).Maximum | Should -BeLessOrEqual 120
    }

    It 'completes rule ids from ids and names' {
        $line = 'Test-CocoFile x.json -Rule Bbox'
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be @('COCO1401', 'COCO1402', 'COCO1403')
        $line = 'Test-CocoFile x.json -ExcludeRule COCO17'
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be @('COCO1701', 'COCO1702', 'COCO1703')
    }

    It 'passes every COCO file the Demo writes (no Error finding)' {
        $demo = Join-Path $dir 'demo'
        New-Item -ItemType Directory -Path $demo | Out-Null
        # In its own pwsh, as build.ps1 Demo runs it (it writes tables to the host).
        $null = & dotnet (Join-Path $PSHOME 'pwsh.dll') -NoProfile -NonInteractive -File (Join-Path $RepoRoot 'samples/Invoke-Demo.ps1') -ModulePath $ModulePath -OutputDirectory $demo
        $LASTEXITCODE | Should -Be 0
        $files = Get-ChildItem $demo -Filter *.json
        $files.Count | Should -BeGreaterOrEqual 3
        $errors = $files | Test-CocoFile -MinimumSeverity Error
        $errors | Should -BeNullOrEmpty
    }

    # /proc/self/mem opens but every read at offset 0 fails with EIO: a real file whose read fails, even as root.
    It 'reports a file whose read fails as FileReadFailed naming it, then goes on with the next file' -Skip:(-not (Test-Path -LiteralPath '/proc/self/mem')) {
        $results = @(Test-CocoFile -LiteralPath '/proc/self/mem', $good -Quiet -ErrorVariable err -ErrorAction SilentlyContinue)
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -Be 'FileReadFailed,CocoTools.Commands.TestCocoFileCommand'
        $err[0].CategoryInfo.Category | Should -Be 'ReadError'
        $err[0].Exception.Message | Should -BeLike '/proc/self/mem*'
        $results | Should -Be @($true)
    }
}
