import { ThunderboltOutlined } from '@ant-design/icons';
import { App, Button, Card, Empty, Flex, Table, type TableProps, Typography } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { useApiErrorReporter } from '../../../lib/api-errors';
import { useMe } from '../../auth/api';
import { useRootUnits, useUnitDetail } from '../../org/api';
import { UnitPicker } from '../../org/components/unit-picker';
import { type BoardMember, useAutoAssign, useLiaisonBoard } from '../api';
import { CoverageFigures } from '../components/coverage-card';
import { LastContact, MemberWorkers } from '../components/member-workers';

function unitIdOf(params: URLSearchParams): number | null {
  const parsed = Number(params.get('unitId'));
  return Number.isInteger(parsed) && parsed > 0 ? parsed : null;
}

/** Which unit the board shows: the address, else the user's first unit, else the first top unit they see. */
function useBoardUnitId(): [number | null, (id: number) => void] {
  const [params, setParams] = useSearchParams();
  const me = useMe().data;
  const fromUrl = unitIdOf(params);
  const granted = me?.grants.find((g) => g.unitId !== null)?.unitId ?? null;
  const roots = useRootUnits(false);
  const fallback = granted ?? roots.data?.[0]?.id ?? null;
  return [fromUrl ?? fallback, (id) => setParams({ unitId: String(id) })];
}

/** Liaison board: each member, how many workers they look after against their target, who is overdue. */
export function LiaisonPage() {
  const { t } = useTranslation();
  const { modal, message } = App.useApp();
  const reportError = useApiErrorReporter();
  const [unitId, setUnitId] = useBoardUnitId();
  const unit = useUnitDetail(unitId);
  const board = useLiaisonBoard(unitId);
  const autoAssign = useAutoAssign();
  const members = board.data ?? [];

  useEffect(() => {
    if (board.error) reportError(board.error);
  }, [board.error, reportError]);

  const confirmAutoAssign = () => {
    if (unitId === null) return;
    modal.confirm({
      title: t('liaison.autoAssignTitle'),
      content: t('liaison.autoAssignBody', { name: unit.data?.name ?? `#${unitId}` }),
      okText: t('liaison.autoAssign'),
      cancelText: t('common.cancel'),
      okButtonProps: { ...({ 'data-testid': 'auto-assign-confirm' } as object) },
      onOk: async () => {
        try {
          const result = await autoAssign.mutateAsync(unitId);
          void message.success(t('liaison.autoAssigned', result));
        } catch (error) {
          reportError(error);
        }
      },
    });
  };

  const columns: TableProps<BoardMember>['columns'] = [
    { key: 'name', title: t('liaison.field.member'), dataIndex: 'name' },
    { key: 'unit', title: t('liaison.field.unit'), dataIndex: 'unitName' },
    { key: 'target', title: t('liaison.field.target'), dataIndex: 'target' },
    {
      key: 'assigned',
      title: t('liaison.field.assigned'),
      render: (_, m) => <Typography.Text type={m.assigned > m.target ? 'warning' : undefined}>{m.assigned}</Typography.Text>,
    },
    {
      key: 'overdue',
      title: t('liaison.field.overdue'),
      render: (_, m) => (m.overdue > 0 ? <Typography.Text type="danger" strong>{m.overdue}</Typography.Text> : 0),
    },
    { key: 'last', title: t('liaison.field.lastContact'), render: (_, m) => <LastContact on={m.lastContactOn} /> },
  ];

  return (
    <Card
      title={t('liaison.title')}
      extra={
        <Button icon={<ThunderboltOutlined />} onClick={confirmAutoAssign} disabled={unitId === null} loading={autoAssign.isPending} data-testid="auto-assign">
          {t('liaison.autoAssign')}
        </Button>
      }
      data-testid="liaison-board"
    >
      <Flex wrap gap={8} align="center" style={{ marginBottom: 16 }}>
        <Typography.Text>{t('liaison.unit')}</Typography.Text>
        <div style={{ minWidth: 280 }}>
          <UnitPicker value={undefined} onChange={(id) => id !== undefined && setUnitId(id)} />
        </div>
        <Typography.Text strong data-testid="liaison-unit">
          {unit.data?.name ?? ''}
        </Typography.Text>
      </Flex>
      {unitId !== null && <CoverageFigures unitId={unitId} />}
      <Table<BoardMember>
        rowKey="memberId"
        size="middle"
        columns={columns}
        dataSource={members}
        loading={board.isPending && unitId !== null}
        pagination={members.length > 50 ? { pageSize: 50, showSizeChanger: false } : false}
        scroll={{ x: 'max-content' }}
        expandable={{ expandedRowRender: (m) => <MemberWorkers member={m} branchMembers={members} />, rowExpandable: () => true }}
        locale={{ emptyText: <Empty description={t('liaison.empty')} /> }}
        style={{ marginTop: 16 }}
        data-testid="liaison-members"
      />
    </Card>
  );
}
