#Requires -Version 7.4
<#
.SYNOPSIS
    Writes the built module as a PowerShell package (.nupkg) with PSResourceGet.
.DESCRIPTION
    PSResourceGet (Microsoft.PowerShell.PSResourceGet, shipped with pwsh 7.4+) publishes only to a registered
    repository, so a temporary local file repository is registered for the publish and removed again; the .nupkg it
    holds is the package, copied to -OutputPath. LICENSE and CHANGELOG.md from the repository root go in beside the
    module files. Used by `build.ps1 Package` and by the package test.
.OUTPUTS
    System.IO.FileInfo of the package.
#>
[CmdletBinding()]
param(
    # The built module folder (out/CocoTools).
    [Parameter(Mandatory)] [string] $ModulePath,
    # The folder the package goes to.
    [Parameter(Mandatory)] [string] $OutputPath
)

$ErrorActionPreference = 'Stop'
$root = Split-Path (Split-Path $PSScriptRoot -Parent) -Parent
$version = (Import-PowerShellDataFile (Join-Path $ModulePath 'CocoTools.psd1')).ModuleVersion
$work = Join-Path ([IO.Path]::GetTempPath()) ('cocotools-package-' + [guid]::NewGuid().ToString('N').Substring(0, 12))
# Publish-PSResource wants the folder named after the module.
$staged = Join-Path $work 'CocoTools'
$feed = Join-Path $work 'feed'
$repository = 'CocoToolsBuild-' + (Split-Path $work -Leaf)
try {
    New-Item -ItemType Directory -Path $feed -Force | Out-Null
    Copy-Item -LiteralPath $ModulePath -Destination $staged -Recurse
    Copy-Item -LiteralPath (Join-Path $root 'LICENSE'), (Join-Path $root 'CHANGELOG.md') -Destination $staged
    Register-PSResourceRepository -Name $repository -Uri $feed -Trusted
    Publish-PSResource -Path $staged -Repository $repository
    $nupkg = Join-Path $feed "CocoTools.$version.nupkg"
    if (-not (Test-Path -LiteralPath $nupkg)) { throw "Publish-PSResource wrote no $nupkg." }
    New-Item -ItemType Directory -Path $OutputPath -Force | Out-Null
    Copy-Item -LiteralPath $nupkg -Destination $OutputPath -Force -PassThru
} finally {
    Unregister-PSResourceRepository -Name $repository -ErrorAction Ignore
    Remove-Item -LiteralPath $work -Recurse -Force -ErrorAction Ignore
}
