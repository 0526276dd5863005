import { type KeyboardEvent, useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { depthOf, sortFolders, useFolderName } from './FolderTree';
import { useMail } from './mail-store';

/**
 * "Move to folder" (key m): the account's folders, special-use ones under their German (or English) names,
 * as a list of buttons in a modal dialog. Arrow keys, Home/End and the first letter move between them,
 * Enter moves the selected messages, Escape cancels.
 */
export function MovePicker() {
  const { t } = useTranslation();
  const open = useMail((s) => s.movePickerOpen);
  const folders = useMail((s) => s.folders);
  // The folder the selected messages are in (when they all share one) is not offered.
  const from = useMail((s) => {
    if (!s.movePickerOpen) return undefined;
    const folders = new Set(s.targets().map((m) => m.folder));
    return folders.size === 1 ? [...folders][0] : undefined;
  });
  const { setMovePicker, moveSelection } = useMail.getState();
  const ref = useRef<HTMLDialogElement>(null);
  const listRef = useRef<HTMLUListElement>(null);
  const nameOf = useFolderName();
  const targets = sortFolders(folders).filter((f) => f.path !== from);

  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) {
      d.showModal();
      listRef.current?.querySelector<HTMLButtonElement>('button')?.focus();
    }
    if (!open && d.open) d.close();
  }, [open]);

  function onKeyDown(event: KeyboardEvent<HTMLUListElement>) {
    const buttons = [...(listRef.current?.querySelectorAll<HTMLButtonElement>('button') ?? [])];
    const at = buttons.indexOf(document.activeElement as HTMLButtonElement);
    let next: number | undefined;
    if (event.key === 'ArrowDown') next = Math.min(buttons.length - 1, at + 1);
    else if (event.key === 'ArrowUp') next = Math.max(0, at - 1);
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = buttons.length - 1;
    else if (event.key.length === 1 && /\p{L}|\p{N}/u.test(event.key)) {
      // Type-ahead: the next folder whose name starts with that letter.
      const key = event.key.toLocaleLowerCase();
      for (let i = 1; i <= buttons.length; i++) {
        const j = (at + i) % buttons.length;
        if (buttons[j]?.dataset.name?.toLocaleLowerCase().startsWith(key)) {
          next = j;
          break;
        }
      }
    }
    if (next === undefined) return;
    event.preventDefault();
    buttons[next]?.focus();
  }

  return (
    <dialog
      ref={ref}
      className="move-dialog"
      aria-labelledby="move-heading"
      aria-describedby="move-hint"
      onClose={() => setMovePicker(false)}
    >
      <h2 id="move-heading">{t('mail.move.heading')}</h2>
      <p id="move-hint" className="hint">
        {t('mail.move.hint')}
      </p>
      {open && (
        <ul ref={listRef} className="move-targets" onKeyDown={onKeyDown}>
          {targets.map((f) => {
            const name = nameOf(f, f.path);
            return (
              <li key={f.path} style={{ paddingLeft: depthOf(f) * 12 }}>
                <button type="button" data-folder={f.path} data-name={name} onClick={() => void moveSelection(f.path)}>
                  {name}
                </button>
              </li>
            );
          })}
        </ul>
      )}
      <button type="button" className="cancel" onClick={() => setMovePicker(false)}>
        {t('mail.move.cancel')}
      </button>
    </dialog>
  );
}
