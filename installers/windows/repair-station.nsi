; NSIS 3 script: the Windows installer of Repair Station (维修站管理), per machine.
;
; Build the PyInstaller folder first (installers/README.md), then, with the version from
; pyproject.toml:
;   makensis /DVERSION=0.1.0 /DDIST=dist\repair-station /DOUTFILE=RepairStation-Setup-0.1.0.exe
;            installers\windows\repair-station.nsi
; (on Linux: makensis -DVERSION=... ; Debian's nsis package compiles it too, and CI does:
; tests/test_installer_nsis.py). DIST and OUTFILE are relative to this script's folder
; unless absolute.
;
; Installs to Program Files for every user of the PC (administrator rights), with Start-menu
; entries (Chinese and English) and a desktop shortcut, an uninstaller in Programs and
; Features, and the program's --self-test run after copying, which fails the installation
; on a broken build. The station's data (the user data folder) is never touched by the
; uninstaller. Windows 10 64-bit version 1809 (build 17763) or later, or Windows 11: Qt 6's
; minimum; anything older is refused before a file is copied.

Unicode true
ManifestDPIAware true
SetCompressor /SOLID lzma

!ifndef VERSION
  !error "VERSION is not defined: makensis /DVERSION=<pyproject version> (see the header)"
!endif
!ifndef DIST
  !define DIST "..\..\dist\repair-station"
!endif
!ifndef OUTFILE
  !define OUTFILE "RepairStation-Setup-${VERSION}.exe"
!endif

!define APPNAME "维修站管理 Repair Station"
!define APPKEY "RepairStation"
!define PUBLISHER "Repair Station"
!define UNINSTKEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${APPKEY}"
!define MIN_BUILD 17763 ; Windows 10 1809

!include "MUI2.nsh"
!include "LogicLib.nsh"
!include "WinVer.nsh"
!include "x64.nsh"
!include "FileFunc.nsh"

Name "${APPNAME}"
OutFile "${OUTFILE}"
InstallDir "$PROGRAMFILES64\${APPKEY}"
InstallDirRegKey HKLM "Software\${APPKEY}" "InstallDir"
RequestExecutionLevel admin
BrandingText "${APPNAME} ${VERSION}"

VIProductVersion "${VERSION}.0"
VIAddVersionKey /LANG=0 "ProductName" "${APPNAME}"
VIAddVersionKey /LANG=0 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=0 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=0 "CompanyName" "${PUBLISHER}"
VIAddVersionKey /LANG=0 "FileDescription" "${APPNAME} Setup"
VIAddVersionKey /LANG=0 "LegalCopyright" "${PUBLISHER}"

!define MUI_ABORTWARNING
!define MUI_LANGDLL_ALLLANGUAGES
!define MUI_LANGDLL_REGISTRY_ROOT HKLM
!define MUI_LANGDLL_REGISTRY_KEY "Software\${APPKEY}"
!define MUI_LANGDLL_REGISTRY_VALUENAME "InstallerLanguage"
!define MUI_FINISHPAGE_RUN "$INSTDIR\repair-station.exe"

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_COMPONENTS
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES

; the first language is the default: Chinese; the choice is offered at start
!insertmacro MUI_LANGUAGE "SimpChinese"
!insertmacro MUI_LANGUAGE "English"
!insertmacro MUI_RESERVEFILE_LANGDLL

LangString OldWindows ${LANG_SIMPCHINESE} "本程序需要 64 位 Windows 10(1809 或更新版本)或 Windows 11。"
LangString OldWindows ${LANG_ENGLISH} "This program needs 64-bit Windows 10 (version 1809 or later) or Windows 11."
LangString SelfTestFailed ${LANG_SIMPCHINESE} "安装后自检失败(代码 $0)。请联系总部技术支持。"
LangString SelfTestFailed ${LANG_ENGLISH} "The self-test after installing failed (code $0). Please contact head office's support."
LangString SecProgram ${LANG_SIMPCHINESE} "维修站管理程序"
LangString SecProgram ${LANG_ENGLISH} "Repair Station program"
LangString SecDesktop ${LANG_SIMPCHINESE} "桌面快捷方式"
LangString SecDesktop ${LANG_ENGLISH} "Desktop shortcut"
LangString EnglishEntry ${LANG_SIMPCHINESE} "维修站管理 (English)"
LangString EnglishEntry ${LANG_ENGLISH} "Repair Station (English)"

Function .onInit
  ${IfNot} ${RunningX64}
  ${OrIfNot} ${AtLeastWin10}
  ${OrIfNot} ${AtLeastBuild} ${MIN_BUILD}
    MessageBox MB_OK|MB_ICONSTOP "$(OldWindows)" /SD IDOK
    Abort
  ${EndIf}
  SetRegView 64
  !insertmacro MUI_LANGDLL_DISPLAY
FunctionEnd

Section "!$(SecProgram)" SecMain
  SectionIn RO
  SetShellVarContext all
  SetOutPath "$INSTDIR"
  ; an update replaces the program's files whole (the data folder is elsewhere)
  RMDir /r "$INSTDIR\_internal"
  File /r "${DIST}\*.*"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  CreateDirectory "$SMPROGRAMS\${APPNAME}"
  CreateShortcut "$SMPROGRAMS\${APPNAME}\${APPNAME}.lnk" "$INSTDIR\repair-station.exe"
  CreateShortcut "$SMPROGRAMS\${APPNAME}\$(EnglishEntry).lnk" "$INSTDIR\repair-station.exe" "--lang en"
  CreateShortcut "$SMPROGRAMS\${APPNAME}\Uninstall.lnk" "$INSTDIR\uninstall.exe"

  WriteRegStr HKLM "Software\${APPKEY}" "InstallDir" "$INSTDIR"
  WriteRegStr HKLM "${UNINSTKEY}" "DisplayName" "${APPNAME}"
  WriteRegStr HKLM "${UNINSTKEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKLM "${UNINSTKEY}" "Publisher" "${PUBLISHER}"
  WriteRegStr HKLM "${UNINSTKEY}" "DisplayIcon" "$INSTDIR\repair-station.exe"
  WriteRegStr HKLM "${UNINSTKEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKLM "${UNINSTKEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKLM "${UNINSTKEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKLM "${UNINSTKEY}" "NoModify" 1
  WriteRegDWORD HKLM "${UNINSTKEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  WriteRegDWORD HKLM "${UNINSTKEY}" "EstimatedSize" $0

  ; the self-test opens the main window offscreen on a scratch data folder, shows every page
  ; and exits 0; anything else means the files on this PC are not a working program
  ExecWait '"$INSTDIR\repair-station-cli.exe" --data-dir "$TEMP\repair-station-self-test" --self-test' $0
  RMDir /r "$TEMP\repair-station-self-test"
  ${If} $0 != 0
    MessageBox MB_OK|MB_ICONSTOP "$(SelfTestFailed)" /SD IDOK
    SetErrorLevel 2
    Abort
  ${EndIf}
SectionEnd

Section "$(SecDesktop)" SecDesktopShortcut
  SetShellVarContext all
  CreateShortcut "$DESKTOP\${APPNAME}.lnk" "$INSTDIR\repair-station.exe"
SectionEnd

Function un.onInit
  SetRegView 64
  !insertmacro MUI_UNGETLANGUAGE
FunctionEnd

Section "Uninstall"
  SetShellVarContext all
  Delete "$DESKTOP\${APPNAME}.lnk"
  RMDir /r "$SMPROGRAMS\${APPNAME}"
  ; only what the installer put there: never a folder the user chose with other files in it
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\repair-station.exe"
  Delete "$INSTDIR\repair-station-cli.exe"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  DeleteRegKey HKLM "${UNINSTKEY}"
  DeleteRegKey HKLM "Software\${APPKEY}"
SectionEnd
