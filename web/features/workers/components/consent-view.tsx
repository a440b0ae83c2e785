import { Descriptions, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { formatChinaDateTime } from '../../../lib/format';
import type { WorkerDetail } from '../api';

/** Whether the worker agreed to the privacy notice, which version, for what, when and how. */
export function ConsentView({ consent, compact = false }: { consent: WorkerDetail['consent']; compact?: boolean }) {
  const { t } = useTranslation();
  if (!consent.at) {
    return (
      <Typography.Paragraph type="secondary" data-testid="consent-state">
        {t('workers.consent.none')}
      </Typography.Paragraph>
    );
  }
  const items = [
    {
      key: 'state',
      label: t('workers.field.status'),
      children: consent.withdrawnAt ? <Tag>{t('workers.consent.withdrawn')}</Tag> : <Tag color="green">{t('workers.consent.given')}</Tag>,
    },
    { key: 'version', label: t('workers.consent.version'), children: consent.version },
    { key: 'at', label: t('workers.consent.at'), children: formatChinaDateTime(consent.at) },
    { key: 'channel', label: t('workers.consent.channel'), children: consent.channel ? t(`workers.consent.channels.${consent.channel}`) : null },
    { key: 'purpose', label: t('workers.consent.purpose'), children: consent.purpose },
  ];
  return <Descriptions size="small" column={compact ? 1 : { xs: 1, sm: 2 }} items={items} data-testid="consent-state" />;
}
