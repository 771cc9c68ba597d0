BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
}

Describe 'Import-CocoJson' {
    BeforeEach {
        $dir = Join-Path ([IO.Path]::GetTempPath()) ("cocotools-pester-" + [guid]::NewGuid().ToString('N').Substring(0, 8))
        New-Item -ItemType Directory -Path $dir | Out-Null
    }
    AfterEach {
        Remove-Item -LiteralPath $dir -Recurse -Force -ErrorAction Ignore
    }

    It 'repairs the viewer export and reports each kind of repair once with its count' {
        $ds = Import-CocoJson -Path $SeedSample -WarningVariable warnings -WarningAction SilentlyContinue
        $ds.Images.Count | Should -Be 1
        $ds.Annotations.Count | Should -Be 3
        $ds.Categories.Name | Should -Be @('polygon', 'Car', 'freehan')
        $warnings.Count | Should -Be 9
        $warnings[0].Message | Should -BeLike '*repaired 1 x StringImageId*'
        ($warnings | Where-Object Message -like '*6 x FlatSegmentation*').Count | Should -Be 1
        $ds.Repairs.Kind | Should -Contain 'AttributeRecord'
        $ds.SourceFlavor | Should -Be 'Viewer'
    }

    It 'with -Strict refuses the viewer export with a located error and emits nothing' {
        $ds = Import-CocoJson -Path $SeedSample -Strict -ErrorVariable err -ErrorAction SilentlyContinue
        $ds | Should -BeNullOrEmpty
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -Be 'ViewerFlavor,CocoTools.Commands.ImportCocoJsonCommand'
        $err[0].CategoryInfo.Category | Should -Be 'InvalidData'
        $err[0].TargetObject | Should -Be $SeedSample
        $err[0].Exception.Message | Should -BeLike "$SeedSample`:7:*at /images/0/id:*"
    }

    It 'reads a standard file without warnings' {
        $ds = Import-CocoJson -Path $AllKinds -WarningVariable warnings
        $warnings.Count | Should -Be 0
        $ds.Annotations.Count | Should -Be 6
        $ds.PanopticAnnotations.Count | Should -Be 1
        $ds.SourcePath | Should -Be $AllKinds
    }

    It 'expands wildcards and takes files from Get-ChildItem' {
        Copy-Item $AllKinds (Join-Path $dir 'a.json')
        Copy-Item $AllKinds (Join-Path $dir 'b.json')
        (Import-CocoJson -Path (Join-Path $dir '*.json')).Count | Should -Be 2
        (Get-ChildItem $dir -Filter *.json | Import-CocoJson).Count | Should -Be 2
    }

    It 'takes -LiteralPath names with wildcard characters' {
        $odd = Join-Path $dir 'set[1].json'
        Copy-Item -LiteralPath $AllKinds -Destination $odd
        (Import-CocoJson -LiteralPath $odd).Images.Count | Should -Be 3
    }

    It 'resolves relative paths against the current location' {
        Copy-Item $AllKinds (Join-Path $dir 'rel.json')
        Push-Location $dir
        try {
            (Import-CocoJson rel.json).SourcePath | Should -Be (Join-Path $dir 'rel.json')
        } finally {
            Pop-Location
        }
    }

    It 'reports a bad file with its location and goes on with the rest of the batch' {
        Set-Content -LiteralPath (Join-Path $dir 'a-bad.json') -Value "{`n  `"images`": [{`"id`": 1, `"width`": `"wide`"}]`n}"
        Copy-Item $AllKinds (Join-Path $dir 'b-good.json')
        $ds = Get-ChildItem $dir | Sort-Object Name | Import-CocoJson -ErrorVariable err -ErrorAction SilentlyContinue
        @($ds).Count | Should -Be 1
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -Be 'JsonType,CocoTools.Commands.ImportCocoJsonCommand'
        $err[0].Exception.Message | Should -Match 'a-bad\.json:2:\d+ at /images/0/width: expected an integer, found the string "wide"'
    }

    It 'stops at the first bad file with -ErrorAction Stop' {
        Set-Content -LiteralPath (Join-Path $dir 'bad.json') -Value '{"images": ['
        { Import-CocoJson -Path (Join-Path $dir 'bad.json') -ErrorAction Stop } | Should -Throw -ErrorId 'JsonTruncated,CocoTools.Commands.ImportCocoJsonCommand'
    }

    It 'reports a path that does not exist' {
        Import-CocoJson -Path (Join-Path $dir 'missing.json') -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -Be 'PathNotFound,CocoTools.Commands.ImportCocoJsonCommand'
    }
}
