BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
}

Describe 'New-CocoDataset' {
    It 'fills info from parameters' {
        $ds = New-CocoDataset -Description 'chest x-rays' -Version '1.2' -Contributor 'radiology' -Url 'https://example.org' -Year 2026 -DateCreated '2026-11-25'
        $ds.Info.Description | Should -Be 'chest x-rays'
        $ds.Info.Version | Should -Be '1.2'
        $ds.Info.Contributor | Should -Be 'radiology'
        $ds.Info.Url | Should -Be 'https://example.org'
        $ds.Info.Year | Should -Be 2026
        $ds.Info.DateCreated | Should -Be '2026-11-25'
        $ds.Images.Count | Should -Be 0
    }

    It 'creates categories from names with ids from 1' {
        $ds = New-CocoDataset -Category nodule, mass, 'pleural effusion'
        $ds.Categories.Name | Should -Be @('nodule', 'mass', 'pleural effusion')
        $ds.Categories.Id | Should -Be @(1, 2, 3)
    }

    It 'creates keypoint and stuff categories from hashtables' {
        $ds = New-CocoDataset -Category @{ name = 'spine'; id = 5; supercategory = 'anatomy'; keypoints = 'C7', 'T1', 'T2'; skeleton = '1-2', '2-3' },
            @{ name = 'lung'; isthing = 0; color = 10, 20, 30 }
        $spine = $ds.Categories.FindByName('spine')
        $spine.Id | Should -Be 5
        $spine.Keypoints | Should -Be @('C7', 'T1', 'T2')
        $spine.Skeleton[1] | Should -Be @(2, 3)
        $lung = $ds.Categories.FindByName('lung')
        $lung.Id | Should -Be 6
        $lung.IsThing | Should -Be 0
        $lung.Color | Should -Be @(10, 20, 30)
    }

    It 'adds licences' {
        $ds = New-CocoDataset -License @{ id = 3; name = 'CC-BY 4.0'; url = 'https://creativecommons.org/licenses/by/4.0/' }
        $ds.Licenses[0].Id | Should -Be 3
        $ds.Licenses[0].Name | Should -Be 'CC-BY 4.0'
    }

    It 'refuses a duplicate category id before producing anything' {
        { New-CocoDataset -Category @{ name = 'a'; id = 1 }, @{ name = 'b'; id = 1 } -ErrorAction Stop } |
            Should -Throw -ErrorId 'DuplicateId,CocoTools.Commands.NewCocoDatasetCommand'
    }

    It 'refuses a category without a name' {
        { New-CocoDataset -Category @{ id = 1 } -ErrorAction Stop } |
            Should -Throw -ErrorId 'CategoryNameMissing,CocoTools.Commands.NewCocoDatasetCommand'
    }

    It 'prints as a one-line summary table, not a list of properties' {
        $text = New-CocoDataset -Category a, b | Out-String -Width 120
        $lines = @($text -split "`r?`n" | Where-Object { $_.Trim() })
        $lines.Count | Should -Be 3
        $lines[0] | Should -Match 'Images\s+Annotations\s+Categories\s+Kinds\s+Name/Source'
        $lines[2] | Should -Match '^\s+0\s+0\s+2\s+None\s+\(new\)'
    }
}
