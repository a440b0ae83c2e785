import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ServiceStatus } from '../api';

const STATUS_COLORS: Record<ServiceStatus, string> = { pending: 'gold', verified: 'green', rejected: 'default' };

export function RecordStatusTag({ status }: { status: ServiceStatus }) {
  const { t } = useTranslation();
  return (
    <Tag color={STATUS_COLORS[status]} data-testid="record-status">
      {t(`volunteers.status.${status}`)}
    </Tag>
  );
}

/** Hours as people say them: 2 小时, 1.5 小时. */
export function useHoursText() {
  const { t } = useTranslation();
  return (hours: number) => t('volunteers.hoursValue', { hours });
}

/** A period of days; an open end reads "so far". */
export function usePeriodText() {
  const { t } = useTranslation();
  return (from: string, to: string | null) => `${from} ~ ${to ?? t('volunteers.periodOpen')}`;
}
