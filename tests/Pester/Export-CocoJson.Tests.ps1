BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
}

Describe 'Export-CocoJson' {
    BeforeEach {
        $dir = Join-Path ([IO.Path]::GetTempPath()) ("cocotools-pester-" + [guid]::NewGuid().ToString('N').Substring(0, 8))
        New-Item -ItemType Directory -Path $dir | Out-Null
        $out = Join-Path $dir 'out.json'
    }
    AfterEach {
        Remove-Item -LiteralPath $dir -Recurse -Force -ErrorAction Ignore
    }

    It 'writes the viewer flavour back equal to the original, member for member' {
        Import-CocoJson $SeedSample -WarningAction SilentlyContinue | Export-CocoJson $out -Flavor Viewer
        Test-JsonFileEqual -Expected $SeedSample -Actual $out | Should -BeTrue
    }

    It 'writes standard COCO that pycocotools loads' {
        Import-CocoJson $SeedSample -WarningAction SilentlyContinue | Export-CocoJson $out
        $lines = Invoke-Python -Script 'import sys; from pycocotools.coco import COCO; c = COCO(sys.argv[1]); print(len(c.imgs), len(c.anns), [c.cats[i]["name"] for i in sorted(c.cats)])' -Arguments $out
        $lines[-1] | Should -Be "1 3 ['polygon', 'Car', 'freehan']"
    }

    It 'writes the same bytes for the same dataset' {
        $ds = Import-CocoJson $AllKinds
        $ds | Export-CocoJson $out
        $ds | Export-CocoJson (Join-Path $dir 'again.json')
        (Get-FileHash $out).Hash | Should -Be (Get-FileHash (Join-Path $dir 'again.json')).Hash
    }

    It 'writes culture-invariant numbers under de-DE' {
        $previous = [cultureinfo]::CurrentCulture
        try {
            [cultureinfo]::CurrentCulture = 'de-DE'
            Import-CocoJson $AllKinds | Export-CocoJson $out -Compress
        } finally {
            [cultureinfo]::CurrentCulture = $previous
        }
        $text = Get-Content $out -Raw
        $text | Should -Match '\[30\.25,30\.5,40\.125,30,35,45\]'
        $text | Should -Match '"score":0\.875'
        $text | Should -Not -Match '0,875|200,5'
    }

    It '-Compress writes one line' {
        Import-CocoJson $AllKinds | Export-CocoJson $out -Compress
        @(Get-Content $out).Count | Should -Be 1
    }

    It '-WhatIf writes nothing' {
        Import-CocoJson $AllKinds | Export-CocoJson $out -WhatIf
        Test-Path $out | Should -BeFalse
    }

    It '-NoClobber keeps an existing file and says so' {
        Set-Content $out 'keep me'
        Import-CocoJson $AllKinds | Export-CocoJson $out -NoClobber -ErrorVariable err -ErrorAction SilentlyContinue
        Get-Content $out | Should -Be 'keep me'
        $err[0].FullyQualifiedErrorId | Should -Be 'FileExists,CocoTools.Commands.ExportCocoJsonCommand'
    }

    It '-PassThru emits the written file' {
        $file = Import-CocoJson $AllKinds | Export-CocoJson $out -PassThru
        $file | Should -BeOfType [System.IO.FileInfo]
        $file.FullName | Should -Be $out
    }

    It 'resolves a relative path against the current location' {
        Push-Location $dir
        try {
            Import-CocoJson $AllKinds | Export-CocoJson 'rel.json'
        } finally {
            Pop-Location
        }
        Test-Path (Join-Path $dir 'rel.json') | Should -BeTrue
    }

    It 'leaves the previous file intact when writing fails part-way' {
        Set-Content $out 'previous'
        $ds = Import-CocoJson $AllKinds
        $ds.Annotations.Find(15).Score = [double]::NaN
        $ds | Export-CocoJson $out -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -Be 'NonFiniteNumber,CocoTools.Commands.ExportCocoJsonCommand'
        $err[0].Exception.Message | Should -BeLike '*annotation 15: score*'
        Get-Content $out | Should -Be 'previous'
        @(Get-ChildItem $dir -Force).Count | Should -Be 1
    }

    It 'refuses a second dataset for the same file, keeping the first' {
        $a = New-CocoDataset -Description first
        $b = New-CocoDataset -Description second
        $a, $b | Export-CocoJson $out -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -Be 'MultipleDatasetsForOneFile,CocoTools.Commands.ExportCocoJsonCommand'
        (Import-CocoJson $out).Info.Description | Should -Be 'first'
    }

    It 'reports a folder where the file should be as FileWriteFailed naming the path, leaving the folder' {
        New-Item -ItemType Directory -Path $out | Out-Null
        New-CocoDataset | Export-CocoJson $out -ErrorVariable err -ErrorAction SilentlyContinue
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -Be 'FileWriteFailed,CocoTools.Commands.ExportCocoJsonCommand'
        $err[0].CategoryInfo.Category | Should -Be 'WriteError'
        $err[0].Exception.Message | Should -BeLike "$out*"
        Test-Path -LiteralPath $out -PathType Container | Should -BeTrue
    }

    It 'reports a file where the output folder should be as OutputFolderFailed naming the folder' {
        $file = Join-Path $dir 'plain'
        Set-Content -LiteralPath $file -Value 'x'
        New-CocoDataset | Export-CocoJson (Join-Path $file 'out.json') -ErrorVariable err -ErrorAction SilentlyContinue
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -Be 'OutputFolderFailed,CocoTools.Commands.ExportCocoJsonCommand'
        $err[0].Exception.Message | Should -BeLike "$file*"
        Get-Content -LiteralPath $file | Should -Be 'x'
    }
}
