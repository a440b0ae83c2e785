import { Empty, Timeline, Typography } from 'antd';
import type { ReactNode } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { formatChinaDateTime } from '../../../lib/format';
import type { OrgUnitEvent } from '../api';

const EVENT_COLORS: Record<string, string> = { created: 'green', closed: 'gray', merged_into: 'gray', merged: 'blue', split: 'blue', split_from: 'green' };
const KNOWN_EVENTS = ['created', 'renamed', 'updated', 'moved', 'merged', 'merged_into', 'split', 'split_from', 'closed'];
const EDITABLE_FIELDS = ['name', 'platformId', 'cityCode', 'establishedOn'];

const text = (value: unknown): string => (typeof value === 'string' || typeof value === 'number' ? String(value) : '');
const count = (value: unknown): number => (Array.isArray(value) ? value.length : 0);

function UnitLink({ id, children }: { id: unknown; children?: ReactNode }) {
  return typeof id === 'number' ? <Link to={`/org/${id}`}>{children}</Link> : <span>{children}</span>;
}

/** One event in words; the server records ids and names in `detail`, shaped per event kind. */
function EventSummary({ event }: { event: OrgUnitEvent }) {
  const { t } = useTranslation();
  const d = event.detail;
  switch (event.kind) {
    case 'created':
      return <>{t('org.history.summary.created', { name: text(d.name), kind: d.kind ? t(`org.kind.${text(d.kind)}`) : '' })}</>;
    case 'renamed': {
      // Recorded as { name: { from, to } }.
      const change = (d.name ?? {}) as { from?: unknown; to?: unknown };
      return <>{t('org.history.summary.renamed', { from: text(change.from), to: text(change.to) })}</>;
    }
    case 'updated': {
      const fields = EDITABLE_FIELDS.filter((field) => field in d).map((field) => t(`org.field.${field.replace(/Id$|Code$/, '')}`));
      return <>{t('org.history.summary.updated', { fields: fields.join(t('org.history.listSeparator')) })}</>;
    }
    case 'moved':
      return (
        <Trans
          i18nKey={d.byMerge ? 'org.history.summary.movedByMerge' : d.bySplit ? 'org.history.summary.movedBySplit' : 'org.history.summary.moved'}
          values={{ from: text(d.fromParentId), to: text(d.toParentId) }}
          components={{ from: <UnitLink id={d.fromParentId} />, to: <UnitLink id={d.toParentId} /> }}
        />
      );
    case 'merged':
      return (
        <Trans
          i18nKey="org.history.summary.merged"
          values={{ name: text(d.sourceName), count: count(d.movedChildIds) }}
          components={{ source: <UnitLink id={d.sourceId} /> }}
        />
      );
    case 'merged_into':
      return (
        <Trans i18nKey="org.history.summary.mergedInto" values={{ name: text(d.targetName) }} components={{ target: <UnitLink id={d.targetId} /> }} />
      );
    case 'split':
      return (
        <Trans
          i18nKey="org.history.summary.split"
          values={{ id: text(d.newUnitId), count: count(d.movedChildIds) }}
          components={{ unit: <UnitLink id={d.newUnitId} /> }}
        />
      );
    case 'split_from':
      return (
        <Trans i18nKey="org.history.summary.splitFrom" values={{ name: text(d.sourceName) }} components={{ source: <UnitLink id={d.sourceId} /> }} />
      );
    case 'closed':
      return <>{t('org.history.summary.closed', { date: text(d.closedOn) })}</>;
    default:
      return null;
  }
}

/** The unit's history, newest first. */
export function UnitHistory({ events }: { events: OrgUnitEvent[] }) {
  const { t } = useTranslation();
  if (events.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('org.history.empty')} />;
  return (
    <Timeline
      data-testid="unit-history"
      items={events.map((event) => ({
        key: event.id,
        color: EVENT_COLORS[event.kind] ?? 'blue',
        content: (
          <div>
            <Typography.Text strong>
              {KNOWN_EVENTS.includes(event.kind) ? t(`org.history.event.${event.kind}`) : event.kind}
            </Typography.Text>
            <Typography.Text type="secondary" style={{ marginInlineStart: 8, fontSize: 12 }}>
              {formatChinaDateTime(event.at)}
            </Typography.Text>
            <div>
              <EventSummary event={event} />
            </div>
            {typeof event.detail.reason === 'string' && event.detail.reason && (
              <Typography.Text type="secondary">{t('org.history.reason', { reason: event.detail.reason })}</Typography.Text>
            )}
          </div>
        ),
      }))}
    />
  );
}
