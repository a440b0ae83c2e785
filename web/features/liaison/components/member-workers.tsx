import { App, Button, Empty, Popconfirm, Select, Space, Table, type TableProps, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { useApiErrorReporter } from '../../../lib/api-errors';
import { formatChinaDateTime } from '../../../lib/format';
import { type BoardMember, type LiaisonWorker, useAssign, useMemberWorkers, useUnassign } from '../api';
import { ContactLog } from './contact-log';
import { ContactModal } from './contact-modal';

type Props = { member: BoardMember; branchMembers: readonly BoardMember[] };

export function LastContact({ on }: { on: string | null }) {
  const { t } = useTranslation();
  return on ? <span>{on}</span> : <Typography.Text type="secondary">{t('liaison.never')}</Typography.Text>;
}

/** The workers one member keeps in touch with: last contact, overdue, log a contact, re-assign or unassign. */
export function MemberWorkers({ member, branchMembers }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const reportError = useApiErrorReporter();
  const workers = useMemberWorkers(member.memberId);
  const assign = useAssign();
  const unassign = useUnassign();
  const [contacting, setContacting] = useState<LiaisonWorker | null>(null);
  // A liaison must belong to the worker's own branch, which is this member's branch.
  const others = branchMembers.filter((m) => m.unitId === member.unitId && m.memberId !== member.memberId);

  const reassign = async (worker: LiaisonWorker, memberId: number) => {
    try {
      await assign.mutateAsync({ workerId: worker.workerId, memberId });
      void message.success(t('liaison.reassigned', { name: others.find((m) => m.memberId === memberId)?.name ?? '' }));
    } catch (error) {
      reportError(error);
    }
  };
  const drop = async (worker: LiaisonWorker) => {
    try {
      await unassign.mutateAsync(worker.workerId);
      void message.success(t('liaison.unassigned'));
    } catch (error) {
      reportError(error);
    }
  };

  const columns: TableProps<LiaisonWorker>['columns'] = [
    { key: 'name', title: t('liaison.field.worker'), render: (_, w) => <Link to={`/workers/${w.workerId}`}>{w.name}</Link> },
    { key: 'phone', title: t('liaison.field.phone'), dataIndex: 'phone', className: 'convoy-nowrap' },
    { key: 'assignedAt', title: t('liaison.field.assignedAt'), render: (_, w) => formatChinaDateTime(w.assignedAt).slice(0, 10) },
    { key: 'last', title: t('liaison.field.lastContact'), render: (_, w) => <LastContact on={w.lastContactOn} /> },
    {
      key: 'overdue',
      title: t('liaison.field.overdue'),
      render: (_, w) => (w.overdue ? <Tag color="red">{t('liaison.overdueTag')}</Tag> : <Tag color="green">{t('liaison.okTag')}</Tag>),
    },
    {
      key: 'actions',
      title: t('liaison.field.actions'),
      render: (_, w) => (
        <Space wrap>
          <Button size="small" type="primary" ghost onClick={() => setContacting(w)} data-testid={`contact-log-${w.workerId}`}>
            {t('liaison.contact.log')}
          </Button>
          <Select<number>
            size="small"
            style={{ width: 170 }}
            placeholder={t('liaison.reassignPlaceholder')}
            value={null}
            disabled={others.length === 0}
            onChange={(memberId) => void reassign(w, memberId)}
            options={others.map((m) => ({ value: m.memberId, label: `${m.name}（${m.assigned}/${m.target}）` }))}
            data-testid={`reassign-${w.workerId}`}
          />
          <Popconfirm title={t('liaison.unassignConfirm', { name: w.name })} onConfirm={() => drop(w)} okText={t('common.submit')} cancelText={t('common.cancel')}>
            <Button size="small" danger type="link">
              {t('liaison.unassign')}
            </Button>
          </Popconfirm>
        </Space>
      ),
    },
  ];

  return (
    <>
      <Table<LiaisonWorker>
        rowKey="workerId"
        size="small"
        columns={columns}
        dataSource={workers.data?.items ?? []}
        loading={workers.isPending}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('liaison.noWorkers')} /> }}
        data-testid={`member-workers-${member.memberId}`}
      />
      <ContactModal worker={contacting} memberId={member.memberId} onClose={() => setContacting(null)} />
      <ContactLog memberId={member.memberId} />
    </>
  );
}
