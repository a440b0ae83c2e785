import { BellOutlined } from '@ant-design/icons';
import { Badge, Button, Drawer, Empty, Flex, Grid, List, Popover, Typography, theme } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import type { Me } from '../../auth/api';
import { canHandleAppeals } from '../api';
import { type AppNotification, useMarkAllRead, useMarkRead, useNotifications } from '../notifications-api';
import { formatChinaMinute } from '../time';

/** The bell in the header: how many are unread, the latest twenty, each opening its appeal. */
export function NotificationsBell({ me }: { me: Me }) {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  const navigate = useNavigate();
  const [open, setOpen] = useState(false);
  // A popover hangs off the bell and runs past the edge of a phone; there the list slides in instead.
  const narrow = Grid.useBreakpoint().md === false;
  const notifications = useNotifications(true);
  const markRead = useMarkRead();
  const markAllRead = useMarkAllRead();
  const unread = notifications.data?.unreadCount ?? 0;
  // A handler opens the appeal in the inbox's detail; a worker opens their own view of it.
  const handler = canHandleAppeals(me);

  const openOne = (n: AppNotification) => {
    if (!n.readAt) markRead.mutate(n.id);
    setOpen(false);
    if (n.appealId !== null) void navigate(handler ? `/appeals/${n.appealId}` : `/me/appeals/${n.appealId}`);
  };

  const content = (
    <Flex vertical style={narrow ? undefined : { width: 360 }} data-testid="notifications-panel">
      <Flex justify="space-between" align="center" style={{ paddingBottom: 8 }}>
        <Typography.Text strong>{narrow ? '' : t('appeals.notifications.title')}</Typography.Text>
        <Button type="link" size="small" disabled={unread === 0} loading={markAllRead.isPending} onClick={() => markAllRead.mutate()} data-testid="notifications-read-all">
          {t('appeals.notifications.readAll')}
        </Button>
      </Flex>
      <List<AppNotification>
        dataSource={notifications.data?.items ?? []}
        loading={notifications.isPending}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('appeals.notifications.empty')} /> }}
        style={narrow ? undefined : { maxHeight: 420, overflowY: 'auto' }}
        renderItem={(n) => (
          <List.Item
            key={n.id}
            onClick={() => openOne(n)}
            style={{ cursor: 'pointer', paddingInline: 8, background: n.readAt ? undefined : token.colorPrimaryBg, borderRadius: 6 }}
            data-testid="notification-item"
          >
            <Flex vertical gap={2} style={{ minWidth: 0 }}>
              <Typography.Text strong={!n.readAt}>{n.title}</Typography.Text>
              <Typography.Text type="secondary" ellipsis={{ tooltip: n.body }} style={{ fontSize: 13 }}>
                {n.body}
              </Typography.Text>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {formatChinaMinute(n.createdAt)}
              </Typography.Text>
            </Flex>
          </List.Item>
        )}
      />
    </Flex>
  );

  const bell = (
    <Button type="text" aria-label={t('appeals.notifications.label', { count: unread })} onClick={narrow ? () => setOpen(true) : undefined} data-testid="notifications-bell">
      <Badge count={unread} size="small" overflowCount={99}>
        <BellOutlined style={{ fontSize: 18 }} />
      </Badge>
    </Button>
  );
  if (narrow) {
    return (
      <>
        {bell}
        <Drawer placement="right" size="min(360px, 100vw)" open={open} onClose={() => setOpen(false)} title={t('appeals.notifications.title')} styles={{ body: { padding: 12 } }}>
          {content}
        </Drawer>
      </>
    );
  }
  return (
    <Popover content={content} trigger="click" placement="bottomRight" open={open} onOpenChange={setOpen} arrow={false}>
      {bell}
    </Popover>
  );
}
