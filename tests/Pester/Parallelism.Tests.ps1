# -ThrottleLimit (issue 21): the same bytes, the same output and the same errors, in input order, for 1 and 4 workers.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $samples = Join-Path $SharedDir 'dicom-samples'

    function Get-FolderHashes {
        # name=sha256 of every file under a folder, sorted by name.
        param([string] $Path)
        @(Get-ChildItem -LiteralPath $Path -Recurse -File | Sort-Object { $_.FullName.Substring($Path.Length) } -Culture ([cultureinfo]::InvariantCulture) |
            ForEach-Object { $_.FullName.Substring($Path.Length) + '=' + (Get-FileHash -LiteralPath $_.FullName -Algorithm SHA256).Hash })
    }

    function Get-ErrorLines {
        # Each error as its id and the item it names, in the order written.
        param($Errors)
        @($Errors | ForEach-Object { "$($_.FullyQualifiedErrorId) | $($_.TargetObject)" })
    }
}

Describe '-ThrottleLimit' {
    BeforeEach {
        $dir = Join-Path ([IO.Path]::GetTempPath()) ("cocotools-parallel-" + [guid]::NewGuid().ToString('N').Substring(0, 8))
        New-Item -ItemType Directory -Path $dir | Out-Null
    }
    AfterEach {
        Remove-Item -LiteralPath $dir -Recurse -Force -ErrorAction Ignore
    }

    It 'is validated: 0 is refused' -ForEach @(
        @{ Command = { Export-CocoMask -InputObject (New-CocoDataset) -OutputDirectory $dir -Kind Binary -ThrottleLimit 0 } }
        @{ Command = { Test-CocoFile -LiteralPath $AllKinds -ThrottleLimit 0 } }
        @{ Command = { Add-CocoImage -LiteralPath $samples -ThrottleLimit 0 } }
    ) {
        { & $Command } | Should -Throw -ErrorId 'ParameterArgumentValidationError*'
    }

    It 'Add-CocoImage and Export-CocoImage: the same dataset, PNGs and errors in input order for 1 and 4 workers; a bad file does not stop the rest' {
        $runs = foreach ($n in 1, 4) {
            $err = $null; $warn = $null
            $ds = Add-CocoImage -LiteralPath $samples -BasePath $SharedDir -PatientSalt 'parallel-test' -ThrottleLimit $n -ErrorVariable err -ErrorAction SilentlyContinue -WarningVariable warn -WarningAction SilentlyContinue
            $addErrors = Get-ErrorLines $err
            $err2 = $null
            $null = $ds | Export-CocoImage (Join-Path $dir "png$n") -ImageRoot $SharedDir -ThrottleLimit $n -ErrorVariable err2 -ErrorAction SilentlyContinue
            $ds | Export-CocoJson (Join-Path $dir "images$n.json")
            [pscustomobject]@{
                AddErrors = @($addErrors); Warnings = @($warn | ForEach-Object { "$_" }); ExportErrors = @(Get-ErrorLines $err2)
                Json = (Get-FileHash (Join-Path $dir "images$n.json")).Hash; Pngs = Get-FolderHashes (Join-Path $dir "png$n"); Images = $ds.Images.Count
            }
        }
        $runs[0].AddErrors.Count | Should -BeGreaterThan 0 -Because 'the samples include files that cannot be read'
        $runs[0].ExportErrors.Count | Should -BeGreaterThan 0 -Because 'the samples include pixels that cannot be decoded'
        $runs[0].Pngs.Count | Should -BeGreaterThan 20 -Because 'the images after a bad one are still written'
        $runs[1].AddErrors | Should -Be $runs[0].AddErrors
        $runs[1].Warnings | Should -Be $runs[0].Warnings
        $runs[1].ExportErrors | Should -Be $runs[0].ExportErrors
        $runs[1].Images | Should -Be $runs[0].Images
        $runs[1].Json | Should -Be $runs[0].Json
        $runs[1].Pngs | Should -Be $runs[0].Pngs
        # Input order: the file errors name the files in the (ordinal) order the folder was read.
        # (Annotation objects are read at the end, so their errors come last.)
        $files = @($runs[0].AddErrors | Where-Object { $_ -notlike 'DicomAnnotation*' } | ForEach-Object { ($_ -split ' \| ')[1] })
        $files.Count | Should -BeGreaterThan 3
        [string[]] $sorted = $files.Clone()
        [Array]::Sort($sorted, [StringComparer]::Ordinal)
        $files | Should -Be $sorted
    }

    It 'Export-CocoMask: the same masks, files and errors in image order for 1 and 4 workers; a bad image does not stop the rest' {
        $json = Join-Path $dir 'masks.json'
        $images = foreach ($i in 1..24) { '{"id": ' + $i + ', "file_name": "s' + $i + '.png", "width": ' + $(if ($i -eq 7) { 0 } else { 20 + $i }) + ', "height": ' + (10 + $i) + '}' }
        $annotations = foreach ($i in 1..24) {
            foreach ($k in 0..($i % 3)) {
                $id = $i * 10 + $k
                # Image 13's first annotation is an RLE of the wrong size: an annotation that cannot be painted.
                $segmentation = if ($i -eq 13 -and $k -eq 0) { '{"size": [5, 5], "counts": [25]}' } else { '[[' + "$k,$k,$(8 + $k),$k,$(8 + $k),$(6 + $k),$k,$(6 + $k)" + ']]' }
                '{"id": ' + $id + ', "image_id": ' + $i + ', "category_id": ' + (1 + ($k % 2)) + ', "iscrowd": 0, "segmentation": ' + $segmentation + '}'
            }
        }
        Set-Content -LiteralPath $json -Value ('{"images": [' + ($images -join ',') + '], "annotations": [' + ($annotations -join ',') + '], "categories": [{"id": 1, "name": "a"}, {"id": 2, "name": "b"}]}')
        $ds = Import-CocoJson $json -WarningAction SilentlyContinue
        $runs = foreach ($n in 1, 4) {
            $err = $null
            $files = $ds | Export-CocoMask (Join-Path $dir "m$n") -Kind Semantic -PassThru -ThrottleLimit $n -ErrorVariable err -ErrorAction SilentlyContinue
            [pscustomobject]@{ Errors = @(Get-ErrorLines $err); Files = @($files | ForEach-Object { Split-Path $_.Path -Leaf }); Hashes = Get-FolderHashes (Join-Path $dir "m$n") }
        }
        $runs[0].Errors.Count | Should -Be 2
        $runs[0].Errors[0] | Should -BeLike 'ImageSizeMissing,*'
        $runs[0].Errors[1] | Should -BeLike 'RleSizeMismatch,*'
        $runs[0].Files.Count | Should -Be 23
        $runs[0].Files | Should -Be @(foreach ($i in 1..24) { if ($i -ne 7) { "s$i.png" } })
        $runs[1].Errors | Should -Be $runs[0].Errors
        $runs[1].Files | Should -Be $runs[0].Files
        $runs[1].Hashes | Should -Be $runs[0].Hashes
    }

    It 'Test-CocoFile: the same findings and errors in file order for 1 and 4 workers; a bad file does not stop the rest' {
        $broken = Join-Path $dir 'broken.json'
        Set-Content -LiteralPath $broken -Value '{"images": [ {"id": 1,'
        $paths = @($AllKinds, $broken, $dir, $SeedSample, $broken, $AllKinds)
        $runs = foreach ($n in 1, 4) {
            $err = $null
            $findings = Test-CocoFile -LiteralPath $paths -ThrottleLimit $n -ErrorVariable err -ErrorAction SilentlyContinue
            $quiet = Test-CocoFile -LiteralPath $paths -ThrottleLimit $n -Quiet -ErrorAction SilentlyContinue
            [pscustomobject]@{ Errors = @(Get-ErrorLines $err); Findings = @($findings | ForEach-Object { "$($_.Rule.Id) $($_.File) $($_.Pointer) $($_.Line)" }); Quiet = @($quiet) }
        }
        $runs[0].Errors.Count | Should -Be 1 -Because 'only the folder is an error; a broken file is a finding'
        $runs[0].Errors[0] | Should -BeLike "PathIsFolder,* | $dir"
        $runs[0].Quiet.Count | Should -Be 5
        $runs[0].Findings.Count | Should -BeGreaterThan 0
        $runs[1].Errors | Should -Be $runs[0].Errors
        $runs[1].Findings | Should -Be $runs[0].Findings
        $runs[1].Quiet | Should -Be $runs[0].Quiet
        # File order: the broken file's findings come between the two copies of all-kinds.json.
        $order = @($runs[0].Findings | ForEach-Object { ($_ -split ' ')[1] } | Select-Object -Unique)
        $order.IndexOf($broken) | Should -BeGreaterThan -1
    }

    It 'Add-CocoAnnotation -CsvPath: the same dataset bytes and refused rows for 1 and 4 threads' {
        $csv = Join-Path $dir 'boxes.csv'
        $lines = @('file_name,label,bbox,reader') + @(foreach ($row in 1..2000) {
            $image = if ($row % 97 -eq 0) { 'missing.png' } else { "img$($row % 20).png" }
            $box = if ($row % 113 -eq 0) { '"1,2,three,4"' } else { '"' + "$($row % 50).5,$($row % 30),$(($row % 17) + 1).25,$(($row % 13) + 1)" + '"' }
            "$image,finding$($row % 5),$box,R$($row % 3)"
        })
        Set-Content -LiteralPath $csv -Value $lines
        $runs = foreach ($n in 1, 4) {
            $ds = New-CocoDataset
            foreach ($i in 0..19) { $null = $ds.Images.AddNew([CocoTools.Engine.Coco.CocoImage]@{ FileName = "img$i.png"; Width = 100; Height = 80 }) }
            $err = $null
            Add-CocoAnnotation $ds -CsvPath $csv -ThrottleLimit $n -ErrorVariable err -ErrorAction SilentlyContinue
            $ds | Export-CocoJson (Join-Path $dir "boxes$n.json")
            [pscustomobject]@{ Errors = @($err | ForEach-Object { "$($_.FullyQualifiedErrorId) $($_.Exception.Message)" }); Json = (Get-FileHash (Join-Path $dir "boxes$n.json")).Hash; Count = $ds.Annotations.Count }
        }
        $runs[0].Errors.Count | Should -BeGreaterThan 0
        $runs[0].Count | Should -BeGreaterThan 1900
        $runs[1].Errors | Should -Be $runs[0].Errors
        $runs[1].Json | Should -Be $runs[0].Json
    }
}
