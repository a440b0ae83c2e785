import { PauseCircleOutlined } from '@ant-design/icons';
import { Card, Descriptions, Flex, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { type AppealDetail, useCategoryName } from '../api';
import { formatChinaMinute, relativeTime } from '../time';
import { LevelTag, StatusTag } from './appeal-tags';
import { AppealPhotos } from './appeal-photos';

/** One deadline: China time and how far off; red once missed, marked paused while waiting on the worker. */
function Deadline({ at, paused }: { at: string | null; paused: boolean }) {
  const { t, i18n } = useTranslation();
  if (!at) return <Typography.Text type="secondary">—</Typography.Text>;
  const missed = !paused && Date.parse(at) < Date.now();
  return (
    <Typography.Text type={missed ? 'danger' : undefined} strong={missed} data-testid={missed ? 'deadline-overdue' : undefined}>
      {formatChinaMinute(at)} ({relativeTime(at, i18n.language)})
      {paused && (
        <Tag icon={<PauseCircleOutlined />} color="warning" style={{ marginInlineStart: 6 }}>
          {t('appeals.due.paused')}
        </Tag>
      )}
    </Typography.Text>
  );
}

/** Who filed it, as much as a handler may know: a masked phone, or that nobody may know. */
function Filer({ appeal }: { appeal: AppealDetail }) {
  const { t } = useTranslation();
  if (appeal.anonymous) return <Tag color="gold" data-testid="filer-anonymous">{t('appeals.anonymousTag')}</Tag>;
  if (!appeal.filer) return <Typography.Text type="secondary">—</Typography.Text>;
  return (
    <span data-testid="filer">
      {[appeal.filer.name, appeal.filer.phone].filter(Boolean).join(' · ')}
      {' · '}
      {t(`appeals.contact.${appeal.contactPreference}`)}
    </span>
  );
}

/** The top of a handler's view: status and level, holder, deadlines, filer, what was said, photos, place. */
export function HandlerHeader({ appeal }: { appeal: AppealDetail }) {
  const { t } = useTranslation();
  const categoryName = useCategoryName();
  const d = appeal.deadlines;
  const place = [appeal.address, appeal.lat !== null && appeal.lng !== null ? `${appeal.lat.toFixed(4)}, ${appeal.lng.toFixed(4)}` : null].filter(Boolean).join(' · ');
  const items = [
    { key: 'holder', label: t('appeals.field.holder'), children: <span data-testid="appeal-holder">{appeal.holder}</span> },
    { key: 'assignee', label: t('appeals.field.assignee'), children: appeal.assigneeName ?? '—' },
    { key: 'filer', label: t('appeals.field.filer'), children: <Filer appeal={appeal} /> },
    { key: 'platform', label: t('appeals.field.platform'), children: appeal.platformName ?? '—' },
    { key: 'channel', label: t('appeals.field.channel'), children: t(`appeals.channel.${appeal.channel}`) },
    { key: 'created', label: t('appeals.field.createdAt'), children: formatChinaMinute(appeal.createdAt) },
    { key: 'ack', label: t('appeals.due.acknowledge'), children: <Deadline at={d.acknowledgeBy} paused={d.paused} /> },
    { key: 'update', label: t('appeals.due.update'), children: <Deadline at={d.nextUpdateBy} paused={d.paused} /> },
    { key: 'resolve', label: t('appeals.due.resolve'), children: <Deadline at={d.resolveBy} paused={d.paused} /> },
    ...(place ? [{ key: 'place', label: t('appeals.field.location'), children: place }] : []),
    ...(appeal.referredTo ? [{ key: 'referred', label: t('appeals.field.referredTo'), children: appeal.referredTo }] : []),
    ...(appeal.rating !== null ? [{ key: 'rating', label: t('appeals.field.rating'), children: `${appeal.rating} / 5` }] : []),
    ...(appeal.feedback ? [{ key: 'feedback', label: t('appeals.field.feedback'), children: appeal.feedback }] : []),
    ...(appeal.reopenCount > 0 ? [{ key: 'reopened', label: t('appeals.field.reopenCount'), children: appeal.reopenCount }] : []),
  ];

  return (
    <Card
      title={
        <Flex wrap gap={8} align="center">
          <span data-testid="appeal-title">
            #{appeal.id} · {categoryName(appeal.category)}
          </span>
          <StatusTag status={appeal.status} audience="handler" />
          <LevelTag level={appeal.level} />
          {d.overdue && <Tag color="red">{t('appeals.due.overdueTag')}</Tag>}
        </Flex>
      }
      data-testid="handler-header"
    >
      <Flex vertical gap={16}>
        <Typography.Paragraph style={{ margin: 0, whiteSpace: 'pre-wrap', fontSize: 15 }} data-testid="appeal-description">
          {appeal.description}
        </Typography.Paragraph>
        <AppealPhotos appealId={appeal.id} photos={appeal.photos} />
        <Descriptions size="small" column={{ xs: 1, sm: 1, md: 2, lg: 2, xl: 2, xxl: 3 }} items={items} styles={{ label: { whiteSpace: 'nowrap' } }} />
      </Flex>
    </Card>
  );
}
