import { create } from 'zustand';
import type { ErrorInfo } from '../../../../electron/contract/errors';
import type {
  MeetingSummary,
  MeetingView,
  OfflineProgressInfo,
  PaperView,
  RisDeviationInfo,
  RisFile,
  SearchHit,
} from '../../../../electron/contract/ris';
import { okOrRecord, succeeded } from '../../app/contract-call';
import { api } from '../../ratsdesk-api';
import { RIS_UPCOMING_LIMIT, startCallOr } from '../../app/start-calls';

export interface BodySummary {
  id: string;
  systemId: string;
  name: string | null;
  shortName: string | null;
  lastSync: string | null;
  deviations: RisDeviationInfo[];
}

export interface OrganizationSummary {
  id: string;
  bodyId: string;
  name: string | null;
  classification: string | null;
  chosen: boolean;
}

/** What the main pane shows. */
export type RisRoute =
  | { view: 'home' }
  | { view: 'paper'; id: string }
  | { view: 'meeting'; id: string }
  | { view: 'document'; documentId: string; name: string; mimeType: string | null; insecure: boolean };

export interface OfflineState extends OfflineProgressInfo {
  pinnedUntil?: string;
  error?: ErrorInfo;
}

interface RisState {
  route: RisRoute;
  history: RisRoute[];
  paper: PaperView | undefined;
  meeting: MeetingView | undefined;
  loading: boolean;
  /** Error of the main pane (paper, meeting, file). */
  error: ErrorInfo | undefined;

  linkError: ErrorInfo | undefined;
  linkNotice: 'notRecognized' | 'openedInWindow' | undefined;

  bodies: BodySummary[];
  bodiesError: ErrorInfo | undefined;
  organizations: Record<string, OrganizationSummary[]>;
  /** Bodies being synced on request. */
  syncing: Record<string, boolean | undefined>;
  /** The latest progress of a running sync of a body (also one a link started). */
  syncProgress: Record<string, { list: string; objects: number } | undefined>;
  upcoming: MeetingSummary[];
  agendas: Record<string, MeetingView | undefined>;

  query: string;
  hits: SearchHit[] | undefined;
  searchError: ErrorInfo | undefined;

  offline: Record<string, OfflineState | undefined>;

  /** Subscribes to progress events; returns the unsubscribe function. */
  listen(): () => void;
  loadHome(): Promise<void>;
  syncBody(bodyId: string): Promise<void>;
  loadOrganizations(bodyId: string): Promise<void>;
  chooseOrganizations(bodyId: string, ids: string[]): Promise<void>;
  toggleAgenda(meetingId: string): Promise<void>;
  navigate(route: RisRoute): Promise<void>;
  back(): Promise<void>;
  openLink(text: string): Promise<void>;
  search(query: string): Promise<void>;
  /** Opens a file of the paper or meeting shown; `insecure` when that object came over plain http. */
  openFile(file: RisFile, insecure: boolean): Promise<void>;
  makeOffline(meetingId: string): Promise<void>;
}

async function load(route: RisRoute, set: (s: Partial<RisState>) => void): Promise<void> {
  if (route.view === 'paper') {
    set({ loading: true, error: undefined });
    const r = await api().ris.paper({ id: route.id });
    set(r.ok ? { paper: r.value, loading: false } : { paper: undefined, error: r.error, loading: false });
  } else if (route.view === 'meeting') {
    set({ loading: true, error: undefined });
    const r = await api().ris.meeting({ id: route.id });
    set(r.ok ? { meeting: r.value, loading: false } : { meeting: undefined, error: r.error, loading: false });
  } else {
    set({ error: undefined, loading: false });
  }
}

export const useRis = create<RisState>((set, get) => {
  // Where a failed call's error is shown: the main pane, the bodies panel, or below the link field.
  const failed = (error: ErrorInfo) => set({ error });
  const bodiesFailed = (bodiesError: ErrorInfo) => set({ bodiesError });
  const linkFailed = (linkError: ErrorInfo) => set({ linkError });

  return {
    route: { view: 'home' },
    history: [],
    paper: undefined,
    meeting: undefined,
    loading: false,
    error: undefined,
    linkError: undefined,
    linkNotice: undefined,
    bodies: [],
    bodiesError: undefined,
    organizations: {},
    syncing: {},
    syncProgress: {},
    upcoming: [],
    agendas: {},
    query: '',
    hits: undefined,
    searchError: undefined,
    offline: {},

    listen() {
      const offOffline = api().ris.onOfflineProgress((p) => {
        set({ offline: { ...get().offline, [p.meetingId]: { ...get().offline[p.meetingId], ...p } } });
      });
      const offSync = api().ris.onSyncProgress((p) => {
        set({ syncProgress: { ...get().syncProgress, [p.bodyId]: { list: p.list, objects: p.objects } } });
      });
      return () => {
        offOffline();
        offSync();
      };
    },

    async loadHome() {
      // Both at once: the upcoming meetings come from the vault and need not wait for the bodies (#15 target 4).
      const [bodies, upcoming] = await Promise.all([
        succeeded(
          startCallOr('bodies', undefined, () => api().ris.bodies()),
          bodiesFailed,
        ),
        startCallOr('upcomingMeetings', { limit: RIS_UPCOMING_LIMIT }, () =>
          api().ris.upcomingMeetings({ limit: RIS_UPCOMING_LIMIT }),
        ),
      ]);
      if (!bodies) return;
      set({
        bodies: bodies.value,
        bodiesError: undefined,
        syncProgress: {},
        ...(upcoming.ok ? { upcoming: upcoming.value } : {}),
      });
    },

    async syncBody(bodyId) {
      set({ syncing: { ...get().syncing, [bodyId]: true }, bodiesError: undefined });
      const r = await api().ris.sync({ bodyId });
      set({ syncing: { ...get().syncing, [bodyId]: undefined } });
      const failed = r.ok ? r.value.lists.find((l) => l.error)?.error : r.error;
      if (failed) set({ bodiesError: failed });
      await get().loadHome();
      if (get().organizations[bodyId]) await get().loadOrganizations(bodyId);
    },

    async loadOrganizations(bodyId) {
      const r = await succeeded(api().ris.organizations({ bodyId }), bodiesFailed);
      if (r) set({ organizations: { ...get().organizations, [bodyId]: r.value } });
    },

    async chooseOrganizations(bodyId, ids) {
      const r = await succeeded(api().ris.chooseOrganizations({ bodyId, organizationIds: ids }), bodiesFailed);
      if (!r) return;
      await get().loadOrganizations(bodyId);
      await get().loadHome();
    },

    async toggleAgenda(meetingId) {
      const agendas = get().agendas;
      if (agendas[meetingId]) {
        set({ agendas: { ...agendas, [meetingId]: undefined } });
        return;
      }
      const r = await succeeded(api().ris.meeting({ id: meetingId }), bodiesFailed);
      if (r) set({ agendas: { ...get().agendas, [meetingId]: r.value } });
    },

    async navigate(route) {
      const current = get().route;
      set({ history: [...get().history, current].slice(-50), route });
      await load(route, set);
    },

    async back() {
      const history = [...get().history];
      const previous = history.pop() ?? { view: 'home' as const };
      set({ history, route: previous });
      await load(previous, set);
    },

    async openLink(text) {
      set({ linkError: undefined, linkNotice: undefined });
      const links = await succeeded(api().ris.recognize({ text }), linkFailed);
      if (!links) return;
      const link = links.value[0];
      if (!link) {
        set({ linkNotice: 'notRecognized' });
        return;
      }
      const resolved = await api().ris.resolveLink(link);
      if (get().bodies.every((b) => b.lastSync === null)) void get().loadHome(); // the first link imports the RIS
      const target = okOrRecord(resolved, linkFailed);
      if (!target) return;
      const found = target.value;
      if (found.target === 'web') {
        if (await succeeded(api().app.openRisPage({ url: found.url }), linkFailed))
          set({ linkNotice: 'openedInWindow' });
        return;
      }
      if (found.target === 'file') {
        // A file link opens the file itself (from the document cache), like a paper's "Datei" button.
        const { documentId, name, mimeType, insecure } = found;
        await get().navigate({ view: 'document', documentId, name, mimeType, insecure });
        return;
      }
      await get().navigate({ view: found.target, id: found.id });
    },

    async search(query) {
      const q = query.trim();
      set({ query });
      if (!q) {
        set({ hits: undefined, searchError: undefined });
        return;
      }
      const r = await api().ris.search({ query: q, limit: 200 });
      if (get().query !== query) return; // a newer search is on its way
      set(r.ok ? { hits: r.value, searchError: undefined } : { hits: undefined, searchError: r.error });
    },

    async openFile(file, insecure) {
      set({ error: undefined });
      let documentId = file.documentId;
      let overHttp = insecure;
      if (!documentId) {
        set({ loading: true });
        const r = await api().ris.file({ fileId: file.id });
        set({ loading: false });
        const stored = okOrRecord(r, failed);
        if (!stored) return;
        documentId = stored.value.documentId;
        overHttp = insecure || stored.value.insecure;
      }
      await get().navigate({
        view: 'document',
        documentId,
        name: file.name,
        mimeType: file.mimeType,
        insecure: overHttp,
      });
    },

    async makeOffline(meetingId) {
      const before = get().offline[meetingId];
      set({
        offline: {
          ...get().offline,
          [meetingId]: {
            meetingId,
            done: before?.done ?? 0,
            total: before?.total ?? 0,
            bytes: 0,
            failed: 0,
            state: 'running',
          },
        },
      });
      const r = await api().ris.makeMeetingOffline({ id: meetingId });
      const latest = get().offline[meetingId];
      set({
        offline: {
          ...get().offline,
          [meetingId]: r.ok
            ? {
                meetingId,
                done: r.value.stored + r.value.alreadyPresent,
                total: r.value.total,
                bytes: latest?.bytes ?? 0,
                failed: r.value.failures.length,
                state: r.value.failures.length > 0 ? 'failed' : 'complete',
                pinnedUntil: r.value.pinnedUntil,
                ...(r.value.failures[0] ? { error: { code: r.value.failures[0].code } } : {}),
              }
            : {
                meetingId,
                done: latest?.done ?? 0,
                total: latest?.total ?? 0,
                bytes: 0,
                failed: 0,
                state: 'failed',
                error: r.error,
              },
        },
      });
      const route = get().route;
      if (route.view === 'meeting' && route.id === meetingId) await load(route, set);
    },
  };
});
