import { CalendarOutlined } from '@ant-design/icons';
import { Button, Flex, Popover, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useMyFeedLink, useUnitFeedLink } from '../api';

/** The secret subscription link of the caller's own sign-ups, to paste into a phone's calendar app. */
export function MyFeedLink() {
  const { t } = useTranslation();
  const link = useMyFeedLink();
  return (
    <Flex vertical gap={4} data-testid="my-feed-link">
      <Typography.Text type="secondary">{t('activities.feed.mineIntro')}</Typography.Text>
      {link.data && (
        <Typography.Text copyable={{ text: link.data.url }} code style={{ wordBreak: 'break-all' }}>
          {link.data.url}
        </Typography.Text>
      )}
    </Flex>
  );
}

/**
 * 日历订阅: the unit's iCalendar feed (this session reads it; the secret link is for calendar apps, which
 * cannot log in, so whoever holds it reads the feed) and the caller's own.
 */
export function FeedLinks({ unitId }: { unitId: number }) {
  const { t } = useTranslation();
  const unitLink = useUnitFeedLink(unitId);
  const content = (
    <Flex vertical gap={12} style={{ maxWidth: 420 }}>
      <Flex vertical gap={4}>
        <Typography.Text strong>{t('activities.feed.unit')}</Typography.Text>
        <a href={`/api/v1/units/${unitId}/activities.ics`} data-testid="unit-feed-download">
          {t('activities.feed.download')}
        </a>
        <Typography.Text type="secondary">{t('activities.feed.unitIntro')}</Typography.Text>
        {unitLink.data && (
          <Typography.Text copyable={{ text: unitLink.data.url }} code style={{ wordBreak: 'break-all' }} data-testid="unit-feed-link">
            {unitLink.data.url}
          </Typography.Text>
        )}
      </Flex>
      <Flex vertical gap={4}>
        <Typography.Text strong>{t('activities.feed.mine')}</Typography.Text>
        <MyFeedLink />
      </Flex>
    </Flex>
  );
  return (
    <Popover content={content} title={t('activities.feed.title')} trigger="click" placement="bottomRight">
      <Button icon={<CalendarOutlined />} data-testid="feed-links">
        {t('activities.feed.title')}
      </Button>
    </Popover>
  );
}
