<#
.SYNOPSIS
    Builds the module's help from docs/: MAML (CocoTools.dll-Help.xml) from the cmdlet pages, and
    about_CocoTools.help.txt from docs/about_CocoTools.md. Our own generator: platyPS is not available here.
.DESCRIPTION
    Runs in a fresh pwsh that imports the built module, so each cmdlet's syntax, parameter sets, types, positions,
    pipeline input and aliases come from the cmdlet itself; the prose (synopsis, description, parameter text,
    default values, examples, inputs, outputs, notes, links) comes from docs/<Cmdlet>.md in platyPS layout.
    A page that is missing, or a parameter without a section, stops the build.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $DocsPath,
    [Parameter(Mandatory)] [string] $OutputPath
)

$ErrorActionPreference = 'Stop'
Import-Module $ModulePath -Force
$module = Get-Module CocoTools
New-Item -ItemType Directory -Path $OutputPath -Force | Out-Null
$common = [System.Management.Automation.PSCmdlet]::CommonParameters + [System.Management.Automation.PSCmdlet]::OptionalCommonParameters

function Split-Sections {
    # "## NAME" sections of a page (or "### name" subsections of a section): ordered name -> text.
    param([string] $Text, [string] $Marker)
    $sections = [ordered]@{}
    $name = $null
    $lines = [System.Collections.Generic.List[string]]::new()
    $inCode = $false
    foreach ($line in $Text -split "`r?`n") {
        if ($line.StartsWith('```')) { $inCode = -not $inCode }
        if (-not $inCode -and $line.StartsWith("$Marker ")) {
            if ($null -ne $name) { $sections[$name] = ($lines -join "`n").Trim() }
            $name = $line.Substring($Marker.Length + 1).Trim()
            $lines.Clear()
        } elseif ($null -ne $name) {
            $lines.Add($line)
        }
    }
    if ($null -ne $name) { $sections[$name] = ($lines -join "`n").Trim() }
    $sections
}

function ConvertTo-Plain {
    # Markdown prose to plain paragraphs: no emphasis marks, links as their text.
    param([string] $Text)
    $t = $Text -replace '\*\*([^*]+)\*\*', '$1' -replace '`([^`]+)`', '$1' -replace '\[([^\]]+)\]\([^)]+\)', '$1'
    @(($t -split "`n\s*`n") | ForEach-Object { ($_ -split "`n" | ForEach-Object { $_.Trim() }) -join ' ' } | Where-Object { $_ })
}

function Add-Paras {
    param([System.Xml.XmlWriter] $W, [string] $Text)
    foreach ($p in ConvertTo-Plain $Text) { $W.WriteElementString('maml', 'para', $maml, $p) }
}

$maml = 'http://schemas.microsoft.com/maml/2004/10'
$command = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
$dev = 'http://schemas.microsoft.com/maml/dev/2004/10'
$settings = [System.Xml.XmlWriterSettings]@{ Indent = $true; Encoding = [System.Text.UTF8Encoding]::new($false) }
$helpFile = Join-Path $OutputPath 'CocoTools.dll-Help.xml'
$w = [System.Xml.XmlWriter]::Create($helpFile, $settings)
$w.WriteStartDocument()
$w.WriteStartElement('helpItems', 'http://msh')
$w.WriteAttributeString('schema', 'maml')

foreach ($cmd in Get-Command -Module CocoTools -CommandType Cmdlet | Sort-Object Name) {
    $page = Join-Path $DocsPath "$($cmd.Name).md"
    if (-not (Test-Path $page)) { throw "No help page $page for $($cmd.Name)." }
    $doc = Split-Sections (Get-Content $page -Raw) '##'
    $params = Split-Sections $doc['PARAMETERS'] '###'
    $w.WriteStartElement('command', 'command', $command)
    $w.WriteAttributeString('xmlns', 'maml', $null, $maml)
    $w.WriteAttributeString('xmlns', 'dev', $null, $dev)

    $w.WriteStartElement('command', 'details', $command)
    $w.WriteElementString('command', 'name', $command, $cmd.Name)
    $w.WriteElementString('command', 'verb', $command, $cmd.Verb)
    $w.WriteElementString('command', 'noun', $command, $cmd.Noun)
    $w.WriteStartElement('maml', 'description', $maml); Add-Paras $w $doc['SYNOPSIS']; $w.WriteEndElement()
    $w.WriteEndElement()
    $w.WriteStartElement('maml', 'description', $maml); Add-Paras $w $doc['DESCRIPTION']; $w.WriteEndElement()

    # One parameter element, from the cmdlet's metadata and the page's prose.
    $writeParameter = {
        param($Parameter, $SetMetadata)
        $section = $params["-$($Parameter.Name)"]
        if ($null -eq $section) { throw "$page has no section for -$($Parameter.Name)." }
        $prose = ($section -split '```yaml')[0]
        $default = if ($section -match '(?m)^Default value: (.*)$') { $Matches[1].Trim() } else { 'None' }
        $isSwitch = $Parameter.ParameterType -eq [System.Management.Automation.SwitchParameter]
        $byValue = $SetMetadata.ValueFromPipeline; $byName = $SetMetadata.ValueFromPipelineByPropertyName
        $pipeline = if ($byValue -and $byName) { 'True (ByPropertyName, ByValue)' } elseif ($byValue) { 'True (ByValue)' } elseif ($byName) { 'True (ByPropertyName)' } else { 'False' }
        $w.WriteStartElement('command', 'parameter', $command)
        $w.WriteAttributeString('required', "$($SetMetadata.IsMandatory)".ToLowerInvariant())
        $w.WriteAttributeString('variableLength', "$($Parameter.ParameterType.IsArray)".ToLowerInvariant())
        $w.WriteAttributeString('globbing', "$([bool]($Parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.SupportsWildcardsAttribute] }))".ToLowerInvariant())
        $w.WriteAttributeString('pipelineInput', $pipeline)
        $w.WriteAttributeString('position', $(if ($SetMetadata.Position -ge 0) { "$($SetMetadata.Position)" } else { 'named' }))
        $w.WriteAttributeString('aliases', $(if ($Parameter.Aliases.Count) { $Parameter.Aliases -join ', ' } else { 'none' }))
        $w.WriteElementString('maml', 'name', $maml, $Parameter.Name)
        $w.WriteStartElement('maml', 'description', $maml); Add-Paras $w $prose; $w.WriteEndElement()
        $typeName = $Parameter.ParameterType.Name
        if (-not $isSwitch) {
            $w.WriteStartElement('command', 'parameterValue', $command)
            $w.WriteAttributeString('required', 'true')
            $w.WriteAttributeString('variableLength', "$($Parameter.ParameterType.IsArray)".ToLowerInvariant())
            $w.WriteString($typeName)
            $w.WriteEndElement()
        }
        $enum = if ($Parameter.ParameterType.IsEnum) { [Enum]::GetNames($Parameter.ParameterType) } else { @() }
        foreach ($value in $enum) {
            $w.WriteStartElement('command', 'parameterValueGroup', $command)
            $w.WriteElementString('command', 'parameterValue', $command, $value)
            $w.WriteEndElement()
        }
        $w.WriteStartElement('dev', 'type', $dev); $w.WriteElementString('maml', 'name', $maml, $typeName); $w.WriteEndElement()
        $w.WriteElementString('dev', 'defaultValue', $dev, $default)
        $w.WriteEndElement()
    }

    $w.WriteStartElement('command', 'syntax', $command)
    foreach ($set in $cmd.ParameterSets) {
        $w.WriteStartElement('command', 'syntaxItem', $command)
        $w.WriteElementString('maml', 'name', $maml, $cmd.Name)
        foreach ($p in $set.Parameters | Where-Object { $common -notcontains $_.Name }) {
            & $writeParameter $cmd.Parameters[$p.Name] $p
        }
        $w.WriteEndElement()
    }
    $w.WriteEndElement()

    $w.WriteStartElement('command', 'parameters', $command)
    foreach ($p in $cmd.Parameters.Values | Where-Object { $common -notcontains $_.Name }) {
        $first = $cmd.ParameterSets | ForEach-Object { $_.Parameters } | Where-Object Name -eq $p.Name | Select-Object -First 1
        & $writeParameter $p $first
    }
    $w.WriteEndElement()

    foreach ($pair in @(@('INPUTS', 'inputTypes', 'inputType'), @('OUTPUTS', 'returnValues', 'returnValue'))) {
        $w.WriteStartElement('command', $pair[1], $command)
        $types = Split-Sections $doc[$pair[0]] '###'
        foreach ($type in $types.Keys) {
            $w.WriteStartElement('command', $pair[2], $command)
            $w.WriteStartElement('dev', 'type', $dev); $w.WriteElementString('maml', 'name', $maml, $type); $w.WriteEndElement()
            $w.WriteStartElement('maml', 'description', $maml); Add-Paras $w $types[$type]; $w.WriteEndElement()
            $w.WriteEndElement()
        }
        $w.WriteEndElement()
    }

    $w.WriteStartElement('maml', 'alertSet', $maml)
    $w.WriteStartElement('maml', 'alert', $maml); Add-Paras $w $doc['NOTES']; $w.WriteEndElement()
    $w.WriteEndElement()

    $w.WriteStartElement('command', 'examples', $command)
    $examples = Split-Sections $doc['EXAMPLES'] '###'
    foreach ($title in $examples.Keys) {
        $body = $examples[$title]
        $code = if ($body -match '(?s)```powershell\r?\n(.*?)\r?\n```') { $Matches[1] } else { '' }
        $remarks = ($body -replace '(?s)```powershell.*?```', '').Trim()
        $w.WriteStartElement('command', 'example', $command)
        $w.WriteElementString('maml', 'title', $maml, "-------------------------- $title --------------------------")
        $w.WriteElementString('dev', 'code', $dev, $code)
        $w.WriteStartElement('dev', 'remarks', $dev); Add-Paras $w $remarks; $w.WriteEndElement()
        $w.WriteEndElement()
    }
    $w.WriteEndElement()

    $w.WriteStartElement('command', 'relatedLinks', $command)
    foreach ($m in [regex]::Matches($doc['RELATED LINKS'], '\[([^\]]+)\]\(([^)]*)\)')) {
        $w.WriteStartElement('maml', 'navigationLink', $maml)
        $w.WriteElementString('maml', 'linkText', $maml, $m.Groups[1].Value)
        $w.WriteElementString('maml', 'uri', $maml, $(if ($m.Groups[2].Value -match '^https?://') { $m.Groups[2].Value } else { '' }))
        $w.WriteEndElement()
    }
    $w.WriteEndElement()
    $w.WriteEndElement()
}

$w.WriteEndElement()
$w.WriteEndDocument()
$w.Close()

# about_CocoTools and every other docs/about_*.md: the markdown as plain text, headings in capitals, code indented.
$aboutTopics = foreach ($page in Get-ChildItem -LiteralPath $DocsPath -Filter 'about_*.md' | Sort-Object Name) {
    $about = Get-Content -LiteralPath $page.FullName -Raw
    $out = [System.Text.StringBuilder]::new()
    $inCode = $false
    foreach ($line in $about -split "`r?`n") {
        if ($line.StartsWith('```')) { $inCode = -not $inCode; continue }
        if ($inCode) { [void]$out.AppendLine("    $line"); continue }
        if ($line -match '^#{1,6} (.*)$') {
            $heading = $Matches[1]
            [void]$out.AppendLine($(if ($line.StartsWith('# ')) { $heading } else { $heading.ToUpperInvariant() }))
            continue
        }
        [void]$out.AppendLine(($line -replace '\*\*([^*]+)\*\*', '$1' -replace '`([^`]+)`', '$1' -replace '\[([^\]]+)\]\([^)]+\)', '$1'))
    }
    Set-Content -LiteralPath (Join-Path $OutputPath "$($page.BaseName).help.txt") -Value $out.ToString().TrimEnd() -Encoding utf8NoBOM
    "$($page.BaseName).help.txt"
}
Write-Output "Help: $helpFile and $($aboutTopics -join ', ')"
