BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')

    # 62 real DICOM files of every kind, some broken (errors) and some not images (warnings): a folder to shard.
    $script:Folder = Join-Path $SharedDir 'dicom-samples'
    $script:Work = Join-Path ([IO.Path]::GetTempPath()) "coco-scale-$PID"
    New-Item -ItemType Directory -Path $Work -Force | Out-Null
    $script:Whole = Join-Path $Work 'whole.json'
    Add-CocoImage $Folder -BasePath $SharedDir -PatientSalt 'test-salt' -ErrorAction SilentlyContinue -WarningAction SilentlyContinue | Export-CocoJson $Whole

    function Invoke-Shard {
        # One shard in this process: its dataset, errors and warnings.
        param([string] $Shard)
        $errors = $null; $warnings = $null
        $shardParameter = if ($Shard) { @{ Shard = $Shard } } else { @{} }
        $ds = Add-CocoImage $Folder -BasePath $SharedDir -PatientSalt 'test-salt' @shardParameter -ErrorAction SilentlyContinue -ErrorVariable errors -WarningAction SilentlyContinue -WarningVariable warnings
        [pscustomobject]@{ Dataset = $ds; Errors = @($errors); Warnings = @($warnings) }
    }

    function Test-SameBytes {
        param([string] $Expected, [string] $Actual)
        [Linq.Enumerable]::SequenceEqual([IO.File]::ReadAllBytes($Expected), [IO.File]::ReadAllBytes($Actual))
    }
}

AfterAll {
    Remove-Item -LiteralPath $Work -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Add-CocoImage -Shard and Merge-CocoDataset -OrderBy FileName' {
    It 'splits a folder into <Count> shards that together are the folder, and merge to its bytes' -ForEach @(@{ Count = 1 }, @{ Count = 2 }, @{ Count = 3 }, @{ Count = 5 }) {
        $all = Invoke-Shard -Shard $null
        $all.Dataset.Images.Count | Should -BeGreaterThan 40
        $all.Errors.Count | Should -BeGreaterThan 0
        $shards = foreach ($i in 0..($Count - 1)) { Invoke-Shard -Shard "$i/$Count" }

        # Every image, error and warning of the whole run belongs to exactly one shard.
        ($shards | ForEach-Object { $_.Dataset.Images.Count } | Measure-Object -Sum).Sum | Should -Be $all.Dataset.Images.Count
        @($shards.Errors | ForEach-Object { "$($_.TargetObject)" } | Sort-Object) | Should -Be @($all.Errors | ForEach-Object { "$($_.TargetObject)" } | Sort-Object)
        @($shards.Warnings | ForEach-Object { "$_" } | Sort-Object) | Should -Be @($all.Warnings | ForEach-Object { "$_" } | Sort-Object)
        if ($Count -gt 1) {
            # A study never spans two shards.
            $studyShards = foreach ($i in 0..($Count - 1)) { $shards[$i].Dataset.Images | ForEach-Object { [CocoTools.Engine.Coco.CocoImageDicom]::Of($_).StudyInstanceUid } | Where-Object { $_ } | Sort-Object -Unique | ForEach-Object { "$_ $i" } }
            @($studyShards | ForEach-Object { $_.Split(' ')[0] } | Group-Object | Where-Object Count -GT 1) | Should -BeNullOrEmpty
        }

        $parts = foreach ($i in 0..($Count - 1)) {
            $path = Join-Path $Work "part-$Count-$i.json"
            $shards[$i].Dataset | Export-CocoJson $path
            $path
        }
        $merged = Join-Path $Work "merged-$Count.json"
        # Given in reverse: the canonical order does not depend on the order of the partial files.
        Merge-CocoDataset -Path ($parts | Sort-Object -Descending) -OrderBy FileName | Export-CocoJson $merged
        Test-SameBytes $Whole $merged | Should -BeTrue

        # The streaming merge straight into a file gives the same bytes.
        $streamed = Join-Path $Work "streamed-$Count.json"
        $verbose = Merge-CocoDataset -Path ($parts | Sort-Object -Descending) -OrderBy FileName -OutFile $streamed -Verbose 4>&1 | Where-Object { $_ -is [Management.Automation.VerboseRecord] }
        "$verbose" | Should -BeLike '*, streaming:*'
        Test-SameBytes $Whole $streamed | Should -BeTrue
    }

    It 'refuses <_>, which is not a shard, before reading any file' -ForEach @('2/2', '-1/3', 'one/two', '1/0', '1') {
        { Add-CocoImage $Folder -Shard $_ -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidShard,CocoTools.Commands.AddCocoImageCommand'
    }

    It 'takes the shard of a Kubernetes Indexed Job from JOB_COMPLETION_INDEX and COCOTOOLS_SHARD_COUNT' {
        $saved = $env:JOB_COMPLETION_INDEX, $env:COCOTOOLS_SHARD_COUNT
        try {
            $env:JOB_COMPLETION_INDEX = '1'
            $env:COCOTOOLS_SHARD_COUNT = $null
            { Add-CocoImage $Folder -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidKubernetesShard,CocoTools.Commands.AddCocoImageCommand'
            $env:COCOTOOLS_SHARD_COUNT = '3'
            $verbose = Add-CocoImage $Folder -BasePath $SharedDir -PatientSalt 'test-salt' -ErrorAction SilentlyContinue -WarningAction SilentlyContinue -Verbose 4>&1 | Where-Object { $_ -is [Management.Automation.VerboseRecord] }
            "$($verbose[0])" | Should -BeLike 'Taking shard 1/3 * from JOB_COMPLETION_INDEX=1, COCOTOOLS_SHARD_COUNT=3.'
            $fromJob = Add-CocoImage $Folder -BasePath $SharedDir -PatientSalt 'test-salt' -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
            # -Shard wins over the environment.
            $explicit = Add-CocoImage $Folder -BasePath $SharedDir -PatientSalt 'test-salt' -Shard 2/3 -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
        } finally {
            $env:JOB_COMPLETION_INDEX, $env:COCOTOOLS_SHARD_COUNT = $saved
        }
        $expected = (Invoke-Shard -Shard 1/3).Dataset
        @($fromJob.Images.FileName) | Should -Be @($expected.Images.FileName)
        @($explicit.Images.FileName) | Should -Be @((Invoke-Shard -Shard 2/3).Dataset.Images.FileName)
        @($explicit.Images.FileName) | Should -Not -Be @($expected.Images.FileName)
    }
}

Describe 'The Slurm array recipe' {
    It 'runs samples/scale-out/slurm-array.sbatch as two array tasks (--array=1-2) whose partial files merge to the one-process bytes' {
        # No slurmctld here: the two tasks are two runs of the batch script with the variables Slurm would set.
        $out = Join-Path $Work 'slurm'
        $pwsh = if (Test-Path (Join-Path $PSHOME 'pwsh')) { Join-Path $PSHOME 'pwsh' } else { "$((Get-Command dotnet).Source) $(Join-Path $PSHOME 'pwsh.dll')" }
        $parts = foreach ($task in 1, 2) {
            $saved = @{}
            $variables = @{ SLURM_ARRAY_TASK_ID = "$task"; SLURM_ARRAY_TASK_MIN = '1'; SLURM_ARRAY_TASK_MAX = '2'; SLURM_ARRAY_TASK_STEP = '1'; SLURM_ARRAY_TASK_COUNT = '2'; SLURM_CPUS_PER_TASK = '2'
                COCO_ARCHIVE = $SharedDir; COCO_INPUT = $Folder; COCO_OUT = $out; COCO_PWSH = $pwsh; COCO_MODULE = $ModulePath; COCO_PATIENT_SALT = 'test-salt' }
            foreach ($name in $variables.Keys) { $saved[$name] = [Environment]::GetEnvironmentVariable($name); [Environment]::SetEnvironmentVariable($name, $variables[$name]) }
            try {
                $log = & bash (Join-Path $RepoRoot 'samples/scale-out/slurm-array.sbatch') 2>&1 | ForEach-Object { "$_" }
                $LASTEXITCODE | Should -Be 0 -Because ($log -join "`n")
            } finally {
                foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) }
            }
            @($log | Where-Object { $_ -like '*Taking shard*' })[0] | Should -BeLike "*Taking shard $($task - 1)/2 * from SLURM_ARRAY_TASK_ID=$task, SLURM_ARRAY_TASK_MIN=1, *"
            Join-Path $out "part-$task.json"
        }
        $merged = Join-Path $Work 'slurm-merged.json'
        Merge-CocoDataset -Path $parts -OrderBy FileName | Export-CocoJson $merged
        Test-SameBytes $Whole $merged | Should -BeTrue
        (Get-Item $parts[0]).Length | Should -BeLessThan (Get-Item $Whole).Length
    }
}

Describe 'PowerShell remoting over SSH' {
    BeforeAll {
        # A real sshd on 127.0.0.1, on a free port, with a throwaway host key, client key and config in a temp folder;
        # its powershell subsystem runs this pwsh in server mode. Stopped in AfterAll.
        $script:SshSkip = $null
        $script:Sshd = $null
        $ssh = Join-Path $Work 'ssh'
        New-Item -ItemType Directory -Path $ssh -Force | Out-Null
        if (-not (Test-Path /usr/sbin/sshd) -or -not (Get-Command ssh, ssh-keygen -ErrorAction Ignore)) {
            $script:SshSkip = 'openssh-server or openssh-client is not installed (build.ps1 Test installs them with apt).'
            return
        }

        & ssh-keygen -q -t ed25519 -N '' -f (Join-Path $ssh 'host_key') | Out-Null
        & ssh-keygen -q -t ed25519 -N '' -f (Join-Path $ssh 'client_key') | Out-Null
        Copy-Item (Join-Path $ssh 'client_key.pub') (Join-Path $ssh 'authorized_keys')
        & chmod 600 (Join-Path $ssh 'authorized_keys') (Join-Path $ssh 'host_key') (Join-Path $ssh 'client_key')
        $listener = [Net.Sockets.TcpListener]::new([Net.IPAddress]::Loopback, 0)
        $listener.Start(); $script:SshPort = $listener.LocalEndpoint.Port; $listener.Stop()

        $server = if (Test-Path (Join-Path $PSHOME 'pwsh')) { "'$(Join-Path $PSHOME 'pwsh')'" } else { "'$((Get-Command dotnet).Source)' '$(Join-Path $PSHOME 'pwsh.dll')'" }
        $wrapper = Join-Path $ssh 'pwsh-sshs.sh'
        Set-Content -LiteralPath $wrapper -Value "#!/bin/sh`nexec $server -sshs -NoLogo -NoProfile`n" -NoNewline
        & chmod 755 $wrapper
        $config = Join-Path $ssh 'sshd_config'
        Set-Content -LiteralPath $config -Value @"
ListenAddress 127.0.0.1
Port $SshPort
HostKey $(Join-Path $ssh 'host_key')
PidFile $(Join-Path $ssh 'sshd.pid')
AuthorizedKeysFile $(Join-Path $ssh 'authorized_keys')
PasswordAuthentication no
KbdInteractiveAuthentication no
PubkeyAuthentication yes
PermitRootLogin prohibit-password
StrictModes no
UsePAM no
Subsystem powershell $wrapper
"@
        # sshd started as root insists on its privilege separation folder, which the Debian service creates at boot.
        if ((& id -u) -eq '0' -and -not (Test-Path /run/sshd)) { New-Item -ItemType Directory -Path /run/sshd | Out-Null }
        $log = Join-Path $ssh 'sshd.log'
        $script:Sshd = Start-Process -FilePath /usr/sbin/sshd -ArgumentList '-D', '-e', '-f', $config -RedirectStandardError $log -PassThru
        $deadline = [DateTime]::UtcNow.AddSeconds(15)
        $listening = $false
        while (-not $listening -and [DateTime]::UtcNow -lt $deadline -and -not $Sshd.HasExited) {
            $client = [Net.Sockets.TcpClient]::new()
            try { $client.Connect([Net.IPAddress]::Loopback, $SshPort); $listening = $true } catch { Start-Sleep -Milliseconds 200 } finally { $client.Dispose() }
        }
        if (-not $listening) {
            $script:SshSkip = "sshd did not start on 127.0.0.1:${SshPort}: $((Get-Content $log -ErrorAction Ignore) -join ' ')"
        }
        $script:SshKey = Join-Path $ssh 'client_key'
        $script:SshOptions = @{ StrictHostKeyChecking = 'no'; UserKnownHostsFile = (Join-Path $ssh 'known_hosts'); LogLevel = 'ERROR' }
    }

    AfterAll {
        if ($Sshd -and -not $Sshd.HasExited) {
            Stop-Process -Id $Sshd.Id -Force
            $Sshd.WaitForExit(5000) | Out-Null
        }
    }

    It 'runs two shards through Invoke-Command -HostName in two sessions and merges them to the one-process bytes' {
        if ($SshSkip) { Set-ItResult -Skipped -Because $SshSkip; return }
        # The recipe of about_CocoTools_ScaleOut, its sample script: shard i of n on host i (here 127.0.0.1 twice).
        $out = Join-Path $Work 'ssh-out'
        New-Item -ItemType Directory -Path $out -Force | Out-Null
        $run = & (Join-Path $RepoRoot 'samples/scale-out/Invoke-CocoScaleOut.ps1') -HostName 127.0.0.1, 127.0.0.1 -Port $SshPort -UserName ([Environment]::UserName) `
            -KeyFilePath $SshKey -Options $SshOptions -ModulePath $ModulePath -Path $Folder -BasePath $SharedDir -OutputDirectory $out -PatientSalt 'test-salt' -Name merged
        @($run.Shards.Shard) | Should -Be @('0/2', '1/2')
        ($run.Shards.Images | Measure-Object -Sum).Sum | Should -Be (Import-CocoJson $Whole).Images.Count
        # Two sessions: two remote processes, neither this one.
        @($run.Shards.Process | Sort-Object -Unique).Count | Should -Be 2
        @($run.Shards.Process) | Should -Not -Contain $PID
        $merged = $run.Merged.FullName
        Test-SameBytes $Whole $merged | Should -BeTrue
    }
}

Describe 'about_CocoTools_ScaleOut' {
    It 'is installed as help, with the recipes, the variables and the paper plan' {
        $text = Get-Help about_CocoTools_ScaleOut | Out-String
        $text | Should -Match 'THE SHARDING RULE'
        $text | Should -Match 'RECIPE: POWERSHELL REMOTING OVER SSH'
        $text | Should -Match 'JOB_COMPLETION_INDEX'
        $text | Should -Match 'A PAPER PLAN: 10 MILLION FILES ON 50 MACHINES'
    }
}
