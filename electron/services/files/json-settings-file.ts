import { readFile, rm } from 'node:fs/promises';
import type { z } from 'zod';
import { writeJsonAtomically } from './atomic-json';

/**
 * A small JSON file for non-secret settings, validated by a zod schema on every read and written
 * atomically (temp file + rename) so a crash never leaves half a file.
 */
export class JsonSettingsFile<S extends z.ZodType> {
  constructor(
    private readonly file: string,
    private readonly schema: S,
  ) {}

  async read(): Promise<z.output<S> | undefined> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      return undefined;
    }
    const parsed = this.schema.safeParse(raw);
    return parsed.success ? parsed.data : undefined;
  }

  async write(value: z.input<S>): Promise<void> {
    await writeJsonAtomically(this.file, this.schema.parse(value));
  }

  async remove(): Promise<void> {
    await rm(this.file, { force: true });
  }
}
