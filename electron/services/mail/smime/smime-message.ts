import { encryptEntity, type EncryptOptions } from './smime-encrypter';
import { signEntity, type Signer } from './smime-signer';

/**
 * A whole message split where S/MIME cuts it: the header fields that stay outside (From, To, Subject,
 * Date, Message-ID, …) and the MIME entity that gets signed or encrypted (the Content-* fields and the
 * body), as RFC 8551 §3.1 wraps it.
 */
interface SplitMessage {
  outer: string[];
  entity: Buffer;
}

const ENTITY_FIELD = /^(content-[a-z-]+|mime-version)\s*:/i;

function headerFields(head: string): string[] {
  const fields: string[] = [];
  for (const line of head.split(/\r?\n/)) {
    if (/^[ \t]/.test(line) && fields.length) fields[fields.length - 1] += `\r\n${line}`;
    else if (line) fields.push(line);
  }
  return fields;
}

function split(raw: Buffer): SplitMessage {
  const crlf = raw.indexOf('\r\n\r\n');
  const lf = raw.indexOf('\n\n');
  const useCrlf = crlf >= 0 && (lf < 0 || crlf < lf);
  const end = useCrlf ? crlf : lf >= 0 ? lf : raw.length;
  const bodyStart = useCrlf ? crlf + 4 : lf >= 0 ? lf + 2 : raw.length;
  const fields = headerFields(raw.toString('latin1', 0, end));
  const outer = fields.filter((f) => !ENTITY_FIELD.test(f));
  const inner = fields.filter((f) => ENTITY_FIELD.test(f) && !/^mime-version\s*:/i.test(f));
  if (!inner.some((f) => /^content-type\s*:/i.test(f))) inner.unshift('Content-Type: text/plain; charset=us-ascii');
  return {
    outer,
    entity: Buffer.concat([Buffer.from(inner.join('\r\n') + '\r\n\r\n', 'latin1'), raw.subarray(bodyStart)]),
  };
}

function join(outer: string[], entity: Buffer): Buffer {
  return Buffer.concat([Buffer.from([...outer, 'MIME-Version: 1.0'].join('\r\n') + '\r\n', 'latin1'), entity]);
}

export interface ProtectOptions {
  /** Sign with this identity (multipart/signed). */
  sign?: Signer;
  /** Encrypt to these recipients and oneself (after signing: signed, then encrypted). */
  encrypt?: EncryptOptions;
}

/**
 * Signs and/or encrypts a built message (nodemailer's output: 7-bit safe, CRLF): the entity is
 * wrapped, the outer header fields stay readable for transport, as Thunderbird and Outlook do it.
 */
export async function protectMessage(raw: Buffer, options: ProtectOptions): Promise<Buffer> {
  if (!options.sign && !options.encrypt) return raw;
  const { outer, entity } = split(raw);
  let protectedEntity = entity;
  if (options.sign) protectedEntity = await signEntity(protectedEntity, options.sign);
  if (options.encrypt) protectedEntity = await encryptEntity(protectedEntity, options.encrypt);
  return join(outer, protectedEntity);
}

/** The message as the reader shows it: the outer header fields around the opened innermost entity. */
export function displayMessage(raw: Buffer, inner: Buffer): Buffer {
  return join(split(raw).outer, inner);
}
