import type { AppArea } from './area';

const modules = import.meta.glob<{ area: AppArea }>('../features/*/area.tsx', { eager: true });

export const areas: AppArea[] = Object.values(modules)
  .map((m) => m.area)
  .sort((a, b) => a.order - b.order);
