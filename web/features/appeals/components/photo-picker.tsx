import { CameraOutlined, CloseOutlined } from '@ant-design/icons';
import { App, Button, Flex, Typography } from 'antd';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { MAX_PHOTOS, photoForUpload, pickProblem } from '../photos';

/** A chosen photo: what to show (the original) and what to send (checked, maybe redrawn). */
export type PickedPhoto = { key: string; url: string; blob: Blob };

type Props = { photos: PickedPhoto[]; onChange: (photos: PickedPhoto[]) => void; disabled?: boolean };

const THUMB = 88;

/** Up to five photos from the camera or the gallery, as thumbnails that can be removed. */
export function PhotoPicker({ photos, onChange, disabled }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const input = useRef<HTMLInputElement>(null);
  // The latest list, for the async add below and for releasing the previews when the page closes.
  const current = useRef(photos);
  current.current = photos;
  useEffect(() => () => current.current.forEach((p) => URL.revokeObjectURL(p.url)), []);

  const add = async (files: File[]) => {
    const room = MAX_PHOTOS - current.current.length;
    if (files.length > room) void message.warning(t('appeals.file.photosTooMany', { max: MAX_PHOTOS }));
    const added: PickedPhoto[] = [];
    for (const file of files.slice(0, Math.max(room, 0))) {
      const problem = pickProblem(file);
      const prepared = problem ?? (await photoForUpload(file, { stripMetadata: false }));
      if (typeof prepared === 'string') {
        void message.error(t(`appeals.file.photoProblem.${prepared}`, { name: file.name }));
        continue;
      }
      added.push({ key: `${file.name}-${file.size}-${Math.random()}`, url: URL.createObjectURL(file), blob: prepared });
    }
    onChange([...current.current, ...added]);
  };

  const remove = (key: string) => {
    const photo = photos.find((p) => p.key === key);
    if (photo) URL.revokeObjectURL(photo.url);
    onChange(photos.filter((p) => p.key !== key));
  };

  return (
    <Flex vertical gap={8}>
      <Flex wrap gap={8}>
        {photos.map((photo, index) => (
          <div key={photo.key} style={{ position: 'relative', width: THUMB, height: THUMB }} data-testid="photo-thumb">
            <img src={photo.url} alt={t('appeals.file.photoAlt', { n: index + 1 })} style={{ width: THUMB, height: THUMB, objectFit: 'cover', borderRadius: 6 }} />
            <Button
              size="small"
              shape="circle"
              icon={<CloseOutlined />}
              aria-label={t('appeals.file.photoRemove', { n: index + 1 })}
              onClick={() => remove(photo.key)}
              disabled={disabled}
              style={{ position: 'absolute', top: 2, right: 2 }}
              data-testid="photo-remove"
            />
          </div>
        ))}
        {photos.length < MAX_PHOTOS && (
          <Button
            icon={<CameraOutlined style={{ fontSize: 22 }} />}
            onClick={() => input.current?.click()}
            disabled={disabled}
            style={{ width: THUMB, height: THUMB, flexDirection: 'column', gap: 4, paddingInline: 4, whiteSpace: 'normal', fontSize: 13, lineHeight: 1.2 }}
            data-testid="photo-add"
          >
            {t('appeals.file.photoAdd')}
          </Button>
        )}
      </Flex>
      <Typography.Text type="secondary" style={{ fontSize: 13 }}>
        {t('appeals.file.photoHint', { max: MAX_PHOTOS })}
      </Typography.Text>
      {/* capture lets a phone offer the camera straight away; the gallery stays one tap further. */}
      <input
        ref={input}
        type="file"
        accept="image/*"
        capture="environment"
        multiple
        style={{ display: 'none' }}
        onChange={(event) => {
          const files = Array.from(event.target.files ?? []);
          event.target.value = ''; // the same photo may be chosen again after removing it
          void add(files);
        }}
        data-testid="photo-input"
      />
    </Flex>
  );
}
