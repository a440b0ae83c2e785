import { Button, Card, Empty, Flex, List, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { useMe } from '../../auth/api';
import { type QueueItemView, isVolunteerStaff, useVerificationQueue } from '../api';
import { RecordStatusTag, useHoursText } from '../components/labels';
import { RecordActions } from '../components/record-actions';
import { VolunteersTabs } from '../components/volunteers-tabs';

function QueueItem({ item, canRevoke }: { item: QueueItemView; canRevoke: boolean }) {
  const { t } = useTranslation();
  const hours = useHoursText();
  return (
    <List.Item data-testid={`queue-item-${item.id}`}>
      <Flex vertical gap={4} style={{ width: '100%' }}>
        <Flex justify="space-between" gap={8} wrap>
          <Typography.Text strong data-testid="queue-person">
            {item.name ?? t('volunteers.unnamed')} · {item.serviceDate} · {hours(item.hours)}
          </Typography.Text>
          <RecordStatusTag status={item.status} />
        </Flex>
        <Typography.Text type="secondary">
          <Link to={`/volunteers/teams/${item.teamId}`}>{item.teamName}</Link> · {item.unitName}
        </Typography.Text>
        <Typography.Text data-testid="queue-description">{item.description}</Typography.Text>
        <RecordActions record={item} canDecide canRevoke={canRevoke} own={false} />
      </Flex>
    </List.Item>
  );
}

/**
 * Hours awaiting a decision, oldest first: of the teams the user leads and the units they manage.
 * The server leaves out the user's own records, so everything here may be verified or rejected.
 */
export function QueuePage() {
  const { t } = useTranslation();
  const me = useMe().data;
  const queue = useVerificationQueue();
  const items = queue.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <Flex vertical gap={12} style={{ maxWidth: 900 }}>
      <VolunteersTabs />
      <Typography.Title level={4} style={{ margin: 0 }}>
        {t('volunteers.queue.title')}
      </Typography.Title>
      <Typography.Text type="secondary">{t('volunteers.queue.intro')}</Typography.Text>
      <Card>
        <List
          loading={queue.isPending}
          dataSource={items}
          locale={{ emptyText: <Empty description={t('volunteers.queue.empty')} /> }}
          renderItem={(item) => <QueueItem key={item.id} item={item} canRevoke={isVolunteerStaff(me)} />}
          data-testid="queue-list"
        />
        {queue.hasNextPage && (
          <Button block onClick={() => void queue.fetchNextPage()} loading={queue.isFetchingNextPage}>
            {t('common.loadMore')}
          </Button>
        )}
      </Card>
    </Flex>
  );
}
