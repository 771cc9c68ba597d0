BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')

    function New-SampleDataset {
        # The bundled DICOM samples with the bundled findings list: 7 images, 7 annotations, 2 categories.
        Push-Location $RepoRoot
        try {
            $ds = Add-CocoImage samples/dicom -BasePath samples -Frame First -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
            Add-CocoAnnotation $ds -CsvPath samples/annotations/findings.csv -WarningAction SilentlyContinue
            $ds
        } finally {
            Pop-Location
        }
    }
}

Describe 'Get-CocoImage, Get-CocoAnnotation, Get-CocoCategory' {
    BeforeEach {
        $ds = New-SampleDataset
    }

    It 'filters images from the pipeline, typed and ready for Export-Csv' {
        $ct = @($ds | Get-CocoImage -Modality CT)
        $ct.Count | Should -Be 1
        $ct[0] | Should -BeOfType ([CocoTools.Engine.Coco.CocoImage])
        $ct[0].FileName | Should -Be 'dicom/pydicom_CT_small.dcm'
        @($ds | Get-CocoImage -HasAnnotation $false).Count | Should -Be 3
        @($ds | Get-CocoImage -HasAnnotation $true).Count | Should -Be 4
        @($ds | Get-CocoImage -FileName '*MR*').FileName | Should -Be @('dicom/fodicom_mr_brucker.dcm', 'dicom/pydicom_MR_small.dcm')
        @($ds | Get-CocoImage -Category nodule).Count | Should -Be 3
        $csv = $ds | Get-CocoImage | Select-Object Id, FileName, Modality, AnnotationCount | ConvertTo-Csv
        $csv[1] | Should -Be '"1","dicom/fodicom_mr_brucker.dcm","MR","1"'
    }

    It 'reads a file with -Path' {
        (Get-CocoImage -Path (Join-Path $RepoRoot 'samples/viewer/seed-export-sample.json')).FileName | Should -Be '000045.dcm'
        (Get-CocoCategory -Path (Join-Path $RepoRoot 'samples/viewer/*.json') -Name '[cf]*').Name | Should -Be @('Car', 'freehan')
    }

    It 'filters annotations, whose objects belong to the dataset' {
        $nodules = @($ds | Get-CocoAnnotation -Category nodule)
        $nodules.Count | Should -Be 3
        $nodules.CategoryId | Sort-Object -Unique | Should -Be 1
        @($ds | Get-CocoAnnotation -ImageId 2).Count | Should -Be 2
        @($ds | Get-CocoAnnotation 1, 2).Id | Should -Be @(1, 2)
        @($ds | Get-CocoAnnotation -Kind Caption).Count | Should -Be 0
    }
}

Describe 'Get-CocoStatistic' {
    It 'counts and shows a compact histogram' {
        $ds = New-SampleDataset
        $stats = $ds | Get-CocoStatistic
        ($stats.PerCategory | ForEach-Object { "$($_.Name)=$($_.Count)/$($_.Images)" }) -join ' ' | Should -Be 'lesion=4/4 nodule=3/3'
        $stats.ImagesWithoutAnnotations | Should -Be 3
        ($stats.SizeBuckets | ForEach-Object Count) -join ',' | Should -Be '3,4,0'
        $text = $stats | Out-String -Width 120
        $text | Should -Match 'Annotations per category \(images\)'
        $text | Should -Match '  lesion 4 \(4\) #+'
        ($text -split "`n" | ForEach-Object { $_.TrimEnd().Length } | Measure-Object -Maximum).Maximum | Should -BeLessOrEqual 120
    }
}

Describe 'Merge-CocoDataset' {
    It 'merges piped datasets at the end, unifying categories and warning about conflicts' {
        $a = New-CocoDataset -Category nodule
        $null = $a.Images.AddNew([CocoTools.Engine.Coco.CocoImage]@{ FileName = 'x.png'; Width = 4; Height = 4 })
        $b = New-CocoDataset -Category Nodule, mass
        $null = $b.Images.AddNew([CocoTools.Engine.Coco.CocoImage]@{ FileName = 'x.png'; Width = 8; Height = 4 })
        $merged = @($a, $b | Merge-CocoDataset -CategoryMap @{ Nodule = 'nodule' } -WarningVariable w -WarningAction SilentlyContinue)
        $merged.Count | Should -Be 1
        $merged[0].Categories.Name | Should -Be @('nodule', 'mass')
        $merged[0].Images.Count | Should -Be 1
        $w.Count | Should -Be 1
        $w[0].Message | Should -BeLike '*x.png*8x4 instead of 4x4*'
    }

    It 'merges files' {
        $dir = Join-Path ([IO.Path]::GetTempPath()) ("cocotools-merge-" + [guid]::NewGuid().ToString('N').Substring(0, 8))
        New-Item -ItemType Directory -Path $dir | Out-Null
        try {
            New-SampleDataset | Export-CocoJson (Join-Path $dir 'a.json')
            Copy-Item (Join-Path $RepoRoot 'samples/viewer/seed-export-sample.json') (Join-Path $dir 'b.json')
            $merged = Merge-CocoDataset -Path (Join-Path $dir '*.json')
            "$merged" | Should -Be '8 images, 10 annotations, 5 categories (Detection)'
            $merged | Test-CocoFile -MinimumSeverity Error | Should -BeNullOrEmpty
        } finally {
            Remove-Item $dir -Recurse -Force -ErrorAction Ignore
        }
    }
    It 'merges files straight into -OutFile as they stream, to the bytes of a merge piped to Export-CocoJson' {
        $dir = Join-Path ([IO.Path]::GetTempPath()) ("cocotools-merge-" + [guid]::NewGuid().ToString('N').Substring(0, 8))
        New-Item -ItemType Directory -Path $dir | Out-Null
        try {
            $ds = New-SampleDataset
            # Two partials in file_name order, as shards write them.
            $names = @($ds.Images.FileName | Sort-Object -Unique)
            foreach ($part in 0, 1) {
                $keep = @($names | Where-Object { ([array]::IndexOf($names, $_) % 2) -eq $part })
                $partial = Merge-CocoDataset -InputObject $ds -OrderBy FileName
                $null = $partial.Images.RemoveWhere({ param($i) $i.FileName -notin $keep })
                $null = $partial.Annotations.RemoveWhere({ param($a) -not $partial.Images.Find($a.ImageId) })
                $partial | Export-CocoJson (Join-Path $dir "part-$part.json")
            }
            $parts = Join-Path $dir 'part-*.json'
            Merge-CocoDataset -Path $parts -OrderBy FileName | Export-CocoJson (Join-Path $dir 'in-memory.json') -Compress
            $out = Merge-CocoDataset -Path $parts -OrderBy FileName -OutFile (Join-Path $dir 'streamed.json') -Compress -Verbose 4>&1
            $file = $out | Where-Object { $_ -is [IO.FileInfo] }
            $file.Name | Should -Be 'streamed.json'
            "$($out | Where-Object { $_ -is [Management.Automation.VerboseRecord] })" | Should -BeLike '*, streaming:*'
            (Get-FileHash $file.FullName).Hash | Should -Be (Get-FileHash (Join-Path $dir 'in-memory.json')).Hash

            # -WhatIf writes nothing; -NoClobber keeps the file; -OutFile needs the canonical order.
            Merge-CocoDataset -Path $parts -OrderBy FileName -OutFile (Join-Path $dir 'whatif.json') -WhatIf
            Test-Path (Join-Path $dir 'whatif.json') | Should -BeFalse
            Merge-CocoDataset -Path $parts -OrderBy FileName -OutFile $file.FullName -NoClobber -ErrorAction SilentlyContinue -ErrorVariable clobber | Should -BeNullOrEmpty
            $clobber.Count | Should -Be 1
            { Merge-CocoDataset -Path $parts -OutFile (Join-Path $dir 'input-order.json') -ErrorAction Stop } | Should -Throw -ErrorId 'OutFileNeedsFileNameOrder,CocoTools.Commands.MergeCocoDatasetCommand'
        } finally {
            Remove-Item $dir -Recurse -Force -ErrorAction Ignore
        }
    }

    It 'names a broken partial and leaves no output file' {
        $dir = Join-Path ([IO.Path]::GetTempPath()) ("cocotools-merge-" + [guid]::NewGuid().ToString('N').Substring(0, 8))
        New-Item -ItemType Directory -Path $dir | Out-Null
        try {
            New-SampleDataset | Export-CocoJson (Join-Path $dir 'part-0.json')
            Set-Content -LiteralPath (Join-Path $dir 'part-1.json') -Value '{"images": [{"id": 1, "file_name": "a.png"'
            Merge-CocoDataset -Path (Join-Path $dir 'part-*.json') -OrderBy FileName -OutFile (Join-Path $dir 'merged.json') -ErrorAction SilentlyContinue -ErrorVariable failed | Should -BeNullOrEmpty
            $failed.Count | Should -Be 1
            $failed[0].FullyQualifiedErrorId | Should -BeLike 'JsonTruncated,*'
            "$($failed[0])" | Should -BeLike '*part-1.json*'
            @(Get-ChildItem $dir).Name | Should -Be @('part-0.json', 'part-1.json')
        } finally {
            Remove-Item $dir -Recurse -Force -ErrorAction Ignore
        }
    }
}

Describe 'Split-CocoDataset' {
    It 'emits named splits that keep every group together' {
        $ds = New-SampleDataset
        $splits = @($ds | Split-CocoDataset -Ratio 0.6, 0.2, 0.2 -GroupBy Patient -Seed 3)
        $splits.Name | Should -Be @('train', 'val', 'test')
        ($splits | ForEach-Object { $_.Images.Count } | Measure-Object -Sum).Sum | Should -Be $ds.Images.Count
        $byPatient = @{}
        foreach ($split in $splits) {
            foreach ($image in $split.Images) {
                # The patient hash, or the finer group of an image without Patient ID.
                $group = [CocoTools.Engine.Operations.DatasetSplitter]::GroupKey($image, 'Patient')
                if ($byPatient.ContainsKey($group)) { $byPatient[$group] | Should -Be $split.Name } else { $byPatient[$group] = $split.Name }
            }
        }
        ($ds | Split-CocoDataset -Seed 3 | ForEach-Object { $_.Images.Id -join ',' }) -join '|' | Should -Be (($ds | Split-CocoDataset -Seed 3 | ForEach-Object { $_.Images.Id -join ',' }) -join '|')
        ($splits | Out-String -Width 120) | Should -Match 'Detection\s+train'
    }

    It 'writes files with -OutputDirectory, honouring -WhatIf' {
        $dir = Join-Path ([IO.Path]::GetTempPath()) ("cocotools-split-" + [guid]::NewGuid().ToString('N').Substring(0, 8))
        try {
            $ds = New-SampleDataset
            $ds | Split-CocoDataset 0.5, 0.5 -OutputDirectory $dir -WhatIf 6>$null
            Test-Path $dir | Should -BeFalse
            $files = $ds | Split-CocoDataset 0.5, 0.5 -Name a, b -OutputDirectory $dir
            $files.Name | Should -Be @('a.json', 'b.json')
            (Import-CocoJson (Join-Path $dir 'a.json')).Images.Count + (Import-CocoJson (Join-Path $dir 'b.json')).Images.Count | Should -Be 7
        } finally {
            Remove-Item $dir -Recurse -Force -ErrorAction Ignore
        }
    }

    It 'reports a file where the output folder should be as OutputFolderFailed naming it, writing nothing' {
        $file = Join-Path ([IO.Path]::GetTempPath()) ("cocotools-split-" + [guid]::NewGuid().ToString('N').Substring(0, 8))
        try {
            Set-Content -LiteralPath $file -Value 'x'
            $files = New-SampleDataset | Split-CocoDataset 0.5, 0.5 -OutputDirectory $file -ErrorVariable err -ErrorAction SilentlyContinue
            $files | Should -BeNullOrEmpty
            $err.Count | Should -Be 1
            $err[0].FullyQualifiedErrorId | Should -Be 'OutputFolderFailed,CocoTools.Commands.SplitCocoDatasetCommand'
            $err[0].CategoryInfo.Category | Should -Be 'WriteError'
            $err[0].Exception.Message | Should -BeLike "$file*"
            Get-Content -LiteralPath $file | Should -Be 'x'
        } finally {
            Remove-Item $file -Force -ErrorAction Ignore
        }
    }

    It 'refuses a mismatch of names and ratios before writing anything' {
        { New-SampleDataset | Split-CocoDataset 0.5, 0.5 -Name a, b, c -ErrorAction Stop } | Should -Throw -ErrorId 'NameCountMismatch,CocoTools.Commands.SplitCocoDatasetCommand'
    }
}

Describe 'Remove-CocoAnnotation and Rename-CocoCategory' {
    BeforeEach {
        $ds = New-SampleDataset
    }

    It 'removes piped annotations from their dataset, with -WhatIf and -PassThru' {
        $ds | Get-CocoAnnotation -Category lesion | Remove-CocoAnnotation -WhatIf 6>$null
        $ds.Annotations.Count | Should -Be 7
        $removed = @($ds | Get-CocoAnnotation -Category lesion | Remove-CocoAnnotation -PassThru -Confirm:$false)
        $removed.Count | Should -Be 4
        $ds.Annotations.Count | Should -Be 3
        $removed[0] | Remove-CocoAnnotation -Confirm:$false -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -Be 'AnnotationNotInDataset,CocoTools.Commands.RemoveCocoAnnotationCommand'
    }

    It 'removes by filter and refuses to remove without one' {
        Remove-CocoAnnotation $ds -ImageId 2 -Confirm:$false
        $ds.Annotations.ImageId | Should -Not -Contain 2
        { Remove-CocoAnnotation $ds -ErrorAction Stop } | Should -Throw -ErrorId 'NoSelection,CocoTools.Commands.RemoveCocoAnnotationCommand'
    }

    It 'renames, and merges into an existing name only with -Merge' {
        $ds | Rename-CocoCategory lesion nodule -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -Be 'CategoryExists,CocoTools.Commands.RenameCocoCategoryCommand'
        $kept = $ds | Rename-CocoCategory lesion nodule -Merge -PassThru -Confirm:$false
        $kept.Id | Should -Be 1
        $ds.Categories.Name | Should -Be 'nodule'
        @($ds.Annotations | Where-Object CategoryId -eq 1).Count | Should -Be 7
        ($ds | Rename-CocoCategory nodule finding -PassThru).Name | Should -Be 'finding'
    }
}
