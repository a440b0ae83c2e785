import { Card, Empty, Flex, List, Table, type TableProps, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { usePlatforms } from '../../org/api';
import { useCityNames, type WorkerListItem } from '../api';
import { cityName, platformName, workerCodeLabels } from './worker-labels';

type Props = { workers: WorkerListItem[]; loading: boolean };

function StatusTag({ status }: { status: WorkerListItem['status'] }) {
  const { t } = useTranslation();
  return <Tag color={status === 'active' ? 'green' : 'default'}>{t(`workers.status.${status}`)}</Tag>;
}

/** Names for platform and city codes, in the current language. */
function useNamers() {
  const { i18n } = useTranslation();
  const english = i18n.language === 'en';
  const platforms = usePlatforms().data;
  const cities = useCityNames().data;
  return {
    platform: (id: number) => platformName(platforms, id, english),
    city: (code: string) => cityName(cities, code, english),
  };
}

/** The desktop list: one row per worker, the name opens the detail. */
export function WorkerTable({ workers, loading }: Props) {
  const { t } = useTranslation();
  const names = useNamers();
  const columns: TableProps<WorkerListItem>['columns'] = [
    {
      key: 'name',
      title: t('workers.field.name'),
      render: (_, w) => (
        <Link to={`/workers/${w.id}`} data-testid={`worker-link-${w.id}`}>
          {w.name}
        </Link>
      ),
    },
    { key: 'phone', title: t('workers.field.phone'), dataIndex: 'phone', className: 'convoy-nowrap' },
    { key: 'platform', title: t('workers.field.platform'), render: (_, w) => names.platform(w.platformId) },
    { key: 'platformWorkerId', title: t('workers.field.platformWorkerId'), dataIndex: 'platformWorkerId' },
    { key: 'workType', title: t('workers.field.workType'), render: (_, w) => t(`workers.workType.${w.workType}`) },
    { key: 'vehicle', title: t('workers.field.vehicle'), render: (_, w) => t(`workers.vehicle.${w.vehicle}`) },
    { key: 'city', title: t('workers.field.city'), render: (_, w) => names.city(w.cityCode) },
    { key: 'status', title: t('workers.field.status'), render: (_, w) => <StatusTag status={w.status} /> },
  ];
  return (
    <Table<WorkerListItem>
      rowKey="id"
      size="middle"
      columns={columns}
      dataSource={workers}
      loading={loading}
      pagination={false}
      scroll={{ x: 'max-content' }}
      locale={{ emptyText: <Empty description={t('workers.empty')} /> }}
      data-testid="worker-table"
    />
  );
}

/** The phone list: a compact card per worker, the whole card opens the detail. */
export function WorkerCards({ workers, loading }: Props) {
  const { t } = useTranslation();
  const names = useNamers();
  const navigate = useNavigate();
  return (
    <List<WorkerListItem>
      loading={loading}
      dataSource={workers}
      locale={{ emptyText: <Empty description={t('workers.empty')} /> }}
      data-testid="worker-cards"
      split={false}
      renderItem={(w) => {
        const labels = workerCodeLabels(t, w);
        return (
          <List.Item key={w.id} style={{ padding: '4px 0' }}>
            <Card
              size="small"
              hoverable
              style={{ width: '100%' }}
              onClick={() => void navigate(`/workers/${w.id}`)}
              data-testid={`worker-card-${w.id}`}
            >
              <Flex justify="space-between" align="center" gap={8}>
                <Typography.Text strong style={{ fontSize: 16 }}>
                  {w.name}
                </Typography.Text>
                <StatusTag status={w.status} />
              </Flex>
              <Flex justify="space-between" gap={8} wrap>
                <Typography.Text>{w.phone}</Typography.Text>
                <Typography.Text type="secondary">
                  {names.platform(w.platformId)} · {names.city(w.cityCode)}
                </Typography.Text>
              </Flex>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {labels.workType} · {labels.vehicle} · {w.platformWorkerId}
              </Typography.Text>
            </Card>
          </List.Item>
        );
      }}
    />
  );
}
