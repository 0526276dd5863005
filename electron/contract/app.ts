import { z } from 'zod';
import { call } from './define';

export const OpenExternalInputSchema = z.object({
  url: z.string().max(4096),
});

export const app = {
  /** Open an https link in the system browser after the person confirmed its real target. */
  openExternal: call(OpenExternalInputSchema, z.boolean()),
};
