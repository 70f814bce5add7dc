; Inno Setup script for the Windows installer of Repair Station (维修站管理).
; Build the PyInstaller folder first (see installers/README.md), then:
;   iscc installers\windows\repair-station.iss
; The installer runs the program's --self-test after copying the files and refuses to
; finish on a failure, so a broken build never reaches a station.

#define AppName "Repair Station 维修站管理"
#define AppVersion "0.1.0"
#define DistDir "..\..\dist\repair-station"

[Setup]
AppId={{6C0E1C9B-7F3E-4B7E-9E34-2B7C4D1F5A10}
AppName={#AppName}
AppVersion={#AppVersion}
AppPublisher=Repair Station
DefaultDirName={autopf}\RepairStation
DefaultGroupName={#AppName}
; per-user install by default: stations' PCs are often without an administrator at hand
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
OutputBaseFilename=RepairStation-Setup-{#AppVersion}
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
ArchitecturesInstallIn64BitMode=x64compatible

[Languages]
Name: "chinesesimplified"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"
Name: "synctask"; Description: "每15分钟在后台与总部同步 / Sync with head office every 15 minutes"; Flags: unchecked

[Files]
Source: "{#DistDir}\*"; DestDir: "{app}"; Flags: recursesubdirs ignoreversion

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\repair-station.exe"
Name: "{group}\{#AppName} (English)"; Filename: "{app}\repair-station.exe"; Parameters: "--lang en"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\repair-station.exe"; Tasks: desktopicon

[Run]
Filename: "schtasks.exe"; Parameters: "/Create /F /SC MINUTE /MO 15 /TN ""RepairStation Sync"" /TR ""\""{app}\repair-station-cli.exe\"" sync"""; Flags: runhidden; Tasks: synctask
Filename: "{app}\repair-station.exe"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[UninstallRun]
Filename: "schtasks.exe"; Parameters: "/Delete /F /TN ""RepairStation Sync"""; Flags: runhidden; RunOnceId: "DeleteSyncTask"

[Code]
// The self-test opens the main window offscreen on a scratch data folder, shows every page
// and exits 0; anything else means the files on this PC are not a working program.
procedure CurStepChanged(CurStep: TSetupStep);
var
  ResultCode: Integer;
  Scratch: String;
begin
  if CurStep = ssPostInstall then
  begin
    Scratch := ExpandConstant('{tmp}\self-test-data');
    if not Exec(ExpandConstant('{app}\repair-station-cli.exe'),
                '--data-dir "' + Scratch + '" --self-test', '', SW_HIDE,
                ewWaitUntilTerminated, ResultCode) or (ResultCode <> 0) then
    begin
      MsgBox('安装后自检失败(代码 ' + IntToStr(ResultCode) + ')。请联系总部技术支持。' + #13#10 +
             'The self-test after installing failed (code ' + IntToStr(ResultCode) + ').',
             mbCriticalError, MB_OK);
      Abort;
    end;
  end;
end;
