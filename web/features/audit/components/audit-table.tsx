import { Table, type TableColumnsType, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { formatChinaDateTime } from '../../../lib/format';
import type { AuditEntry } from '../api';

export function AuditTable({ entries, loading }: { entries: AuditEntry[]; loading: boolean }) {
  const { t } = useTranslation();
  const columns: TableColumnsType<AuditEntry> = [
    { key: 'at', title: t('audit.column.at'), dataIndex: 'at', width: 180, render: (at: string) => formatChinaDateTime(at) },
    { key: 'user', title: t('audit.column.user'), dataIndex: 'username', width: 120, render: (name: string | null) => name ?? '—' },
    { key: 'action', title: t('audit.column.action'), dataIndex: 'action', width: 160, render: (action: string) => <Typography.Text code>{action}</Typography.Text> },
    { key: 'entity', title: t('audit.column.entity'), dataIndex: 'entityType', width: 110 },
    { key: 'entityId', title: t('audit.column.entityId'), dataIndex: 'entityId', width: 80, render: (id: string | null) => id ?? '—' },
    { key: 'ip', title: t('audit.column.ip'), dataIndex: 'ip', width: 130, render: (ip: string | null) => ip ?? '—' },
    {
      key: 'detail',
      title: t('audit.column.detail'),
      dataIndex: 'detail',
      render: (detail: AuditEntry['detail']) =>
        detail ? (
          <Typography.Text style={{ fontFamily: 'monospace', fontSize: 12, wordBreak: 'break-all' }}>{JSON.stringify(detail)}</Typography.Text>
        ) : (
          '—'
        ),
    },
  ];
  return (
    <Table<AuditEntry>
      rowKey="id"
      size="small"
      columns={columns}
      dataSource={entries}
      loading={loading}
      pagination={false}
      scroll={{ x: 1000 }}
      data-testid="audit-table"
    />
  );
}
