import type { ComponentType } from 'react';
import type { AppArea } from './area';

const modules = import.meta.glob<{ area: AppArea }>('../features/*/area.tsx', { eager: true });

export const areas: AppArea[] = Object.values(modules)
  .map((m) => m.area)
  .sort((a, b) => a.order - b.order);

const loading = new Map<string, Promise<ComponentType>>();
const loaded = new Map<string, ComponentType>();

/**
 * The view of `area`, its script loaded once: by the shell on the area's first showing, or earlier by the start
 * script for the area the window opens at (start-calls.ts), so that script travels while React starts. A failed
 * load is tried again on the next call.
 */
export function loadAreaView(area: AppArea): Promise<ComponentType> {
  let view = loading.get(area.id);
  if (!view) {
    view = area.view().then((component) => {
      loaded.set(area.id, component);
      return component;
    });
    loading.set(area.id, view);
    view.catch(() => loading.delete(area.id));
  }
  return view;
}

/** The view of `area` if its script has loaded, else undefined (the shell renders it directly, see use-area-view.ts). */
export function loadedAreaView(area: AppArea): ComponentType | undefined {
  return loaded.get(area.id);
}
