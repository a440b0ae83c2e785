import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { StationStatusCode } from '../api';

const statusColours: Record<StationStatusCode, string> = { active: 'green', suspended: 'orange', closed: 'default' };

export function StatusTag({ status }: { status: StationStatusCode }) {
  const { t } = useTranslation();
  return (
    <Tag color={statusColours[status]} data-testid="station-status-tag">
      {t(`stations.status.${status}`)}
    </Tag>
  );
}

/** Open now or closed, as the server evaluated it in China time. */
export function OpenTag({ open }: { open: boolean }) {
  const { t } = useTranslation();
  return (
    <Tag color={open ? 'success' : 'default'} data-testid="station-open-state" data-open={open}>
      {open ? t('stations.open.now') : t('stations.open.closed')}
    </Tag>
  );
}
