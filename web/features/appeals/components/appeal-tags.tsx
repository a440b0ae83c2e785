import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { AppealLevel, AppealStatus } from '../api';

// Colours group statuses by what they ask of the reader: new, being worked, waiting, answered, closed.
const STATUS_COLORS: Record<AppealStatus, string> = {
  submitted: 'red',
  acknowledged: 'orange',
  in_progress: 'blue',
  waiting_on_worker: 'gold',
  resolved: 'green',
  partly_resolved: 'lime',
  confirmed: 'success',
  reopened: 'magenta',
  referred: 'purple',
  rejected: 'default',
  merged: 'default',
};

/**
 * A status by its name. The worker reads it about their own appeal ("waiting for you"), a handler
 * about someone else's ("waiting on the worker"), so the two audiences have their own wording.
 */
export function StatusTag({ status, audience }: { status: AppealStatus; audience: 'worker' | 'handler' }) {
  const { t } = useTranslation();
  const group = audience === 'worker' ? 'appeals.myStatus' : 'appeals.status';
  return (
    <Tag color={STATUS_COLORS[status]} data-testid="appeal-status" data-status={status} style={{ marginInlineEnd: 0 }}>
      {t(`${group}.${status}`)}
    </Tag>
  );
}

export function LevelTag({ level }: { level: AppealLevel }) {
  const { t } = useTranslation();
  const color = level === 'branch' ? 'default' : level === 'platform_committee' ? 'geekblue' : 'volcano';
  return (
    <Tag color={color} style={{ marginInlineEnd: 0 }}>
      {t(`appeals.level.${level}`)}
    </Tag>
  );
}
