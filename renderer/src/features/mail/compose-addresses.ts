import { z } from 'zod';
import type { ComposeAddress } from '../../../../electron/contract/compose';

const email = z.email();

/** "Anna <anna@stadt.example>, bernd@stadt.example" → addresses, plus the parts that are not addresses. */
export function parseAddresses(text: string): { valid: ComposeAddress[]; invalid: string[] } {
  const valid: ComposeAddress[] = [];
  const invalid: string[] = [];
  for (const raw of text.split(/[,;\n]/)) {
    const part = raw.trim();
    if (!part) continue;
    const m = /^(.*)<([^<>]+)>$/.exec(part);
    const name = m ? m[1]!.trim().replace(/^"|"$/g, '') : '';
    const address = (m ? m[2]! : part).trim();
    if (email.safeParse(address).success) valid.push({ name, address });
    else invalid.push(part);
  }
  return { valid, invalid };
}

export function formatAddresses(list: readonly ComposeAddress[]): string {
  return list.map((a) => (a.name ? `${a.name} <${a.address}>` : a.address)).join(', ');
}
