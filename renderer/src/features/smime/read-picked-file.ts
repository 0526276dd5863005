/** The largest key or certificate file the S/MIME calls take (the contract's limit, before base64). */
export const MAX_SMIME_FILE_BYTES = 1024 * 1024;

/**
 * The bytes of a file the person picked in the file dialog, as base64 for the S/MIME calls. The renderer
 * gets the file's content only, never a path it could name itself; null when it is larger than the limit.
 */
export async function readPickedFile(file: File): Promise<string | null> {
  if (file.size > MAX_SMIME_FILE_BYTES) return null;
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  // In slices: String.fromCharCode with a million arguments would overflow the stack.
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}
