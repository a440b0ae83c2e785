// Photos are checked and, where needed, re-encoded on the phone before they travel: the server takes
// JPEG, PNG or WebP up to 5 MB, and a driver's mobile data is better spent on one small upload.
export const MAX_PHOTOS = 5;
export const MAX_PHOTO_BYTES = 5 * 1024 * 1024;
const ACCEPTED = new Set(['image/jpeg', 'image/png', 'image/webp']);
// Long enough to read a fee screenshot or a licence plate, small enough for a slow network.
const MAX_EDGE = 2560;

export type PhotoProblem = 'type' | 'size';

async function reencode(photo: Blob): Promise<Blob | null> {
  try {
    const bitmap = await createImageBitmap(photo);
    const scale = Math.min(1, MAX_EDGE / Math.max(bitmap.width, bitmap.height));
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(bitmap.width * scale);
    canvas.height = Math.round(bitmap.height * scale);
    canvas.getContext('2d')?.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    bitmap.close();
    return await new Promise<Blob | null>((done) => canvas.toBlob(done, 'image/jpeg', 0.85));
  } catch {
    return null; // a format this browser cannot decode
  }
}

/**
 * The bytes to upload. A photo of another format (HEIC) or over 5 MB is redrawn as a JPEG. For an
 * anonymous appeal every photo is redrawn, because a camera's EXIF data (where it was taken, the
 * phone's model) could point to the person who promised to stay unnamed; redrawing drops it.
 */
export async function photoForUpload(photo: Blob, options: { stripMetadata: boolean }): Promise<Blob | PhotoProblem> {
  if (!options.stripMetadata && ACCEPTED.has(photo.type) && photo.size <= MAX_PHOTO_BYTES) return photo;
  const redrawn = await reencode(photo);
  if (!redrawn) return 'type';
  return redrawn.size <= MAX_PHOTO_BYTES ? redrawn : 'size';
}

/** Refused at once: what is not an image, or so large that redrawing it would strain a phone's memory. */
export function pickProblem(file: File): PhotoProblem | null {
  // Some phones give HEIC photos no type at all; decoding decides for those.
  if (file.type && !file.type.startsWith('image/')) return 'type';
  if (file.size > 8 * MAX_PHOTO_BYTES) return 'size';
  return null;
}

/** A random key for Idempotency-Key; randomUUID needs HTTPS or localhost, getRandomValues does not. */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function' && window.isSecureContext) return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
