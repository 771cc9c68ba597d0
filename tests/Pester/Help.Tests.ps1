BeforeDiscovery {
    # Discovery runs before BeforeAll: find the cmdlets and doc examples here so each gets its own test.
    $repo = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
    $manifest = Import-PowerShellDataFile (Join-Path $repo 'CocoTools.psd1')
    $cmdlets = @($manifest.CmdletsToExport | ForEach-Object { @{ Name = $_ } })
    $examples = foreach ($page in Get-ChildItem (Join-Path $repo 'docs') -Filter *.md) {
        $n = 0
        foreach ($m in [regex]::Matches((Get-Content $page.FullName -Raw), '(?s)```powershell\r?\n(.*?)\r?\n```')) {
            $n++
            @{ Page = $page.Name; Number = $n; Code = $m.Groups[1].Value }
        }
    }
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $common = [System.Management.Automation.PSCmdlet]::CommonParameters + [System.Management.Automation.PSCmdlet]::OptionalCommonParameters
}

Describe 'Help for <Name>' -ForEach $cmdlets {
    It 'has a synopsis, a description and examples' {
        $help = Get-Help $Name -Full
        $help.Synopsis | Should -Not -BeNullOrEmpty
        $help.Synopsis | Should -Not -BeLike "*$Name*[[]*"   # not the auto-generated syntax line
        ($help.Description.Text -join ' ').Length | Should -BeGreaterThan 100
        @($help.Examples.Example).Count | Should -BeGreaterOrEqual 1
        @($help.Examples.Example)[0].Code | Should -Not -BeNullOrEmpty
    }

    It 'describes every parameter' {
        $command = Get-Command $Name
        foreach ($parameter in $command.Parameters.Keys | Where-Object { $common -notcontains $_ }) {
            $help = Get-Help $Name -Parameter $parameter
            ($help.Description.Text -join ' ') | Should -Not -BeNullOrEmpty -Because "-$parameter of $Name needs help"
        }
    }

    It 'documents exactly the parameters the cmdlet has' {
        $page = Get-Content (Join-Path $RepoRoot "docs/$Name.md") -Raw
        # WhatIf and Confirm are documented as platyPS does, and are common parameters.
        $documented = [regex]::Matches($page, '(?m)^### -(\w+)$') | ForEach-Object { $_.Groups[1].Value } | Where-Object { $common -notcontains $_ } | Sort-Object
        $actual = (Get-Command $Name).Parameters.Keys | Where-Object { $common -notcontains $_ } | Sort-Object
        $documented | Should -Be $actual
    }
}

Describe 'about_CocoTools' {
    It 'is installed as help' {
        $text = Get-Help about_CocoTools | Out-String
        $text | Should -Match 'THE PIPELINE MODEL'
        $text | Should -Match 'A NIGHTLY EXPORT WITH A LOG AND AN EXIT CODE'
        $text | Should -Match 'PRIVACY DEFAULTS'
    }
}

Describe 'Examples in docs/' {
    It '<Page> example <Number> runs' -ForEach $examples {
        # From the repository root, as the pages say, with every error terminating (examples that expect bad
        # input say -ErrorAction SilentlyContinue themselves).
        if ($Code -match '(?m)^# Needs a DICOMweb server') {
            Set-ItResult -Skipped -Because 'it needs a DICOMweb server of your own; Find-CocoDicomWeb.Tests.ps1 runs the same commands against Orthanc'
            return
        }
        Push-Location $RepoRoot
        try {
            New-Item -ItemType Directory -Path out -Force | Out-Null
            $block = [scriptblock]::Create("`$ErrorActionPreference = 'Stop'`n$Code")
            { $null = & $block *>&1 | Out-String } | Should -Not -Throw
        } finally {
            Pop-Location
        }
    }
}
