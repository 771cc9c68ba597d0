# Loads the CocoTools cmdlets built for the PowerShell that imports the module (docs/about_CocoTools_Assemblies.md):
#   Windows PowerShell 5.1 (Desktop)                   -> the netstandard2.0 assemblies in the module folder (IL);
#   pwsh 7.6+ (.NET 10 or later) on linux-x64, win-x64  -> net10.0/<rid>/, compiled ReadyToRun (less JIT on a first call);
#   pwsh 7.4, 7.5 (.NET 8, 9) on linux-x64, win-x64     -> net8.0/<rid>/, compiled ReadyToRun;
#   any other pwsh (another OS or processor)           -> the same netstandard2.0 IL as Windows PowerShell.
# Precompiled code is used only by the .NET generation it was compiled for (.NET 10 ignores .NET 8's and JITs the IL
# every ReadyToRun file also holds), hence one build per generation. COCOTOOLS_ASSEMBLY=IL forces the IL assemblies.
$assemblyFolder = $PSScriptRoot
$dotnet = [Environment]::Version.Major
if ($PSEdition -eq 'Core' -and $dotnet -ge 8 -and $env:COCOTOOLS_ASSEMBLY -ne 'IL') {
    $framework = if ($dotnet -ge 10) { 'net10.0' } else { 'net8.0' }
    $os = if ($IsWindows) { 'win' } elseif ($IsMacOS) { 'osx' } else { 'linux' }
    $rid = $os + '-' + [System.Runtime.InteropServices.RuntimeInformation]::ProcessArchitecture.ToString().ToLowerInvariant()
    $candidate = Join-Path $PSScriptRoot "$framework/$rid"
    if (Test-Path -LiteralPath (Join-Path $candidate 'CocoTools.dll')) {
        $assemblyFolder = $candidate
    }
}

Write-Verbose "CocoTools: loading the cmdlets from $assemblyFolder"
Import-Module (Join-Path $assemblyFolder 'CocoTools.dll')
