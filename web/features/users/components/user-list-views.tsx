import { Button, Card, Empty, Flex, List, Table, type TableProps, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ManagedUser } from '../api';
import { GrantTags, UserStatusTags } from './user-status';

type Props = { users: ManagedUser[]; loading: boolean; onOpen: (user: ManagedUser) => void };

/** The desktop list: one row per user with their grants; "manage" opens the drawer. */
export function UserTable({ users, loading, onOpen }: Props) {
  const { t } = useTranslation();
  const columns: TableProps<ManagedUser>['columns'] = [
    { key: 'username', title: t('users.field.username'), dataIndex: 'username', className: 'convoy-nowrap' },
    { key: 'displayName', title: t('users.field.displayName'), dataIndex: 'displayName' },
    { key: 'grants', title: t('users.field.grants'), render: (_, user) => <GrantTags user={user} /> },
    { key: 'status', title: t('users.field.status'), render: (_, user) => <UserStatusTags user={user} /> },
    {
      key: 'actions',
      title: '',
      render: (_, user) => (
        <Button size="small" onClick={() => onOpen(user)} data-testid={`user-open-${user.username}`}>
          {t('users.open')}
        </Button>
      ),
    },
  ];
  return (
    <Table<ManagedUser>
      rowKey="id"
      size="middle"
      columns={columns}
      dataSource={users}
      loading={loading}
      pagination={false}
      scroll={{ x: 'max-content' }}
      locale={{ emptyText: <Empty description={t('users.empty')} /> }}
      data-testid="user-table"
    />
  );
}

/** The phone list: a card per user; tapping it opens the drawer. */
export function UserCards({ users, loading, onOpen }: Props) {
  const { t } = useTranslation();
  return (
    <List<ManagedUser>
      loading={loading}
      dataSource={users}
      locale={{ emptyText: <Empty description={t('users.empty')} /> }}
      split={false}
      data-testid="user-cards"
      renderItem={(user) => (
        <List.Item key={user.id} style={{ padding: '4px 0' }}>
          <Card size="small" hoverable style={{ width: '100%' }} onClick={() => onOpen(user)} data-testid={`user-open-${user.username}`}>
            <Flex justify="space-between" align="center" gap={8}>
              <Typography.Text strong>{user.displayName}</Typography.Text>
              <UserStatusTags user={user} />
            </Flex>
            <Typography.Text type="secondary">{user.username}</Typography.Text>
            <div style={{ marginTop: 4 }}>
              <GrantTags user={user} />
            </div>
          </Card>
        </List.Item>
      )}
    />
  );
}
