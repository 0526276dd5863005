import { type DragEvent, type FormEvent, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PickedFile } from '../../../../electron/contract/app';
import type { DocumentMetaInfo } from '../../../../electron/contract/documents';
import { api } from '../../ratsdesk-api';
import { ErrorMessage } from '../../ui/ErrorMessage';
import { ComposeSmime } from '../smime/ComposeSmime';
import { formatAddresses, parseAddresses } from './compose-addresses';
import { useMail } from './mail-store';

const AUTOSAVE_MS = 4000;
/** The largest file the document cache takes as an attachment (document-import.ts). */
const MAX_DROPPED_FILE = 50 * 1024 * 1024;

const carriesFiles = (e: DragEvent) => e.dataTransfer.types.includes('Files');

/** Compose, reply, reply all and forward in a modal dialog; sending puts the message into the outbox. */
export function ComposeDialog() {
  const { t } = useTranslation();
  const compose = useMail((s) => s.compose);
  const { updateDraft, saveDraft, send, closeCompose, cancelConfirm } = useMail.getState();
  const ref = useRef<HTMLDialogElement>(null);
  const [to, setTo] = useState('');
  const [cc, setCc] = useState('');
  const [bcc, setBcc] = useState('');
  const [problem, setProblem] = useState<string | undefined>();
  const [documents, setDocuments] = useState<DocumentMetaInfo[] | undefined>();
  const [dirty, setDirty] = useState(0);
  /** Names of attached documents (files picked from disk are documents too), by document id. */
  const [names, setNames] = useState<Record<string, string>>({});
  const [dropping, setDropping] = useState(false);
  const mode = compose?.mode;

  useEffect(() => {
    const dialog = ref.current;
    if (!compose || !dialog) return;
    setTo(compose.fields?.to ?? formatAddresses(compose.draft.to));
    setCc(compose.fields?.cc ?? formatAddresses(compose.draft.cc));
    setBcc(compose.fields?.bcc ?? formatAddresses(compose.draft.bcc));
    setProblem(undefined);
    if (!dialog.open) dialog.showModal();
    // A reopened draft names its attachments by document id only: look their names up once.
    if (compose.draft.attachments.some((a) => a.kind === 'document')) {
      void api()
        .documents.list()
        .then((r) => {
          if (r.ok) setNames((known) => ({ ...Object.fromEntries(r.value.map((d) => [d.id, d.name])), ...known }));
        });
    }
    // Only when a new compose session starts (a mailto: URL brings new fields).
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [mode, compose === undefined, compose?.fields]);

  // Autosave into the vault (and from there to the Drafts folder) a moment after the last change.
  useEffect(() => {
    if (dirty === 0) return;
    const timer = setTimeout(() => void saveDraft(), AUTOSAVE_MS);
    return () => clearTimeout(timer);
  }, [dirty, saveDraft]);

  if (!compose) return null;
  const { draft, confirmOutside } = compose;

  /**
   * Takes the typed addresses into the draft and names the first invalid one. "No recipient" is said only
   * when sending (`forSending`): said on leaving the field, it would move the buttons under the pointer, and
   * a click on "Discard" right after typing nothing would miss.
   */
  function syncAddresses(forSending = false): boolean {
    const parsed = [parseAddresses(to), parseAddresses(cc), parseAddresses(bcc)];
    updateDraft({ to: parsed[0]!.valid, cc: parsed[1]!.valid, bcc: parsed[2]!.valid });
    const invalid = parsed.flatMap((p) => p.invalid);
    if (invalid.length > 0) {
      setProblem(t('mail.compose.invalidAddress', { address: invalid[0] }));
      return false;
    }
    if (forSending && parsed.every((p) => p.valid.length === 0)) {
      setProblem(t('mail.compose.noRecipient'));
      return false;
    }
    setProblem(undefined);
    return true;
  }

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    if (!syncAddresses(true)) return;
    if (await send()) ref.current?.close();
  }

  async function pickFiles() {
    const r = await api().app.pickAttachmentFiles();
    if (!r.ok) {
      useMail.getState().setError(r.error);
      return;
    }
    addAttachments(r.value);
  }

  function addAttachments(files: PickedFile[]) {
    const current = useMail.getState().compose;
    if (files.length === 0 || !current) return;
    setNames((known) => ({ ...known, ...Object.fromEntries(files.map((f) => [f.documentId, f.name])) }));
    updateDraft({
      attachments: [
        ...current.draft.attachments,
        ...files.map((f) => ({ kind: 'document' as const, documentId: f.documentId })),
      ],
    });
    touch();
  }

  /** Files dropped on the compose window become attachments, through the encrypted cache like "Anhängen". */
  async function dropFiles(e: DragEvent<HTMLFormElement>) {
    if (!carriesFiles(e)) return;
    e.preventDefault();
    setDropping(false);
    const files = [...e.dataTransfer.files].slice(0, 20);
    if (files.length === 0) return;
    if (files.some((f) => f.size > MAX_DROPPED_FILE)) {
      useMail.getState().setError({ code: 'DOCUMENT_TOO_LARGE' });
      return;
    }
    const payload = await Promise.all(
      files.map(async (f) => ({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) })),
    );
    const r = await api().app.attachDroppedFiles({ files: payload });
    if (r.ok) addAttachments(r.value);
    else useMail.getState().setError(r.error);
  }

  async function pickDocument() {
    const r = await api().documents.list();
    setDocuments(r.ok ? r.value : []);
  }

  const heading =
    mode === 'forward'
      ? 'mail.compose.headingForward'
      : mode === 'new'
        ? 'mail.compose.heading'
        : mode === 'draft'
          ? 'mail.compose.headingDraft'
          : 'mail.compose.headingReply';
  const touch = () => setDirty((d) => d + 1);

  return (
    <dialog
      ref={ref}
      className="compose-dialog"
      aria-labelledby="compose-heading"
      onCancel={(e) => {
        e.preventDefault();
        void closeCompose(false);
        ref.current?.close();
      }}
    >
      <form
        onSubmit={(e) => void onSubmit(e)}
        className={dropping ? 'compose-dropping' : undefined}
        onDragOver={(e) => {
          if (!carriesFiles(e)) return;
          e.preventDefault();
          e.dataTransfer.dropEffect = 'copy';
          setDropping(true);
        }}
        onDragLeave={(e) => {
          if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setDropping(false);
        }}
        onDrop={(e) => void dropFiles(e)}
      >
        <h2 id="compose-heading">{t(heading)}</h2>
        <label htmlFor="compose-to">{t('mail.compose.to')}</label>
        <input
          id="compose-to"
          value={to}
          onChange={(e) => {
            setTo(e.target.value);
            touch();
          }}
          onBlur={() => syncAddresses()}
          aria-describedby="compose-hint"
          autoFocus
        />
        <label htmlFor="compose-cc">{t('mail.compose.cc')}</label>
        <input
          id="compose-cc"
          value={cc}
          onChange={(e) => (setCc(e.target.value), touch())}
          aria-describedby="compose-hint"
        />
        <label htmlFor="compose-bcc">{t('mail.compose.bcc')}</label>
        <input
          id="compose-bcc"
          value={bcc}
          onChange={(e) => (setBcc(e.target.value), touch())}
          aria-describedby="compose-hint"
        />
        <p id="compose-hint" className="hint">
          {t('mail.compose.addressesHint')}
        </p>
        <label htmlFor="compose-subject">{t('mail.compose.subject')}</label>
        <input
          id="compose-subject"
          value={draft.subject}
          onChange={(e) => {
            updateDraft({ subject: e.target.value });
            touch();
          }}
        />
        <label htmlFor="compose-body">{t('mail.compose.body')}</label>
        <textarea
          id="compose-body"
          rows={12}
          value={draft.text}
          onChange={(e) => {
            updateDraft({ text: e.target.value });
            touch();
          }}
        />
        <fieldset className="compose-attachments">
          <legend>{t('mail.compose.attachments')}</legend>
          <ul>
            {draft.attachments.map((a, i) => (
              <li key={i}>
                {a.kind === 'document'
                  ? (names[a.documentId] ?? documents?.find((d) => d.id === a.documentId)?.name ?? '…')
                  : (a.filename ?? t('mail.compose.messagePart', { part: a.partId }))}{' '}
                <button
                  type="button"
                  onClick={() => updateDraft({ attachments: draft.attachments.filter((_, j) => j !== i) })}
                >
                  {t('mail.compose.remove')}
                </button>
              </li>
            ))}
          </ul>
          <p className="hint">{t('mail.compose.dropHint')}</p>
          <button type="button" onClick={() => void pickFiles()}>
            {t('mail.compose.attachFile')}
          </button>{' '}
          {documents === undefined ? (
            <button type="button" onClick={() => void pickDocument()}>
              {t('mail.compose.attachDocument')}
            </button>
          ) : documents.length === 0 ? (
            <p>{t('mail.compose.noDocuments')}</p>
          ) : (
            <label>
              {t('mail.compose.chooseDocument')}{' '}
              <select
                value=""
                onChange={(e) => {
                  if (e.target.value)
                    updateDraft({
                      attachments: [...draft.attachments, { kind: 'document', documentId: e.target.value }],
                    });
                }}
              >
                <option value="" />
                {documents.map((d) => (
                  <option key={d.id} value={d.id}>
                    {d.name}
                  </option>
                ))}
              </select>
            </label>
          )}
        </fieldset>
        <ComposeSmime
          addresses={[to, cc, bcc].flatMap((text) => parseAddresses(text).valid.map((a) => a.address))}
          mode={compose.smime}
          onChange={(m) => useMail.getState().setSmime(m)}
        />
        {problem && (
          <div role="alert" className="error" data-error-code="INVALID_INPUT">
            {problem}
          </div>
        )}
        <ErrorMessage error={compose.error} />
        {confirmOutside && (
          <div className="compose-confirm" role="alert" aria-labelledby="compose-confirm-text">
            <p id="compose-confirm-text">{t('mail.compose.confirmOutside', { count: confirmOutside.length })}</p>
            <ul>
              {confirmOutside.map((address) => (
                <li key={address}>{address}</li>
              ))}
            </ul>
            <div className="compose-actions">
              <button
                type="button"
                className="primary"
                onClick={() => void send(true).then((sent) => sent && ref.current?.close())}
              >
                {t('mail.compose.sendAnyway')}
              </button>
              <button type="button" onClick={cancelConfirm} autoFocus>
                {t('mail.compose.changeRecipients')}
              </button>
            </div>
          </div>
        )}
        <div className="compose-actions" hidden={confirmOutside !== undefined}>
          <button type="submit" className="primary">
            {t('mail.compose.send')}
          </button>
          <button type="button" onClick={() => (syncAddresses(), void saveDraft())}>
            {t('mail.compose.saveDraft')}
          </button>
          <button
            type="button"
            onClick={() => {
              void closeCompose(true);
              ref.current?.close();
            }}
          >
            {t('mail.compose.discard')}
          </button>
        </div>
      </form>
    </dialog>
  );
}
