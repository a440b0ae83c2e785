import { App, Form, Input, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { chinaToday } from '../../../lib/format';
import { FormModal } from '../../org/components/form-modal';
import { UnitPicker } from '../../org/components/unit-picker';
import { MEMBER_ROLES, type MemberDetail, type MemberRole, type MemberRoleItem, useEndRole, useStartRole } from '../api';
import { enumOptions } from './enum-options';

type StartValues = { role: MemberRole; groupId?: number; fromDate: string };

/** Starts a term: branch roles are held in the member's own branch, a group leader in one of its groups. */
export function StartRoleModal({ member, open, onClose }: { member: MemberDetail; open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const start = useStartRole(member.id);

  const submit = async (values: StartValues) => {
    const unitId = values.role === 'group_leader' ? (values.groupId ?? 0) : member.unitId;
    await start.mutateAsync({ unitId, role: values.role, fromDate: values.fromDate });
    void message.success(t('members.roles.started'));
  };

  return (
    <FormModal<StartValues>
      open={open}
      title={`${t('members.roles.startTitle')} · ${member.name}`}
      onClose={onClose}
      onSubmit={submit}
      submitting={start.isPending}
      initialValues={{ fromDate: chinaToday() }}
    >
      <Form.Item name="role" label={t('members.roles.role')} rules={[{ required: true }]} extra={t('members.roles.unitHint')}>
        <Select<MemberRole> placeholder={t('members.form.choose')} options={enumOptions(t, 'members.roles.kind', MEMBER_ROLES)} data-testid="role-select" />
      </Form.Item>
      <Form.Item noStyle shouldUpdate={(a: StartValues, b: StartValues) => a.role !== b.role}>
        {({ getFieldValue }) =>
          getFieldValue('role') === 'group_leader' ? (
            <Form.Item name="groupId" label={t('members.roles.unit')} rules={[{ required: true }]}>
              <UnitPicker kind="group" />
            </Form.Item>
          ) : (
            <Form.Item label={t('members.roles.unit')}>{member.unitName}</Form.Item>
          )
        }
      </Form.Item>
      <Form.Item name="fromDate" label={t('members.roles.fromDate')} rules={[{ required: true }]}>
        <Input type="date" data-testid="role-from-input" />
      </Form.Item>
    </FormModal>
  );
}

type EndProps = { member: MemberDetail; role: MemberRoleItem | null; onClose: () => void };

/** Ends a term; the history keeps it. */
export function EndRoleModal({ member, role, onClose }: EndProps) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const end = useEndRole(member.id);

  const submit = async (values: { toDate: string }) => {
    if (!role) return;
    await end.mutateAsync({ roleId: role.id, toDate: values.toDate });
    void message.success(t('members.roles.ended'));
  };

  return (
    <FormModal<{ toDate: string }>
      open={role !== null}
      title={role ? `${t('members.roles.endTitle')} · ${member.name} · ${t(`members.roles.kind.${role.role}`)}` : ''}
      onClose={onClose}
      onSubmit={submit}
      submitting={end.isPending}
      danger
      initialValues={{ toDate: chinaToday() }}
    >
      <Form.Item name="toDate" label={t('members.roles.toDate')} rules={[{ required: true }]}>
        <Input type="date" min={role?.fromDate} data-testid="role-to-input" />
      </Form.Item>
    </FormModal>
  );
}
