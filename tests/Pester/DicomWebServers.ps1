# Dot-sourced by the DICOMweb tests: starts and stops the servers they talk to, all on 127.0.0.1, on free ports,
# with temporary storage and throwaway credentials.

function Get-FreeTcpPort {
    $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $listener.Start()
    try { $listener.LocalEndpoint.Port } finally { $listener.Stop() }
}

function Get-OrthancSkipReason {
    # One line saying why the Orthanc tests cannot run here, or $null when they can.
    if (-not (Get-Command Orthanc -ErrorAction Ignore)) { return 'Orthanc is not installed (apt-get install orthanc orthanc-dicomweb; build.ps1 Test installs it)' }
    if (-not (Test-Path '/usr/share/orthanc/plugins/libOrthancDicomWeb.so')) { return 'the Orthanc DICOMweb plugin is not installed (apt-get install orthanc-dicomweb)' }
    return $null
}

function Start-TestOrthanc {
    # Orthanc with the DICOMweb plugin, authentication on and a random password; returns what the tests need.
    param([int] $LimitFindInstances = 0, [int] $LimitFindResults = 0)
    $dir = Join-Path ([IO.Path]::GetTempPath()) ("coco-orthanc-" + [guid]::NewGuid().ToString('N').Substring(0, 12))
    New-Item -ItemType Directory -Path (Join-Path $dir 'storage') -Force | Out-Null
    $password = [Convert]::ToBase64String([Security.Cryptography.RandomNumberGenerator]::GetBytes(18)).Replace('/', 'x').Replace('+', 'y')
    $port = Get-FreeTcpPort
    $config = [ordered]@{
        Name = 'CocoToolsTest'
        StorageDirectory = (Join-Path $dir 'storage')
        IndexDirectory = (Join-Path $dir 'storage')
        HttpPort = $port
        RemoteAccessAllowed = $false
        DicomServerEnabled = $false
        AuthenticationEnabled = $true
        RegisteredUsers = @{ cocotest = $password }
        LimitFindInstances = $LimitFindInstances
        LimitFindResults = $LimitFindResults
        Plugins = @('/usr/share/orthanc/plugins/libOrthancDicomWeb.so')
        DicomWeb = @{ Enable = $true; Root = '/dicom-web/' }
    }
    $configPath = Join-Path $dir 'orthanc.json'
    $config | ConvertTo-Json -Depth 5 | Set-Content -LiteralPath $configPath -Encoding utf8
    $process = Start-Process -FilePath (Get-Command Orthanc).Source -ArgumentList @($configPath) -PassThru `
        -RedirectStandardOutput (Join-Path $dir 'out.log') -RedirectStandardError (Join-Path $dir 'err.log')
    $credential = [pscredential]::new('cocotest', (ConvertTo-SecureString $password -AsPlainText -Force))
    $root = "http://127.0.0.1:$port"
    $deadline = [DateTime]::UtcNow.AddSeconds(30)
    while ($true) {
        try {
            Invoke-RestMethod "$root/system" -Credential $credential -AllowUnencryptedAuthentication -TimeoutSec 2 | Out-Null
            break
        } catch {
            if ($process.HasExited -or [DateTime]::UtcNow -gt $deadline) {
                $log = Get-Content (Join-Path $dir 'err.log') -Raw -ErrorAction Ignore
                throw "Orthanc did not start on port ${port}: $log"
            }
            Start-Sleep -Milliseconds 100
        }
    }

    [pscustomobject]@{
        Process = $process; Directory = $dir; Root = $root; DicomWeb = "$root/dicom-web"
        Credential = $credential; Password = $password
    }
}

function Add-TestOrthancInstance {
    # Uploads files through the REST API; returns the paths Orthanc stored (not those it refused or had already).
    param([Parameter(Mandatory)] $Server, [Parameter(Mandatory)] [string[]] $Path)
    foreach ($file in $Path) {
        $answer = try {
            Invoke-RestMethod "$($Server.Root)/instances" -Method Post -InFile $file -ContentType 'application/dicom' -Credential $Server.Credential -AllowUnencryptedAuthentication
        } catch { $null }
        if ($answer -and $answer.Status -eq 'Success') { $file }
    }
}

function Stop-TestServer {
    param($Server)
    if ($null -eq $Server) { return }
    if ($Server.Process -and -not $Server.Process.HasExited) {
        $Server.Process.Kill()
        $Server.Process.WaitForExit(10000) | Out-Null
    }
    if ($Server.Directory -and (Test-Path $Server.Directory)) { Remove-Item -LiteralPath $Server.Directory -Recurse -Force -ErrorAction Ignore }
}

function Start-TestFaultServer {
    # tests/Pester/servers/dicomweb_fault_server.py serving -Root under /static; it prints its port first.
    param([Parameter(Mandatory)] [string] $Root, [string] $Certificate, [string] $Key)
    $script = Join-Path $PSScriptRoot 'servers/dicomweb_fault_server.py'
    $psi = [System.Diagnostics.ProcessStartInfo]::new('/usr/bin/python3')
    $psi.ArgumentList.Add('-u'); $psi.ArgumentList.Add($script); $psi.ArgumentList.Add($Root)
    if ($Certificate) { $psi.ArgumentList.Add($Certificate); $psi.ArgumentList.Add($Key) }
    $psi.RedirectStandardOutput = $true
    $psi.UseShellExecute = $false
    $process = [System.Diagnostics.Process]::Start($psi)
    $port = $process.StandardOutput.ReadLine()
    if (-not $port) { throw 'The fault server did not start.' }
    [pscustomobject]@{ Process = $process; Directory = $null; Root = "$(if ($Certificate) { 'https' } else { 'http' })://127.0.0.1:$port" }
}

function Get-TestServerCount {
    param([Parameter(Mandatory)] $Server, [Parameter(Mandatory)] [string] $Route)
    $counts = Invoke-RestMethod "$($Server.Root)/_counts"
    if ($counts.PSObject.Properties[$Route]) { [int]$counts.$Route } else { 0 }
}
