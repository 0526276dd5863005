import type { Plugin } from 'vite';

export function pdfjsStandardFonts(): Plugin;
