/**
 * The public key Linux updates must be signed with (Ed25519, PEM). It is built into the app: the build
 * (scripts/build-electron.mjs) replaces `process.env.RATSDESK_UPDATE_PUBLIC_KEY` below with the text of that
 * variable at build time (empty when unset), so nothing in the environment of the running app can change
 * it. Empty: Linux updates stay off. Release builds refuse to build without it.
 */
export const UPDATE_SIGNING_PUBLIC_KEY: string = process.env.RATSDESK_UPDATE_PUBLIC_KEY ?? '';
