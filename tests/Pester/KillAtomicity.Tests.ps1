BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')

    function Invoke-KilledChild {
        # Runs $Script in a child pwsh that stops at the named point inside the engine's writers (the engine's
        # TestHangPoint), then kills it with SIGKILL (kill -9) once it is there: no timing, the point decides.
        param([Parameter(Mandatory)] [string] $Script, [Parameter(Mandatory)] [string] $Point, [Parameter(Mandatory)] [string] $WorkDir)
        $signal = Join-Path $WorkDir ("signal-" + [guid]::NewGuid().ToString('N').Substring(0, 8))
        $info = [System.Diagnostics.ProcessStartInfo]::new('dotnet')
        foreach ($a in @((Join-Path $PSHOME 'pwsh.dll'), '-NoProfile', '-NonInteractive', '-Command', "Import-Module '$ModulePath'; $Script")) { $info.ArgumentList.Add($a) }
        $info.Environment['COCOTOOLS_TEST_HANG_AT'] = $Point
        $info.Environment['COCOTOOLS_TEST_HANG_SIGNAL'] = $signal
        $info.RedirectStandardOutput = $true
        $info.RedirectStandardError = $true
        $child = [System.Diagnostics.Process]::Start($info)
        try {
            # Waits for the child to reach the point (or to end without reaching it, which fails the test).
            while (-not (Test-Path $signal) -and -not $child.HasExited) { Start-Sleep -Milliseconds 50 }
            $reached = Test-Path $signal
            if (-not $child.HasExited) { $child.Kill() }   # SIGKILL on Unix: no finally block, no cleanup runs
            $child.WaitForExit()
            if (-not $reached) { throw "The child ended without reaching '$Point': $($child.StandardError.ReadToEnd())" }
        } finally {
            $child.Dispose()
            Remove-Item -LiteralPath $signal -ErrorAction Ignore
        }
    }

    function Get-FolderState {
        # name -> SHA-256 of every file in the folder (not below it), temp files included.
        param([string] $Path)
        $state = [ordered]@{}
        Get-ChildItem -LiteralPath $Path -File -Force | Sort-Object Name | ForEach-Object { $state[$_.Name] = (Get-FileHash $_.FullName).Hash }
        $state
    }

    function Get-TempEntries {
        param([string] $Path)
        @(Get-ChildItem -LiteralPath $Path -Force | Where-Object Name -Like '.*.cocotools-*')
    }
}

Describe 'kill -9 during a write leaves the old output or the new one, and the next run cleans up' {
    BeforeEach {
        $dir = Join-Path ([IO.Path]::GetTempPath()) ('cocotools-kill-' + [guid]::NewGuid().ToString('N').Substring(0, 8))
        New-Item -ItemType Directory -Path $dir | Out-Null
        $old = Import-CocoJson $AllKinds
        $new = Import-CocoJson $SeedSample -WarningAction SilentlyContinue
    }
    AfterEach { Remove-Item -LiteralPath $dir -Recurse -Force -ErrorAction Ignore }

    It 'Export-CocoJson killed at <Point>: the old file whole, then the next run writes the new one and removes the temp file' -TestCases @(
        @{ Point = 'atomic-file-created' }, @{ Point = 'atomic-file-written' }
    ) {
        param($Point)
        $target = Join-Path $dir 'out.json'
        $old | Export-CocoJson $target
        $new | Export-CocoJson (Join-Path $dir 'expected.json')
        $before = (Get-FileHash $target).Hash

        Invoke-KilledChild -Point $Point -WorkDir $dir -Script "Import-CocoJson '$SeedSample' -WarningAction SilentlyContinue | Export-CocoJson '$target'"

        (Get-FileHash $target).Hash | Should -Be $before
        (Get-TempEntries $dir).Count | Should -Be 1 -Because 'the killed write leaves its temp file'
        $new | Export-CocoJson $target
        (Get-FileHash $target).Hash | Should -Be (Get-FileHash (Join-Path $dir 'expected.json')).Hash
        Get-TempEntries $dir | Should -BeNullOrEmpty
    }

    It 'Export-CocoMask killed at <Point>: every mask is the old one or the new one whole, and the next run cleans up' -TestCases @(
        @{ Point = 'atomic-file-created' }, @{ Point = 'mask-exported' }
    ) {
        param($Point)
        $masks = Join-Path $dir 'masks'
        $expected = Join-Path $dir 'expected'
        # all-kinds.json has annotations that cannot be painted on purpose; they are not what this test is about.
        $old | Export-CocoMask $masks -Kind Semantic -ErrorAction SilentlyContinue
        # The same images painted with one category fewer: every new mask differs from its old one.
        $newJson = Join-Path $dir 'new.json'
        Get-CocoAnnotation -InputObject $old -Category (Get-CocoCategory -InputObject $old)[0].Name | Remove-CocoAnnotation -Confirm:$false
        $old | Export-CocoJson $newJson
        Import-CocoJson $newJson | Export-CocoMask $expected -Kind Semantic -ErrorAction SilentlyContinue
        $oldState = Get-FolderState $masks
        $newState = Get-FolderState $expected

        Invoke-KilledChild -Point $Point -WorkDir $dir -Script "Import-CocoJson '$newJson' | Export-CocoMask '$masks' -Kind Semantic -ErrorAction SilentlyContinue"

        $state = Get-FolderState $masks
        foreach ($name in $oldState.Keys) {
            $state[$name] | Should -BeIn @($oldState[$name], $newState[$name]) -Because "$name must be whole"
        }
        Import-CocoJson $newJson | Export-CocoMask $masks -Kind Semantic -ErrorAction SilentlyContinue
        $after = Get-FolderState $masks
        foreach ($name in $newState.Keys) { $after[$name] | Should -Be $newState[$name] }
        Get-TempEntries $masks | Should -BeNullOrEmpty
    }

    It 'Split-CocoDataset killed at <Point>: the old set whole before the commit; after it, the next write completes the new set' -TestCases @(
        @{ Point = 'fileset-written'; Committed = $false }
        @{ Point = 'fileset-committed'; Committed = $true }
        @{ Point = 'fileset-moved'; Committed = $true }
    ) {
        param($Point, $Committed)
        $splits = Join-Path $dir 'splits'
        $expected = Join-Path $dir 'expected'
        $old | Split-CocoDataset -GroupBy Image -Seed 1 -OutputDirectory $splits | Out-Null
        $new | Split-CocoDataset -GroupBy Image -Seed 2 -OutputDirectory $expected | Out-Null
        $oldState = Get-FolderState $splits
        $newState = Get-FolderState $expected

        Invoke-KilledChild -Point $Point -WorkDir $dir -Script "Import-CocoJson '$SeedSample' -WarningAction SilentlyContinue | Split-CocoDataset -GroupBy Image -Seed 2 -OutputDirectory '$splits' | Out-Null"

        $state = Get-FolderState $splits
        if (-not $Committed) {
            # Never a new file beside old ones: the old set, exactly.
            $state.Keys | Should -Be @($oldState.Keys)
            foreach ($name in $oldState.Keys) { $state[$name] | Should -Be $oldState[$name] }
        } else {
            # Decided: each file is in place new, or waiting new in the commit folder.
            $commit = Get-ChildItem -LiteralPath $splits -Directory -Force | Where-Object Name -Like '.split.cocotools-*.commit'
            @($commit).Count | Should -Be 1
            foreach ($name in $newState.Keys) {
                $waiting = Join-Path $commit.FullName $name
                $now = if (Test-Path $waiting) { (Get-FileHash $waiting).Hash } else { $state[$name] }
                $now | Should -Be $newState[$name] -Because "$name of the committed set"
            }
        }

        # The next set written into the folder (other names) first completes an interrupted commit, and sweeps temps.
        $old | Split-CocoDataset 1, 1 -Name other1, other2 -GroupBy Image -OutputDirectory $splits | Out-Null
        $after = Get-FolderState $splits
        $expectedSet = if ($Committed) { $newState } else { $oldState }
        foreach ($name in $expectedSet.Keys) { $after[$name] | Should -Be $expectedSet[$name] }
        Get-TempEntries $splits | Should -BeNullOrEmpty
    }
}
