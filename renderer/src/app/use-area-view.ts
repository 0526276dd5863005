import { type ComponentType, useEffect, useState } from 'react';
import type { AppArea } from './area';
import { loadAreaView, loadedAreaView } from './areas';

export type AreaViewState = { view: ComponentType } | { loading: true } | { failed: true; retry(): void };

/**
 * The view of `area` for the shell: the component once its script is there (usually already, start-calls.ts asks
 * for it first), else loading or failed. Not React.lazy with Suspense: React throttles revealing a suspended
 * boundary's content (up to 300 ms after its fallback showed), which is the whole start budget (#15 target 4).
 */
export function useAreaView(area: AppArea | undefined): AreaViewState | undefined {
  const [failed, setFailed] = useState<string>();
  const [, setLoadedCount] = useState(0);
  const [attempt, setAttempt] = useState(0);
  const view = area ? loadedAreaView(area) : undefined;
  useEffect(() => {
    if (!area || view) return;
    let live = true;
    setFailed(undefined);
    loadAreaView(area).then(
      () => live && setLoadedCount((n) => n + 1),
      () => live && setFailed(area.id),
    );
    return () => {
      live = false;
    };
  }, [area, view, attempt]);
  if (!area) return undefined;
  if (view) return { view };
  return failed === area.id ? { failed: true, retry: () => setAttempt((n) => n + 1) } : { loading: true };
}
