import { useEffect } from 'react';
import type { AppIntent } from '../../../electron/contract/app';
import { openAgenda } from '../features/calendar/DateEntry';
import { composeFromMailto } from '../features/mail/compose-from-mailto';
import { showMessageById } from '../features/mail/show-message';
import { api } from '../ratsdesk-api';
import { useNavigation } from './navigation-store';

function runIntent(intent: AppIntent): Promise<void> {
  // A meeting reminder's click: that meeting's agenda in the council area.
  if (intent.kind === 'showMeeting') {
    openAgenda(intent.id);
    return Promise.resolve();
  }
  useNavigation.getState().showArea('mail');
  return intent.kind === 'compose' ? composeFromMailto(intent) : showMessageById(intent.id);
}

/**
 * mailto: URLs and notification clicks wait in the host until the app is signed in and unlocked: then
 * (and whenever the host says more are waiting) the renderer takes and carries them out, in order.
 */
export function useAppIntents(ready: boolean): void {
  useEffect(() => {
    if (!ready) return;
    let running = Promise.resolve();
    const take = () => {
      running = running.then(async () => {
        const r = await api().app.takeIntents();
        if (!r.ok) return;
        for (const intent of r.value) await runIntent(intent);
      });
    };
    take();
    return api().app.onIntentsPending(take);
  }, [ready]);
}
