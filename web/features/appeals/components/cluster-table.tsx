import { Button, Empty, Flex, Table, type TableProps, Tag, Tooltip, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { AppealCluster } from '../api';

// Short cells that read badly when broken over two lines.
const nowrap = () => ({ style: { whiteSpace: 'nowrap' as const } });

export const clusterKey = (c: AppealCluster) => [c.category, c.platformId, c.cityCode, c.week].join('|');

type Props = {
  clusters: AppealCluster[];
  loading: boolean;
  /** How the category, platform and city of a problem are called in the interface language. */
  names: { category: (c: AppealCluster) => string; platform: (c: AppealCluster) => string; city: (c: AppealCluster) => string };
  /** Absent for those who only read (analysts): they see no answer button, and the ids lead nowhere (the detail page is for handlers). */
  onAnswer?: (cluster: AppealCluster) => void;
  /** Why answering is not possible right now (everything is shown, not one unit), if it is not. */
  answerBlockedReason?: string;
};

function AppealLinks({ cluster, linked }: { cluster: AppealCluster; linked: boolean }) {
  const { t } = useTranslation();
  return (
    <Flex vertical gap={8} data-testid={`cluster-appeals-${clusterKey(cluster)}`}>
      <Flex wrap gap={4}>
        {cluster.appealIds.map((id) =>
          linked ? (
            <Link key={id} to={`/appeals/${id}`} data-testid={`cluster-appeal-${id}`}>
              <Tag style={{ marginInlineEnd: 0 }}>#{id}</Tag>
            </Link>
          ) : (
            <Tag key={id} style={{ marginInlineEnd: 0 }} data-testid={`cluster-appeal-${id}`}>
              #{id}
            </Tag>
          ),
        )}
      </Flex>
      {/* The server lists at most 200 per problem, oldest first. */}
      {cluster.count > cluster.appealIds.length && (
        <Typography.Text type="secondary">{t('appeals.clusters.moreThanListed', { count: cluster.count - cluster.appealIds.length })}</Typography.Text>
      )}
    </Flex>
  );
}

/** Key problems in the server's order (most appeals first); a row opens to the appeals behind it. */
export function ClusterTable({ clusters, loading, names, onAnswer, answerBlockedReason }: Props) {
  const { t } = useTranslation();
  const columns: TableProps<AppealCluster>['columns'] = [
    { key: 'category', title: t('appeals.field.category'), render: (_, c) => names.category(c), onCell: nowrap },
    { key: 'platform', title: t('appeals.field.platform'), render: (_, c) => names.platform(c) },
    { key: 'city', title: t('appeals.clusters.city'), render: (_, c) => names.city(c) },
    { key: 'week', title: t('appeals.clusters.week'), render: (_, c) => t('appeals.clusters.weekOf', { monday: c.week }), onCell: nowrap },
    { key: 'count', title: t('appeals.clusters.count'), align: 'right', render: (_, c) => <Typography.Text strong>{c.count}</Typography.Text> },
    {
      key: 'overdue',
      title: t('appeals.clusters.overdue'),
      align: 'right',
      render: (_, c) => (c.overdue > 0 ? <Typography.Text type="danger" strong>{c.overdue}</Typography.Text> : 0),
    },
    ...(onAnswer
      ? [
          {
            key: 'actions',
            title: t('appeals.clusters.actions'),
            render: (_: unknown, c: AppealCluster) => (
              <Tooltip title={answerBlockedReason}>
                <Button size="small" type="primary" ghost disabled={answerBlockedReason !== undefined} onClick={() => onAnswer(c)} data-testid="cluster-answer">
                  {t('appeals.clusters.answerAll')}
                </Button>
              </Tooltip>
            ),
          },
        ]
      : []),
  ];
  return (
    <Table<AppealCluster>
      rowKey={clusterKey}
      size="middle"
      columns={columns}
      dataSource={clusters}
      loading={loading}
      pagination={clusters.length > 50 ? { pageSize: 50, showSizeChanger: false } : false}
      scroll={{ x: 'max-content' }}
      expandable={{ expandedRowRender: (c) => <AppealLinks cluster={c} linked={onAnswer !== undefined} /> }}
      locale={{ emptyText: <Empty description={t('appeals.clusters.empty')} /> }}
      data-testid="clusters-table"
    />
  );
}
