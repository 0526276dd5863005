import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { z } from 'zod';

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
    const data = this.schema.parse(value);
    await mkdir(dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    await writeFile(tmp, `${JSON.stringify(data, null, 2)}\n`, { mode: 0o600 });
    await rename(tmp, this.file);
  }

  async remove(): Promise<void> {
    await rm(this.file, { force: true });
  }
}
