<#
.SYNOPSIS
    Builds one COCO file from a DICOM archive on several machines: shard i of n on host i over PowerShell remoting
    (SSH), then one merge that is byte for byte the file a single run would write.
.DESCRIPTION
    Every host must see the archive (a shared mount such as NFS or SMB; the mount point may differ from host to host,
    -Path and -BasePath are given as each host sees them) and have CocoTools installed or reachable at -ModulePath.
    Each host writes <OutputDirectory>/part-<i>-of-<n>.json, the partial COCO of its shard (ids local to it); this
    machine then reads the partials one at a time and writes <OutputDirectory>/<Name>.json in the canonical order.
    Returns the merged file (Merged) and what each shard did (Shards: images, errors, partial file, remote process).
    The partial files must be where this machine can read them: a shared -OutputDirectory, or copy them first.
    See about_CocoTools_ScaleOut.
.EXAMPLE
    ./Invoke-CocoScaleOut.ps1 -HostName node01, node02, node03 -UserName coco -KeyFilePath ~/.ssh/coco_ed25519 `
        -Path /mnt/archive/ct -BasePath /mnt/archive -OutputDirectory /mnt/results/ct -PatientSalt $secret
#>
[CmdletBinding()]
param(
    # The hosts, one shard each (name a host twice to give it two shards).
    [Parameter(Mandatory)] [string[]] $HostName,
    [Parameter(Mandatory)] [string] $UserName,
    # The private key of -UserName (SSH key authentication: remoting over SSH asks no password in a batch job).
    [Parameter(Mandatory)] [string] $KeyFilePath,
    # The folders to read, as every host sees them.
    [Parameter(Mandatory)] [string[]] $Path,
    # file_name is relative to this folder; the same relative layout on every host keeps shards and merge exact.
    [Parameter(Mandatory)] [string] $BasePath,
    # Where each host writes its partial file and this machine writes the merge (a shared folder).
    [Parameter(Mandatory)] [string] $OutputDirectory,
    # The same secret on every host, so PatientHash agrees across shards (a random one per process otherwise).
    [Parameter(Mandatory)] [string] $PatientSalt,
    [string] $Name = 'dataset',
    # CocoTools on the hosts: a module name on their PSModulePath, or the path of CocoTools.psd1.
    [string] $ModulePath = 'CocoTools',
    [int] $Port = 22,
    # ssh options, e.g. @{ UserKnownHostsFile = '/etc/coco/known_hosts' }.
    [hashtable] $Options,
    [switch] $Recurse
)

$ErrorActionPreference = 'Stop'
$count = $HostName.Count
$remote = @{ UserName = $UserName; KeyFilePath = $KeyFilePath; Port = $Port }
if ($Options) { $remote.Options = $Options }
$jobs = for ($i = 0; $i -lt $count; $i++) {
    $part = Join-Path $OutputDirectory "part-$i-of-$count.json"
    Invoke-Command -HostName $HostName[$i] @remote -AsJob -ArgumentList $ModulePath, $Path, $BasePath, "$i/$count", $part, $PatientSalt, $Recurse.IsPresent -ScriptBlock {
        param($module, $path, $base, $shard, $part, $salt, $recurse)
        Import-Module $module -ErrorAction Stop
        # Bad files are reported (and counted) but do not stop the shard.
        $errors = $null
        $ds = Add-CocoImage $path -BasePath $base -PatientSalt $salt -Shard $shard -Recurse:$recurse -ErrorAction SilentlyContinue -ErrorVariable errors -WarningAction SilentlyContinue
        $file = $ds | Export-CocoJson $part -PassThru
        [pscustomobject]@{ Shard = $shard; Images = $ds.Images.Count; Errors = @($errors).Count; Partial = $file.FullName; Process = $PID }
    }
}

$results = $jobs | Wait-Job | Receive-Job
$jobs | Remove-Job
if (@($results).Count -ne $count) { throw "Only $(@($results).Count) of $count shards finished; the merge would be incomplete." }

# Merged here, streaming, in the canonical order (CocoTools must be installed on this machine too).
$merged = Join-Path $OutputDirectory "$Name.json"
$file = Merge-CocoDataset -Path @($results.Partial) -OrderBy FileName -OutFile $merged
[pscustomobject]@{ Merged = $file; Shards = @($results | Sort-Object Shard | Select-Object Shard, Images, Errors, Partial, Process) }
