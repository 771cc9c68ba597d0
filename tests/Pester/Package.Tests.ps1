BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $script:BuiltModule = Split-Path $ModulePath -Parent
    $script:Version = (Import-PowerShellDataFile $ModulePath).ModuleVersion
}

Describe 'Package' {
    BeforeAll {
        # A throwaway home: PSResourceGet keeps its repository list, and Install-PSResource its CurrentUser modules,
        # under the user's data folder, so nothing of the real user's set-up is read or changed.
        $work = Join-Path ([IO.Path]::GetTempPath()) ("cocotools-pester-" + [guid]::NewGuid().ToString('N').Substring(0, 8))
        $fakeHome = Join-Path $work 'home'
        $feed = Join-Path $work 'feed'
        # The data folders must exist: .NET answers an empty path for a missing one, and PSResourceGet would then
        # keep its files relative to the current folder.
        New-Item -ItemType Directory -Path $feed, (Join-Path $fakeHome '.local/share'), (Join-Path $fakeHome '.config'), (Join-Path $fakeHome '.cache') | Out-Null

        function Invoke-FreshPwsh {
            # A fresh `pwsh -NoProfile` (here `dotnet <PSHOME>/pwsh.dll`) with the throwaway home; returns its output lines, throws on failure.
            param([Parameter(Mandatory)] [string] $Script)
            $saved = @{ HOME = $env:HOME; XDG_DATA_HOME = $env:XDG_DATA_HOME; XDG_CONFIG_HOME = $env:XDG_CONFIG_HOME; XDG_CACHE_HOME = $env:XDG_CACHE_HOME; PSModulePath = $env:PSModulePath }
            $env:HOME = $fakeHome
            $env:XDG_DATA_HOME = Join-Path $fakeHome '.local/share'
            $env:XDG_CONFIG_HOME = Join-Path $fakeHome '.config'
            $env:XDG_CACHE_HOME = Join-Path $fakeHome '.cache'
            # Only pwsh's own modules (PSResourceGet among them): the built module must come from the install.
            $env:PSModulePath = Join-Path $PSHOME 'Modules'
            Push-Location -LiteralPath $work
            try {
                $output = & dotnet (Join-Path $PSHOME 'pwsh.dll') -NoProfile -NonInteractive -Command "`$ErrorActionPreference = 'Stop'; $Script" 2>&1 | ForEach-Object { "$_" }
                if ($LASTEXITCODE -ne 0) { throw "the child pwsh failed ($LASTEXITCODE): $($output -join "`n")" }
                $output
            } finally {
                Pop-Location
                foreach ($name in $saved.Keys) { Set-Item -Path "env:$name" -Value $saved[$name] }
            }
        }

        $packageScript = Join-Path $RepoRoot 'tools/package/New-CocoPackage.ps1'
        $script:Package = @(Invoke-FreshPwsh "& '$packageScript' -ModulePath '$BuiltModule' -OutputPath '$feed' | ForEach-Object FullName")[-1]
    }
    AfterAll {
        Remove-Item -LiteralPath $work -Recurse -Force -ErrorAction Ignore
    }

    It 'is a .nupkg named with the manifest version, holding the module, its help, LICENSE and CHANGELOG' {
        $Package | Should -Be (Join-Path $feed "CocoTools.$Version.nupkg")
        Add-Type -AssemblyName System.IO.Compression.FileSystem
        $zip = [IO.Compression.ZipFile]::OpenRead($Package)
        try { $entries = $zip.Entries.FullName } finally { $zip.Dispose() }
        # Both builds: netstandard2.0 IL at the top (Windows PowerShell, and pwsh elsewhere), net8.0 ReadyToRun per runtime.
        foreach ($file in 'CocoTools.psd1', 'CocoTools.psm1', 'CocoTools.dll', 'CocoTools.Engine.dll', 'CocoTools.format.ps1xml', 'en-US/CocoTools.dll-Help.xml', 'LICENSE', 'CHANGELOG.md', 'CocoTools.nuspec',
            'net8.0/linux-x64/CocoTools.dll', 'net8.0/linux-x64/CocoTools.Engine.dll', 'net8.0/linux-x64/SixLabors.ImageSharp.dll',
            'net8.0/win-x64/CocoTools.dll', 'net8.0/win-x64/CocoTools.Engine.dll', 'net8.0/win-x64/SixLabors.ImageSharp.dll',
            'net10.0/linux-x64/CocoTools.dll', 'net10.0/linux-x64/CocoTools.Engine.dll', 'net10.0/win-x64/CocoTools.Engine.dll') {
            $entries | Should -Contain $file
        }
        # pwsh brings its own; a packaged copy would shadow it.
        $entries | Should -Not -Contain 'System.Management.Automation.dll'
        $entries | Should -Not -Contain 'net10.0/linux-x64/System.Management.Automation.dll'
    }

    It 'carries the Gallery metadata from the manifest' {
        $manifest = Import-PowerShellDataFile $ModulePath
        $manifest.CompatiblePSEditions | Should -Be @('Core', 'Desktop')
        $manifest.PrivateData.PSData.LicenseUri | Should -Match '^https://.+/LICENSE$'
        $manifest.PrivateData.PSData.ProjectUri | Should -Match '^https://'
        $manifest.PrivateData.PSData.ReleaseNotes | Should -Not -BeNullOrEmpty
        $manifest.PrivateData.PSData.Tags | Should -Contain 'COCO'
        (Get-Content (Join-Path $RepoRoot 'LICENSE') -Raw) | Should -Match '(?s)^MIT License.*CocoTools contributors'
    }

    It 'installs from a file repository into a fresh pwsh, imports by name, answers Get-Help, runs a pipeline and uninstalls' {
        # The repository list lives in the throwaway home, not in the real user's data folder.
        $realStore = Join-Path ([Environment]::GetFolderPath('LocalApplicationData')) 'PSResourceGet/PSResourceRepository.xml'
        $script = @"
Register-PSResourceRepository -Name CocoToolsTest -Uri '$feed' -Trusted
Install-PSResource -Name CocoTools -Repository CocoToolsTest -Scope CurrentUser -TrustRepository -Quiet
Import-Module CocoTools
`$module = Get-Module CocoTools
'base=' + `$module.ModuleBase
'engine=' + [CocoTools.Engine.Coco.CocoDataset].Assembly.Location
'version=' + `$module.Version
'help=' + (Get-Help Export-CocoJson).Synopsis
'license=' + (Test-Path (Join-Path `$module.ModuleBase 'LICENSE'))
`$out = Join-Path '$work' 'piped.json'
New-CocoDataset -Description installed -Category nodule | Export-CocoJson `$out -IncludeToolVersion
'json=' + ((Get-Content `$out -Raw | ConvertFrom-Json).info.generator)
'category=' + (Import-CocoJson `$out | Get-CocoCategory).Name
Remove-Module CocoTools
Uninstall-PSResource -Name CocoTools -Scope CurrentUser
'left=' + @(Get-Module CocoTools -ListAvailable).Count
"@
        $lines = Invoke-FreshPwsh $script
        $values = @{}
        foreach ($line in $lines) { if ($line -match '^(\w+)=(.*)$') { $values[$Matches[1]] = $Matches[2] } }

        $values['base'] | Should -BeLike "$fakeHome*"
        $values['version'] | Should -Be $Version
        # The installed module loads its ReadyToRun build here, pwsh 7.6 on .NET 10 (the package keeps <framework>/<rid> intact).
        $values['engine'] | Should -Be (Join-Path $values['base'] 'net10.0/linux-x64/CocoTools.Engine.dll')
        $values['help'] | Should -Match 'COCO'
        $values['license'] | Should -Be 'True'
        $values['json'] | Should -Be "CocoTools $Version"
        $values['category'] | Should -Be 'nodule'
        $values['left'] | Should -Be '0'
        Test-Path (Join-Path $fakeHome '.local/share/PSResourceGet/PSResourceRepository.xml') | Should -BeTrue
        if (Test-Path $realStore) { Get-Content $realStore -Raw | Should -Not -Match 'CocoToolsTest|CocoToolsBuild' }
    }
}

Describe 'Version' {
    It 'is stamped once: Get-Module, the assemblies and Export-CocoJson -IncludeToolVersion all report the manifest''s ModuleVersion' {
        $module = Get-Module CocoTools
        $module.Version.ToString() | Should -Be $Version
        [CocoTools.Engine.ToolVersion]::Current | Should -Be $Version
        ([CocoTools.Engine.ToolVersion].Assembly.GetName().Version.ToString(3)) | Should -Be $Version
        (Get-Content (Join-Path $RepoRoot 'Directory.Build.props') -Raw) | Should -Not -Match '<VersionPrefix>\d'
    }

    It 'is written into info only when asked, replacing a generator already there and keeping the dataset''s own version' {
        $dir = Join-Path ([IO.Path]::GetTempPath()) ("cocotools-pester-" + [guid]::NewGuid().ToString('N').Substring(0, 8))
        try {
            $ds = New-CocoDataset -Description 'with a version' -Version '2.0'
            $ds | Export-CocoJson (Join-Path $dir 'plain.json')
            $ds | Export-CocoJson (Join-Path $dir 'stamped.json') -IncludeToolVersion
            Import-CocoJson (Join-Path $dir 'stamped.json') | Export-CocoJson (Join-Path $dir 'again.json') -IncludeToolVersion

            (Get-Content (Join-Path $dir 'plain.json') -Raw | ConvertFrom-Json).info.PSObject.Properties.Name | Should -Not -Contain 'generator'
            $info = (Get-Content (Join-Path $dir 'stamped.json') -Raw | ConvertFrom-Json).info
            $info.generator | Should -Be "CocoTools $Version"
            $info.version | Should -Be '2.0'
            ([regex]::Matches((Get-Content (Join-Path $dir 'again.json') -Raw), '"generator"')).Count | Should -Be 1
        } finally {
            Remove-Item -LiteralPath $dir -Recurse -Force -ErrorAction Ignore
        }
    }
}
