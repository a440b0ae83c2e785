import { Card, Empty, Flex, List, Table, type TableProps, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import type { MemberListItem } from '../api';
import { MemberStatusTag, MobileTag } from './member-tags';

type Props = { members: MemberListItem[]; loading: boolean; unitNames: ReadonlyMap<number, string> };

function unitLabel(names: ReadonlyMap<number, string>, id: number): string {
  return names.get(id) ?? `#${id}`;
}

/** The desktop list: one row per member, the name opens the detail. */
export function MemberTable({ members, loading, unitNames }: Props) {
  const { t } = useTranslation();
  const columns: TableProps<MemberListItem>['columns'] = [
    {
      key: 'name',
      title: t('members.field.name'),
      render: (_, m) => (
        <Link to={`/members/${m.id}`} data-testid={`member-link-${m.id}`}>
          {m.name}
        </Link>
      ),
    },
    { key: 'phone', title: t('members.field.phone'), dataIndex: 'phone', className: 'convoy-nowrap' },
    { key: 'status', title: t('members.field.status'), render: (_, m) => <MemberStatusTag status={m.status} /> },
    { key: 'mobile', title: t('members.field.isMobile'), render: (_, m) => (m.isMobile ? <MobileTag isMobile /> : t('members.no')) },
    { key: 'joinDate', title: t('members.field.joinDate'), dataIndex: 'joinDate', className: 'convoy-nowrap' },
    {
      key: 'unit',
      title: t('members.field.unit'),
      render: (_, m) => <Link to={`/org/${m.unitId}`}>{unitLabel(unitNames, m.unitId)}</Link>,
    },
  ];
  return (
    <Table<MemberListItem>
      rowKey="id"
      size="middle"
      columns={columns}
      dataSource={members}
      loading={loading}
      pagination={false}
      scroll={{ x: 'max-content' }}
      locale={{ emptyText: <Empty description={t('members.empty')} /> }}
      data-testid="member-table"
    />
  );
}

/** The phone list: a compact card per member, the whole card opens the detail. */
export function MemberCards({ members, loading, unitNames }: Props) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  return (
    <List<MemberListItem>
      loading={loading}
      dataSource={members}
      locale={{ emptyText: <Empty description={t('members.empty')} /> }}
      data-testid="member-cards"
      split={false}
      renderItem={(m) => (
        <List.Item key={m.id} style={{ padding: '4px 0' }}>
          <Card size="small" hoverable style={{ width: '100%' }} onClick={() => void navigate(`/members/${m.id}`)} data-testid={`member-card-${m.id}`}>
            <Flex justify="space-between" align="center" gap={8}>
              <Typography.Text strong style={{ fontSize: 16 }}>
                {m.name}
              </Typography.Text>
              <span>
                <MobileTag isMobile={m.isMobile} />
                <MemberStatusTag status={m.status} />
              </span>
            </Flex>
            <Flex justify="space-between" gap={8} wrap>
              <Typography.Text>{m.phone}</Typography.Text>
              <Typography.Text type="secondary">{t('members.field.joinDate')} {m.joinDate}</Typography.Text>
            </Flex>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {unitLabel(unitNames, m.unitId)}
            </Typography.Text>
          </Card>
        </List.Item>
      )}
    />
  );
}
