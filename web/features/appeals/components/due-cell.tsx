import { PauseCircleOutlined } from '@ant-design/icons';
import { Tooltip, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { AppealListItem } from '../api';
import { formatChinaMinute, relativeTime } from '../time';

type Deadlines = AppealListItem['deadlines'];

/** Which of the three clocks the running deadline is, so "due in 2 hours" says for what. */
function dueKind(d: Deadlines): 'acknowledge' | 'update' | 'resolve' {
  if (d.dueAt === d.acknowledgeBy) return 'acknowledge';
  if (d.dueAt === d.nextUpdateBy) return 'update';
  return 'resolve';
}

/** The next deadline as relative time: red once missed, a pause sign while the worker is asked for more. */
export function DueCell({ deadlines }: { deadlines: Deadlines }) {
  const { t, i18n } = useTranslation();
  if (deadlines.paused) {
    return (
      <Tooltip title={t('appeals.due.pausedHint')}>
        <Typography.Text type="warning" data-testid="due-paused">
          <PauseCircleOutlined /> {t('appeals.due.paused')}
        </Typography.Text>
      </Tooltip>
    );
  }
  if (!deadlines.dueAt) return <Typography.Text type="secondary">—</Typography.Text>;
  const kind = t(`appeals.due.${dueKind(deadlines)}`);
  return (
    <Tooltip title={`${kind} · ${formatChinaMinute(deadlines.dueAt)}`}>
      <Typography.Text type={deadlines.overdue ? 'danger' : undefined} strong={deadlines.overdue} data-testid={deadlines.overdue ? 'due-overdue' : 'due'}>
        {deadlines.overdue ? t('appeals.due.overdue', { when: relativeTime(deadlines.dueAt, i18n.language) }) : relativeTime(deadlines.dueAt, i18n.language)}
      </Typography.Text>
    </Tooltip>
  );
}
