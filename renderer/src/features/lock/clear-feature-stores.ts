import { onLock } from '../../app/lock-registry';
import { useDocuments } from '../documents/documents-store';
import { useMail } from '../mail/mail-store';
import { useRis } from '../ris/ris-store';
import { useSearchAll } from '../search/search-store';

// On lock, the stores that hold decrypted content go back to their initial (empty) state (the mail
// store also ends its timers, subscriptions and calls under way: mail-store-runtime.ts). The views
// are unmounted while locked and load afresh after unlocking.
onLock(() => useMail.getState().reset());
onLock(() => useDocuments.setState(useDocuments.getInitialState(), true));
onLock(() => useRis.setState(useRis.getInitialState(), true));
onLock(() => useSearchAll.setState(useSearchAll.getInitialState(), true));
