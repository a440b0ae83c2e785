import { LockOutlined } from '@ant-design/icons';
import { Empty, Flex, Tag, Timeline, type TimelineProps, Typography } from 'antd';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { AppealEvent } from '../api';
import { formatChinaMinute } from '../time';

type Audience = 'worker' | 'handler';

/** One line of what happened, worded for who reads it: the worker hears about "you" and the unit. */
function titleOf(t: TFunction, e: AppealEvent, audience: Audience): string {
  const status = (s: string) => t(`${audience === 'worker' ? 'appeals.myStatus' : 'appeals.status'}.${s}`);
  // The worker's own words carry no unit (the server marks them so).
  const byWorker = e.unitName === null;
  switch (e.kind) {
    case 'submitted':
      return t('appeals.event.submitted', { unit: e.unitName ?? '' });
    case 'status':
      if (byWorker && audience === 'worker' && (e.toStatus === 'confirmed' || e.toStatus === 'reopened')) return t(`appeals.event.you_${e.toStatus}`);
      return t('appeals.event.status', { status: status(e.toStatus ?? '') });
    case 'reply':
      if (byWorker) return t(audience === 'worker' ? 'appeals.event.youAdded' : 'appeals.event.workerAdded');
      return t('appeals.event.reply', { unit: e.unitName });
    case 'note':
      return t('appeals.event.note');
    case 'escalated':
      return t('appeals.event.escalated', { unit: e.unitName ?? '' });
    case 'transferred':
      return t('appeals.event.transferred', { unit: e.unitName ?? '' });
    case 'rated':
      return t('appeals.event.rated', { rating: e.body ?? '' });
    default:
      return t(`appeals.event.${e.kind}`);
  }
}

// Explicit colours: the theme's primary is red, which would make every ordinary step look alarming.
const BLUE = '#1677ff';
function colorOf(e: AppealEvent): string {
  if (e.visibility === 'internal') return 'gray';
  if (e.kind === 'reply') return e.unitName === null ? 'orange' : BLUE;
  if (e.kind === 'escalated' || e.kind === 'breached') return 'red';
  if (e.toStatus === 'resolved' || e.toStatus === 'partly_resolved' || e.toStatus === 'confirmed') return 'green';
  if (e.kind === 'status' || e.kind === 'transferred') return BLUE;
  return 'gray';
}

/** What an event says beyond its title; a rating is already in the title. */
const bodyOf = (e: AppealEvent) => (e.kind === 'rated' ? null : e.body);

/**
 * The appeal's history, newest first so the latest answer is what the eye meets. Handlers also see
 * internal notes, set apart with a lock and a grey box so nobody mistakes them for what the worker reads.
 */
export function AppealTimeline({ events, audience }: { events: AppealEvent[]; audience: Audience }) {
  const { t } = useTranslation();
  if (events.length === 0) return <Empty description={t('common.empty')} />;
  const items: NonNullable<TimelineProps['items']> = [...events].reverse().map((e) => {
    const internal = e.visibility === 'internal';
    const body = bodyOf(e);
    return {
      key: e.id,
      color: colorOf(e),
      icon: internal ? <LockOutlined /> : undefined,
      content: (
        <Flex
          vertical
          gap={2}
          data-testid={internal ? 'timeline-internal' : 'timeline-event'}
          data-kind={e.kind}
          style={internal ? { background: '#f5f5f5', border: '1px dashed #bfbfbf', borderRadius: 6, padding: '6px 10px' } : undefined}
        >
          <Flex wrap gap={6} align="center">
            <Typography.Text strong>{titleOf(t, e, audience)}</Typography.Text>
            {internal && <Tag style={{ marginInlineEnd: 0 }}>{t('appeals.event.internalTag')}</Tag>}
          </Flex>
          {body && <Typography.Paragraph style={{ margin: 0, whiteSpace: 'pre-wrap' }}>{body}</Typography.Paragraph>}
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {formatChinaMinute(e.createdAt)}
            {audience === 'handler' && e.actorName ? ` · ${e.actorName}` : ''}
          </Typography.Text>
        </Flex>
      ),
    };
  });
  return <Timeline items={items} data-testid="appeal-timeline" />;
}
