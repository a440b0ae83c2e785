import { CameraOutlined, DeleteOutlined } from '@ant-design/icons';
import { App, Button, Flex, Image, Popconfirm, Typography } from 'antd';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApiErrorReporter } from '../../../lib/api-errors';
import { photoForUpload, pickProblem } from '../../appeals/photos';
import { MAX_STATION_PHOTOS, type StationDetail, useAddStationPhoto, useRemoveStationPhoto } from '../api';

const THUMB = 120;

type Props = { station: Pick<StationDetail, 'id' | 'name' | 'photos'>; canEdit: boolean };

/**
 * The station's photos as everyone sees them; those who run it add (uploaded at once, one by one) and
 * remove them. The phone-side checks of appeal photos apply: a HEIC or an oversized photo is redrawn
 * as a JPEG of at most 5 MB, anything else is refused before it travels; the server sniffs the bytes again.
 */
export function StationPhotos({ station, canEdit }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const reportError = useApiErrorReporter();
  const add = useAddStationPhoto(station.id);
  const remove = useRemoveStationPhoto(station.id);
  const input = useRef<HTMLInputElement>(null);
  const [uploading, setUploading] = useState(false);
  const photos = station.photos;
  const room = MAX_STATION_PHOTOS - photos.length;

  const upload = async (files: File[]) => {
    if (files.length > room) void message.warning(t('stations.photos.tooMany', { max: MAX_STATION_PHOTOS }));
    setUploading(true);
    try {
      for (const file of files.slice(0, Math.max(room, 0))) {
        // A station's photo is public, but what it shows is the station's own place: its metadata is kept.
        const prepared = pickProblem(file) ?? (await photoForUpload(file, { stripMetadata: false }));
        if (typeof prepared === 'string') {
          void message.error(t(`stations.photos.problem.${prepared}`, { name: file.name }));
          continue;
        }
        try {
          await add.mutateAsync(prepared);
        } catch (error) {
          reportError(error);
        }
      }
    } finally {
      setUploading(false);
    }
  };

  return (
    <Flex vertical gap={8} data-testid="station-photos" data-count={photos.length}>
      <Typography.Title level={5} style={{ margin: 0 }}>
        {t('stations.photos.title')}
      </Typography.Title>
      {photos.length === 0 && <Typography.Text type="secondary">{t('stations.photos.none')}</Typography.Text>}
      <Image.PreviewGroup>
        <Flex wrap gap={8}>
          {photos.map((photo, index) => (
            <div key={photo.id} style={{ position: 'relative', width: THUMB, height: THUMB }} data-testid="station-photo" data-photo-id={photo.id}>
              <Image
                src={photo.url}
                alt={t('stations.photos.alt', { name: station.name, n: index + 1 })}
                width={THUMB}
                height={THUMB}
                style={{ objectFit: 'cover', borderRadius: 6 }}
              />
              {canEdit && (
                <Popconfirm
                  title={t('stations.photos.removeConfirm')}
                  okText={t('stations.photos.remove')}
                  okButtonProps={{ danger: true, ...({ 'data-testid': 'station-photo-remove-confirm' } as object) }}
                  onConfirm={() => remove.mutateAsync(photo.id).then(() => void message.success(t('stations.photos.removed')), reportError)}
                >
                  <Button
                    size="small"
                    shape="circle"
                    danger
                    icon={<DeleteOutlined />}
                    aria-label={t('stations.photos.removeN', { n: index + 1 })}
                    style={{ position: 'absolute', top: 4, right: 4 }}
                    data-testid="station-photo-remove"
                  />
                </Popconfirm>
              )}
            </div>
          ))}
          {canEdit && room > 0 && (
            <Button
              icon={<CameraOutlined style={{ fontSize: 22 }} />}
              onClick={() => input.current?.click()}
              loading={uploading}
              style={{ width: THUMB, height: THUMB, flexDirection: 'column', gap: 4, whiteSpace: 'normal' }}
              data-testid="station-photo-add"
            >
              {t('stations.photos.add')}
            </Button>
          )}
        </Flex>
      </Image.PreviewGroup>
      {canEdit && (
        <Typography.Text type="secondary" style={{ fontSize: 13 }}>
          {t('stations.photos.hint', { max: MAX_STATION_PHOTOS })}
        </Typography.Text>
      )}
      <input
        ref={input}
        type="file"
        accept="image/jpeg,image/png,image/webp,image/*"
        multiple
        style={{ display: 'none' }}
        onChange={(event) => {
          const files = Array.from(event.target.files ?? []);
          event.target.value = ''; // the same file may be chosen again after removing it
          void upload(files);
        }}
        data-testid="station-photo-input"
      />
    </Flex>
  );
}
