import type { TFunction } from 'i18next';
import type { MenuEntry } from '../../ui/ContextMenu';
import { ariaKeys, keyLabels, MAIL_SHORTCUTS } from './mail-shortcuts';
import type { MailState } from './mail-state';

/** A toolbar group: the reply group, the move group, delete, the read/flag group. */
export type MailActionGroup = 'new' | 'reply' | 'move' | 'delete' | 'mark';

export interface MailAction extends MenuEntry {
  group: MailActionGroup;
  /** The icon's name (mail-icons.tsx). */
  icon: string;
  /** A button that shows a state (flag on the active message). */
  pressed?: boolean;
  /** The button opens a dialog. */
  dialog?: boolean;
}

/** The keys of an action as a person reads them: "R", "Entf". */
function keyLabelOf(action: string): string | undefined {
  const shortcut = MAIL_SHORTCUTS.find((s) => s.action === action);
  const labels = shortcut ? keyLabels(shortcut).slice(0, 1) : [];
  return labels[0] && (labels[0].length === 1 ? labels[0].toUpperCase() : labels[0]);
}

/**
 * What can be done with the selected messages: one list for the toolbar (grouped, with icons) and the
 * message context menu, so both always offer the same. Replying needs exactly one message.
 */
export function mailActions(s: MailState, t: TFunction): MailAction[] {
  const targets = s.targets();
  const none = targets.length === 0;
  const one = targets.length === 1;
  const archive = s.folders.find((f) => f.role === 'archive');
  const make = (
    id: string,
    group: MailActionGroup,
    icon: string,
    run: () => void,
    extra: Partial<MailAction> = {},
  ): MailAction => ({
    id,
    group,
    icon,
    label: t(`mail.actions.${id}`),
    shortcut: ariaKeys(id) || undefined,
    keyLabel: keyLabelOf(id),
    run,
    ...extra,
  });
  const actions: MailAction[] = [
    make('reply', 'reply', 'reply', () => void s.startCompose('reply'), { disabled: !one }),
    make('replyAll', 'reply', 'replyAll', () => void s.startCompose('replyAll'), { disabled: !one }),
    make('forward', 'reply', 'forward', () => void s.startCompose('forward'), { disabled: !one }),
    make('move', 'move', 'move', () => s.setMovePicker(true), { disabled: none, dialog: true, separator: true }),
  ];
  if (archive)
    actions.push(
      make('archive', 'move', 'archive', () => void s.archiveSelection(), {
        disabled: none || targets.every((m) => m.folder === archive.path),
      }),
    );
  actions.push(
    make('delete', 'delete', 'delete', () => void s.deleteSelection(), { disabled: none }),
    make('toggleRead', 'mark', 'read', () => void s.toggleRead(), { disabled: none, separator: true }),
    make('flag', 'mark', 'flag', () => void s.toggleFlag(), {
      disabled: none,
      pressed: !none && targets.every((m) => m.flagged),
    }),
  );
  return actions;
}
