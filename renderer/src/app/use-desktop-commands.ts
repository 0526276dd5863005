import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { MenuCommand } from '../../../electron/contract/app';
import { useLock } from '../features/lock/lock-store';
import { useMail } from '../features/mail/mail-store';
import { useSettings } from '../features/settings/settings-store';
import { usePrint } from '../features/print/print-store';
import { api } from '../ratsdesk-api';
import { useNavigation } from './navigation-store';
import { useSession } from './session-store';

/** Carries out a command of the application menu; nothing while locked or before sign-in. */
export function runMenuCommand(command: MenuCommand): void {
  if (useLock.getState().locked || useSession.getState().phase !== 'inbox') return;
  const { showArea } = useNavigation.getState();
  switch (command) {
    case 'newMessage':
      showArea('mail');
      void useMail.getState().startCompose('new');
      return;
    case 'shortcuts':
      showArea('mail');
      useMail.getState().setHelp(true);
      return;
    case 'diagnostics':
      showArea('settings');
      void useSettings.getState().runDoctor();
      return;
    case 'print': {
      // The open document (its page dialog) in the Documents area, else the open mail.
      const print = usePrint.getState();
      if (!print.allowed) return;
      if (useNavigation.getState().areaId === 'documents') print.requestDocumentPrint();
      else if (useMail.getState().open) void print.print('mail');
      return;
    }
  }
}

/** The host's application menu speaks the renderer's language and sends its commands here. */
export function useDesktopCommands(): void {
  const { i18n } = useTranslation();
  const language = i18n.language === 'en' ? 'en' : 'de';
  useEffect(() => {
    void api().app.setLanguage({ language });
  }, [language]);
  useEffect(() => api().app.onMenuCommand(({ command }) => runMenuCommand(command)), []);
}
