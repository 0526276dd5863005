import { defaultStore, type KeyValueStore } from '../../ui/pane-widths';

/** Whether the message list shows conversations (one row each) or messages; kept like the pane widths. */
const KEY = 'ratsdesk.mailConversations';

export function loadConversationView(storage = defaultStore()): boolean {
  try {
    return storage?.getItem(KEY) === 'on';
  } catch {
    return false;
  }
}

export function saveConversationView(on: boolean, storage: KeyValueStore | undefined = defaultStore()): void {
  try {
    storage?.setItem(KEY, on ? 'on' : 'off');
  } catch {
    // Storage full or unavailable: the choice holds for this session only.
  }
}
