# Loads the CocoTools cmdlets built for the PowerShell that imports the module (docs/about_CocoTools_Assemblies.md):
#   Windows PowerShell 5.1 (Desktop)             -> the netstandard2.0 assemblies in the module folder (IL);
#   pwsh 7.4+ (.NET 8 or later) on a shipped RID -> net8.0/<rid>/, compiled ReadyToRun (no JIT on the first call);
#   any other pwsh (another OS or processor, or .NET before 8) -> the same netstandard2.0 IL as Windows PowerShell.
# COCOTOOLS_ASSEMBLY=IL forces the IL assemblies (to compare, or to rule the ReadyToRun build out).
$assemblyFolder = $PSScriptRoot
if ($PSEdition -eq 'Core' -and [Environment]::Version.Major -ge 8 -and $env:COCOTOOLS_ASSEMBLY -ne 'IL') {
    $os = if ($IsWindows) { 'win' } elseif ($IsMacOS) { 'osx' } else { 'linux' }
    $rid = $os + '-' + [System.Runtime.InteropServices.RuntimeInformation]::ProcessArchitecture.ToString().ToLowerInvariant()
    $candidate = Join-Path $PSScriptRoot "net8.0/$rid"
    if (Test-Path -LiteralPath (Join-Path $candidate 'CocoTools.dll')) {
        $assemblyFolder = $candidate
    }
}

Write-Verbose "CocoTools: loading the cmdlets from $assemblyFolder"
Import-Module (Join-Path $assemblyFolder 'CocoTools.dll')
