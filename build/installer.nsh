; Included by electron-builder's NSIS installer (electron-builder.config.cjs, nsis.include).
; Registers Ratsdesk as a mail program for mailto: links, so that Windows' "Default apps" offers it;
; the person (or "als Standard-Mailprogramm verwenden" in the app) chooses it there. SHELL_CONTEXT is
; HKCU for an installation "only for me" and HKLM for one "for all users".
!macro customInstall
  WriteRegStr SHELL_CONTEXT "Software\Classes\Ratsdesk.mailto" "" "URL:MailTo Protocol"
  WriteRegStr SHELL_CONTEXT "Software\Classes\Ratsdesk.mailto" "URL Protocol" ""
  WriteRegStr SHELL_CONTEXT "Software\Classes\Ratsdesk.mailto\DefaultIcon" "" "$appExe,0"
  WriteRegStr SHELL_CONTEXT "Software\Classes\Ratsdesk.mailto\shell\open\command" "" '"$appExe" "%1"'
  WriteRegStr SHELL_CONTEXT "Software\Clients\Mail\Ratsdesk" "" "Ratsdesk"
  WriteRegStr SHELL_CONTEXT "Software\Clients\Mail\Ratsdesk\Capabilities" "ApplicationName" "Ratsdesk"
  WriteRegStr SHELL_CONTEXT "Software\Clients\Mail\Ratsdesk\Capabilities" "ApplicationDescription" "Verschlüsselte E-Mail und Ratsinformation"
  WriteRegStr SHELL_CONTEXT "Software\Clients\Mail\Ratsdesk\Capabilities\URLAssociations" "mailto" "Ratsdesk.mailto"
  WriteRegStr SHELL_CONTEXT "Software\RegisteredApplications" "Ratsdesk" "Software\Clients\Mail\Ratsdesk\Capabilities"
!macroend

!macro customUnInstall
  DeleteRegValue SHELL_CONTEXT "Software\RegisteredApplications" "Ratsdesk"
  DeleteRegKey SHELL_CONTEXT "Software\Clients\Mail\Ratsdesk"
  DeleteRegKey SHELL_CONTEXT "Software\Classes\Ratsdesk.mailto"
!macroend
