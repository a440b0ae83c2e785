// Filing as one careful sequence: the appeal first (once, whatever the network does), then its photos.
import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useRef, useState } from 'react';
import { ApiError } from '../../lib/api-client';
import { rememberAppeal } from './anonymous-store';
import type { PickedPhoto } from './components/photo-picker';
import { newIdempotencyKey, photoForUpload } from './photos';
import { type CreatedAppeal, type FileAppealInput, fileAppeal, myAppealKeys, uploadPhoto } from './worker-api';

/** The server has seen this key with other content: the first try went through before the form changed. */
export const isAlreadyFiled = (error: unknown) => error instanceof ApiError && error.code === 'IDEMPOTENCY_MISMATCH';

export function useFiling() {
  const queryClient = useQueryClient();
  // One key per filled form: every retry of this form sends it again, a new form gets a new one.
  const key = useRef(newIdempotencyKey());
  const [created, setCreated] = useState<CreatedAppeal | null>(null);
  const [failedPhotos, setFailedPhotos] = useState<PickedPhoto[]>([]);
  const [busy, setBusy] = useState(false);

  const sendPhotos = useCallback(async (appeal: CreatedAppeal, photos: PickedPhoto[]) => {
    const failed: PickedPhoto[] = [];
    // One at a time: on a weak signal parallel uploads only make each other time out.
    for (const photo of photos) {
      try {
        const bytes = await photoForUpload(photo.blob, { stripMetadata: appeal.secret !== null });
        if (typeof bytes === 'string') throw new Error(bytes);
        await uploadPhoto(appeal.id, bytes, appeal.secret);
      } catch {
        failed.push(photo);
      }
    }
    setFailedPhotos(failed);
  }, []);

  const submit = useCallback(
    async (input: FileAppealInput, photos: PickedPhoto[]) => {
      setBusy(true);
      try {
        const appeal = await fileAppeal(input, key.current);
        if (appeal.trackingCode && appeal.secret) {
          rememberAppeal({ id: appeal.id, code: appeal.trackingCode, secret: appeal.secret, filedAt: new Date().toISOString() });
        }
        await sendPhotos(appeal, photos);
        setCreated(appeal);
        await queryClient.invalidateQueries({ queryKey: myAppealKeys.list });
      } catch (error) {
        // After "already filed" the worker has been told where to look; a deliberate second try is a new appeal.
        if (isAlreadyFiled(error)) key.current = newIdempotencyKey();
        throw error;
      } finally {
        setBusy(false);
      }
    },
    [queryClient, sendPhotos],
  );

  const retryPhotos = useCallback(async () => {
    if (!created) return;
    setBusy(true);
    try {
      await sendPhotos(created, failedPhotos);
    } finally {
      setBusy(false);
    }
  }, [created, failedPhotos, sendPhotos]);

  const reset = useCallback(() => {
    key.current = newIdempotencyKey();
    setCreated(null);
    setFailedPhotos([]);
  }, []);

  return { submit, created, failedPhotos, retryPhotos, reset, busy };
}
