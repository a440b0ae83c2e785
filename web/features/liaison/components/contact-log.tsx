import { Button, Empty, Table, type TableProps, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { AppealFromContactModal, type DemandContact } from '../../appeals/components/appeal-from-contact-modal';
import { type Contact, useMemberContacts } from '../api';

/** A member's latest contacts; a demand raised in one can be turned into an appeal filed for the worker. */
export function ContactLog({ memberId }: { memberId: number }) {
  const { t } = useTranslation();
  const contacts = useMemberContacts(memberId);
  const [filing, setFiling] = useState<DemandContact | null>(null);
  // The contact list does not say which demands became appeals; this page remembers the ones filed here.
  const [filed, setFiled] = useState<Record<number, number>>({});

  const columns: TableProps<Contact>['columns'] = [
    { key: 'on', title: t('liaison.contact.contactedOn'), dataIndex: 'contactedOn', onCell: () => ({ style: { whiteSpace: 'nowrap' } }) },
    { key: 'worker', title: t('liaison.field.worker'), render: (_, c) => <Link to={`/workers/${c.workerId}`}>{c.workerName}</Link> },
    { key: 'channel', title: t('liaison.contact.channel'), render: (_, c) => t(`liaison.contact.channels.${c.channel}`) },
    {
      key: 'demands',
      title: t('liaison.contact.demandsRaised'),
      render: (_, c) =>
        c.demandsRaised ? (
          <Typography.Text ellipsis={{ tooltip: c.demandsRaised }} style={{ maxWidth: 280 }}>
            {c.demandsRaised}
          </Typography.Text>
        ) : (
          <Typography.Text type="secondary">—</Typography.Text>
        ),
    },
    {
      key: 'actions',
      title: t('liaison.field.actions'),
      render: (_, c) => {
        const appealId = filed[c.id];
        if (appealId !== undefined) return <Link to={`/appeals/${appealId}`}>{t('liaison.contactLog.filed', { id: appealId })}</Link>;
        if (!c.demandsRaised) return null;
        const demandsRaised = c.demandsRaised;
        return (
          <Button size="small" onClick={() => setFiling({ id: c.id, workerId: c.workerId, workerName: c.workerName, demandsRaised })} data-testid={`contact-to-appeal-${c.id}`}>
            {t('liaison.contactLog.toAppeal')}
          </Button>
        );
      },
    },
  ];

  return (
    <>
      <Typography.Text strong style={{ display: 'block', marginBlock: 12 }}>
        {t('liaison.contactLog.title')}
      </Typography.Text>
      <Table<Contact>
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={contacts.data ?? []}
        loading={contacts.isPending}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('liaison.contactLog.empty')} /> }}
        data-testid={`contact-log-${memberId}`}
      />
      <AppealFromContactModal
        contact={filing}
        onClose={() => setFiling(null)}
        onFiled={(contactId, appeal) => setFiled((previous) => ({ ...previous, [contactId]: appeal.id }))}
      />
    </>
  );
}
