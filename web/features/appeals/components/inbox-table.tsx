import { LockOutlined } from '@ant-design/icons';
import { Empty, Table, type TableProps, Tooltip, Typography } from 'antd';
import type { Key } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { type AppealListItem, useCategoryName } from '../api';
import { LevelTag, StatusTag } from './appeal-tags';
import { DueCell } from './due-cell';

// Short cells that read badly when broken over two lines.
const nowrap = () => ({ style: { whiteSpace: 'nowrap' as const } });

type Props = {
  appeals: AppealListItem[];
  loading: boolean;
  selected: number[];
  onSelect: (ids: number[]) => void;
};

/** The inbox rows in the server's order (soonest deadline first); sorting here would hide that order. */
export function InboxTable({ appeals, loading, selected, onSelect }: Props) {
  const { t } = useTranslation();
  const categoryName = useCategoryName();
  const columns: TableProps<AppealListItem>['columns'] = [
    {
      key: 'id',
      title: '#',
      width: 72,
      render: (_, a) => (
        <Link to={`/appeals/${a.id}`} data-testid={`appeal-link-${a.id}`}>
          {a.id}
        </Link>
      ),
    },
    { key: 'category', title: t('appeals.field.category'), render: (_, a) => categoryName(a.category), onCell: nowrap },
    {
      key: 'summary',
      title: t('appeals.field.summary'),
      render: (_, a) => (
        <Link to={`/appeals/${a.id}`} style={{ color: 'inherit' }}>
          {a.anonymous && (
            <Tooltip title={t('appeals.anonymousTag')}>
              <LockOutlined style={{ marginInlineEnd: 4 }} />
            </Tooltip>
          )}
          <Typography.Text ellipsis style={{ maxWidth: 220 }}>
            {a.summary}
          </Typography.Text>
        </Link>
      ),
    },
    { key: 'status', title: t('appeals.field.status'), render: (_, a) => <StatusTag status={a.status} audience="handler" /> },
    { key: 'level', title: t('appeals.field.level'), render: (_, a) => <LevelTag level={a.level} /> },
    {
      key: 'holder',
      title: t('appeals.field.holder'),
      render: (_, a) => (
        <Typography.Text ellipsis={{ tooltip: a.unitName }} style={{ maxWidth: 150 }}>
          {a.unitName}
        </Typography.Text>
      ),
    },
    { key: 'due', title: t('appeals.field.due'), render: (_, a) => <DueCell deadlines={a.deadlines} />, onCell: nowrap },
    { key: 'assignee', title: t('appeals.field.assignee'), render: (_, a) => a.assigneeName ?? <Typography.Text type="secondary">—</Typography.Text> },
  ];
  return (
    <Table<AppealListItem>
      rowKey="id"
      size="middle"
      columns={columns}
      dataSource={appeals}
      loading={loading}
      pagination={false}
      scroll={{ x: 'max-content' }}
      rowSelection={{ selectedRowKeys: selected, onChange: (keys: Key[]) => onSelect(keys.map(Number)) }}
      locale={{ emptyText: <Empty description={t('appeals.inbox.empty')} /> }}
      data-testid="inbox-table"
    />
  );
}
