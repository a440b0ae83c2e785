import { Flex, Image } from 'antd';
import { useTranslation } from 'react-i18next';
import { type AppealPhoto, photoUrl } from '../api';

type Props = { appealId: number; photos: AppealPhoto[]; secret?: string };

/** The appeal's photos as thumbnails; a tap opens them full size. */
export function AppealPhotos({ appealId, photos, secret }: Props) {
  const { t } = useTranslation();
  if (photos.length === 0) return null;
  return (
    <Image.PreviewGroup>
      <Flex wrap gap={8} data-testid="appeal-photos">
        {photos.map((photo, index) => (
          <Image
            key={photo.id}
            src={photoUrl(appealId, photo.id, secret)}
            alt={t('appeals.file.photoAlt', { n: index + 1 })}
            width={88}
            height={88}
            style={{ objectFit: 'cover', borderRadius: 6 }}
          />
        ))}
      </Flex>
    </Image.PreviewGroup>
  );
}
