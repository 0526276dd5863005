import * as pkijs from 'pkijs';
import addressparser from 'nodemailer/lib/addressparser';
import { parseCertificate, pemBlocks } from './certificate-facts';
import { CONTENT_TYPE, parseContentInfo } from './cms-content-info';
import { decryptEnvelope } from './enveloped-data-decrypter';
import { decodedBody, headerValue, multipartParts, parseEntity, type MimeEntity } from './mime-entity';
import { verifySignedData } from './signed-data-verifier';
import {
  SMIME_LIMITS,
  type SmimeLayer,
  type SmimeProblem,
  type SmimeReadContext,
  type SmimeReading,
} from './smime-reading';

const SIGNATURE_TYPES = new Set(['application/pkcs7-signature', 'application/x-pkcs7-signature']);
const MIME_TYPES = new Set(['application/pkcs7-mime', 'application/x-pkcs7-mime']);

function isP7mAttachment(entity: MimeEntity): boolean {
  if (entity.type !== 'application/octet-stream') return false;
  const name = (entity.params.name ?? headerValue(entity.head, 'content-disposition') ?? '').toLowerCase();
  return name.includes('smime.p7m');
}

function isSmimeEntity(entity: MimeEntity): boolean {
  if (entity.type === 'multipart/signed') return SIGNATURE_TYPES.has((entity.params.protocol ?? '').toLowerCase());
  return MIME_TYPES.has(entity.type) || isP7mAttachment(entity);
}

function fromAddresses(head: string): string[] {
  const from = headerValue(head, 'from');
  if (!from) return [];
  return addressparser(from, { flatten: true })
    .map((a) => a.address.trim().toLowerCase())
    .filter((a) => a.includes('@'));
}

function problemLayer(problem: SmimeProblem): SmimeLayer {
  return { kind: 'unknown', scope: 'message', signature: 'unsupported', encrypted: false, decryption: 'n/a', problem };
}

/** Unreadable CMS: the smime-type parameter still tells what it meant to be. */
function malformedLayer(entity: MimeEntity): SmimeLayer {
  const hint = (entity.params['smime-type'] ?? '').toLowerCase();
  if (hint === 'enveloped-data' || hint === 'authenveloped-data') {
    return {
      kind: hint === 'enveloped-data' ? 'enveloped' : 'auth-enveloped',
      scope: 'message',
      signature: 'none',
      encrypted: true,
      decryption: 'failed',
      problem: 'malformed',
    };
  }
  if (hint === 'signed-data') return { ...problemLayer('malformed'), kind: 'signed', signature: 'bad' };
  return problemLayer('malformed');
}

interface Walk {
  ctx: SmimeReadContext;
  anchors: pkijs.Certificate[];
  now: Date;
  /** Layers opened so far across the whole message, attached messages included. */
  budget: number;
}

/** Opens one S/MIME layer; returns the layer and, when it could be opened, the entity inside. */
async function openLayer(
  entity: MimeEntity,
  from: string[],
  walk: Walk,
): Promise<{ layer: SmimeLayer; inner?: Buffer }> {
  if (entity.type === 'multipart/signed') {
    const parts = multipartParts(entity, 2);
    const signaturePart = parts?.[1] ? parseEntity(parts[1]) : undefined;
    if (!parts?.[0] || !signaturePart || !SIGNATURE_TYPES.has(signaturePart.type)) {
      return { layer: { ...problemLayer('malformed'), kind: 'signed', signature: 'bad' } };
    }
    const info = parseContentInfo(decodedBody(signaturePart));
    if (!info || info.contentType !== CONTENT_TYPE.signedData) {
      return { layer: { ...problemLayer('malformed'), kind: 'signed', signature: 'bad' }, inner: parts[0] };
    }
    const { layer } = await verifySignedData({
      signedData: new pkijs.SignedData({ schema: info.content }),
      detached: parts[0],
      fromAddresses: from,
      anchors: walk.anchors,
      now: walk.now,
    });
    return { layer, inner: parts[0] };
  }

  const info = parseContentInfo(decodedBody(entity));
  if (!info) return { layer: malformedLayer(entity) };
  if (info.contentType === CONTENT_TYPE.signedData) {
    let signedData: pkijs.SignedData;
    try {
      signedData = new pkijs.SignedData({ schema: info.content });
    } catch {
      return { layer: { ...problemLayer('malformed'), kind: 'signed', signature: 'bad' } };
    }
    const { layer, content } = await verifySignedData({
      signedData,
      fromAddresses: from,
      anchors: walk.anchors,
      now: walk.now,
    });
    return content ? { layer, inner: content } : { layer };
  }
  if (info.contentType === CONTENT_TYPE.envelopedData || info.contentType === CONTENT_TYPE.authEnvelopedData) {
    const { layer, plain } = await decryptEnvelope(info.contentType, info.content, walk.ctx.identities);
    return plain ? { layer, inner: plain } : { layer };
  }
  return { layer: problemLayer('unknown-algorithm') };
}

/** Opens layer after layer; returns the layers and the innermost entity reached. */
async function unwrap(
  raw: Buffer,
  walk: Walk,
  scope: SmimeLayer['scope'],
): Promise<{ layers: SmimeLayer[]; inner?: Buffer }> {
  const layers: SmimeLayer[] = [];
  let entity = parseEntity(raw);
  // The sender named in the message's own header; inner entities carry no From of their own.
  const from = fromAddresses(entity.head);
  while (isSmimeEntity(entity)) {
    if (walk.budget-- <= 0) {
      layers.push({ ...problemLayer('too-deep'), scope });
      return { layers };
    }
    const { layer, inner } = await openLayer(entity, from, walk);
    layers.push({ ...layer, scope });
    if (!inner) return { layers };
    entity = parseEntity(inner);
  }
  return { layers, inner: entity.raw };
}

/** Signed messages forwarded as message/rfc822 parts of the innermost entity: each gets its layers. */
async function attachedLayers(inner: Buffer, walk: Walk): Promise<SmimeLayer[]> {
  const entity = parseEntity(inner);
  if (!entity.type.startsWith('multipart/')) return [];
  const out: SmimeLayer[] = [];
  for (const part of multipartParts(entity, SMIME_LIMITS.maxParts) ?? []) {
    const child = parseEntity(part);
    if (child.type !== 'message/rfc822') continue;
    const message = decodedBody(child);
    if (!isSmimeEntity(parseEntity(message))) continue;
    const { layers } = await unwrap(message, walk, 'attached');
    out.push(...layers);
    if (walk.budget <= 0) break;
  }
  return out;
}

/** Parsed anchors per anchor list: a service passes the same array while the policy stays the same. */
const parsedAnchors = new WeakMap<string[], pkijs.Certificate[]>();

function anchorsOf(pems: string[]): pkijs.Certificate[] {
  const cached = parsedAnchors.get(pems);
  if (cached) return cached;
  const out: pkijs.Certificate[] = [];
  for (const pem of pems) {
    for (const der of pemBlocks(pem, 'CERTIFICATE')) {
      try {
        out.push(parseCertificate(der));
      } catch {
        // a broken anchor trusts nothing; the others still count
      }
    }
  }
  parsedAnchors.set(pems, out);
  return out;
}

/**
 * Reads an S/MIME message: verifies every signature, opens every encryption it has a key for, and
 * reports each layer, outermost first, then the layers of signed messages forwarded inside it. Never
 * throws: broken, truncated, hostile or oversized input comes back as a status.
 */
export async function readSmime(raw: Buffer, ctx: SmimeReadContext): Promise<SmimeReading> {
  const top = parseEntity(raw.subarray(0, Math.min(raw.length, 256 * 1024)));
  if (!isSmimeEntity(top)) {
    return { signature: 'none', encrypted: false, decryption: 'n/a', inner: raw, layers: [] };
  }
  if (raw.length > SMIME_LIMITS.maxMessageBytes) {
    return { signature: 'unsupported', encrypted: false, decryption: 'n/a', layers: [problemLayer('too-large')] };
  }
  const walk: Walk = {
    ctx,
    anchors: anchorsOf(ctx.trustAnchorsPem),
    now: ctx.at ?? new Date(),
    budget: SMIME_LIMITS.maxLayers,
  };
  let layers: SmimeLayer[] = [];
  let inner: Buffer | undefined;
  try {
    ({ layers, inner } = await unwrap(raw, walk, 'message'));
    if (inner) layers.push(...(await attachedLayers(inner, walk)));
  } catch {
    layers.push(problemLayer('malformed'));
  }
  const own = layers.filter((l) => l.scope === 'message');
  const firstSigned = own.find((l) => l.signature !== 'none');
  const firstEncrypted = own.find((l) => l.encrypted);
  return {
    signature: firstSigned?.signature ?? 'none',
    ...(firstSigned?.signer ? { signer: firstSigned.signer } : {}),
    encrypted: firstEncrypted !== undefined,
    decryption: firstEncrypted?.decryption ?? 'n/a',
    ...(inner ? { inner } : {}),
    layers,
  };
}
