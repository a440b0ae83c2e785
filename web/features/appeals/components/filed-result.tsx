import { Alert, Button, Card, Flex, Result, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { trackPath } from '../anonymous-store';
import { formatChinaMinute } from '../time';
import type { CreatedAppeal } from '../worker-api';

const BIG = { height: 48, fontSize: 16 } as const;

type Props = {
  created: CreatedAppeal;
  /** Photos that did not arrive; the appeal itself is filed either way. */
  photosFailed: number;
  retryingPhotos: boolean;
  onRetryPhotos: () => void;
  onAnother: () => void;
};

/** After filing: who holds it and when to expect an answer; for an anonymous appeal, the code and link to keep. */
export function FiledResult({ created, photosFailed, retryingPhotos, onRetryPhotos, onAnother }: Props) {
  const { t } = useTranslation();
  const anonymous = created.trackingCode !== null && created.secret !== null;
  const followPath = anonymous ? trackPath(created.trackingCode ?? '', created.secret ?? '') : `/me/appeals/${created.id}`;
  const link = `${window.location.origin}${followPath}`;

  return (
    <Card data-testid="filed-result">
      <Result
        status="success"
        style={{ padding: '8px 0' }}
        title={t('appeals.filed.title')}
        subTitle={
          <Flex vertical gap={4} style={{ fontSize: 16 }}>
            <span data-testid="filed-holder">{t('appeals.filed.holder', { unit: created.unitName })}</span>
            {created.expectedBy && <span data-testid="filed-expected">{t('appeals.filed.expected', { at: formatChinaMinute(created.expectedBy) })}</span>}
          </Flex>
        }
      />
      <Flex vertical gap={12}>
        {photosFailed > 0 && (
          <Alert
            type="warning"
            showIcon
            title={t('appeals.filed.photosFailed', { count: photosFailed })}
            action={
              <Button size="small" onClick={onRetryPhotos} loading={retryingPhotos} data-testid="photos-retry">
                {t('appeals.filed.photosRetry')}
              </Button>
            }
          />
        )}
        {anonymous && (
          <Flex vertical gap={8} data-testid="filed-anonymous">
            <Typography.Text>{t('appeals.filed.codeLabel')}</Typography.Text>
            <Typography.Title level={2} copyable style={{ margin: 0, letterSpacing: 2 }} data-testid="filed-code">
              {created.trackingCode}
            </Typography.Title>
            <Typography.Text>{t('appeals.filed.linkLabel')}</Typography.Text>
            <Typography.Paragraph copyable={{ text: link }} style={{ wordBreak: 'break-all', margin: 0 }} data-testid="filed-link">
              {link}
            </Typography.Paragraph>
            <Alert type="info" showIcon title={t('appeals.filed.keepLink')} />
          </Flex>
        )}
        <Link to={followPath}>
          <Button type="primary" block style={BIG} data-testid="filed-follow">
            {t('appeals.filed.follow')}
          </Button>
        </Link>
        <Button block style={BIG} onClick={onAnother} data-testid="filed-another">
          {t('appeals.filed.another')}
        </Button>
      </Flex>
    </Card>
  );
}
