import { Button, Flex, Form, List, Select, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Role } from '../../auth/api';
import { useMe } from '../../auth/api';
import { UnitPicker } from '../../org/components/unit-picker';
import { grantableRoles, type ManagedUser, useAddGrant, useRevokeGrant } from '../api';
import { useConfirmedChange } from './use-confirmed-change';
import { useGrantLabel } from './user-status';

type Props = { user: ManagedUser; editable: boolean; onChanged: (user: ManagedUser) => void };
type GrantForm = { role?: Role; unitId?: number };

/** The user's grants the admin may change, each revocable, and a form to grant another (role × unit). */
export function GrantSection({ user, editable, onChanged }: Props) {
  const { t } = useTranslation();
  const me = useMe().data;
  const label = useGrantLabel();
  const confirm = useConfirmedChange(user, onChanged);
  const addGrant = useAddGrant();
  const revokeGrant = useRevokeGrant();
  const [form] = Form.useForm<GrantForm>();
  const role = Form.useWatch('role', form);
  const [unitName, setUnitName] = useState<string | undefined>(undefined);
  const name = user.displayName || user.username;

  // Form.Item keeps the unit's id; its name is remembered only to say it in the confirmation.
  const submit = ({ role: chosen, unitId }: GrantForm) => {
    if (!chosen) return;
    const systemWide = chosen === 'system_admin';
    confirm({
      title: t('users.confirm.grantTitle', { name }),
      body: t('users.confirm.grantBody', { role: t(`auth.role.${chosen}`), unit: systemWide ? t('users.systemWide') : (unitName ?? '') }),
      logsOut: true,
      run: () => addGrant.mutateAsync({ userId: user.id, role: chosen, unitId: systemWide ? null : (unitId ?? null) }),
      done: t('users.done.granted'),
      onDone: () => {
        form.resetFields();
        setUnitName(undefined);
      },
    });
  };

  return (
    <Flex vertical gap={8}>
      <Typography.Title level={5} style={{ margin: 0 }}>
        {t('users.grant.title')}
      </Typography.Title>
      <List
        size="small"
        bordered
        dataSource={user.grants}
        locale={{ emptyText: t('users.noGrants') }}
        data-testid="user-grants"
        renderItem={(grant) => (
          <List.Item
            data-testid="user-grant"
            actions={
              editable
                ? [
                    <Button
                      key="revoke"
                      size="small"
                      danger
                      data-testid={`user-grant-revoke-${grant.id}`}
                      onClick={() =>
                        confirm({
                          title: t('users.confirm.revokeTitle', { name }),
                          body: t('users.confirm.revokeBody', { role: t(`auth.role.${grant.role}`), unit: grant.unitName ?? t('users.systemWide') }),
                          logsOut: true,
                          danger: true,
                          run: () => revokeGrant.mutateAsync({ userId: user.id, grantId: grant.id }),
                          done: t('users.done.revoked'),
                        })
                      }
                    >
                      {t('users.grant.revoke')}
                    </Button>,
                  ]
                : []
            }
          >
            {label(grant)}
          </List.Item>
        )}
      />
      {editable && (
        <Form<GrantForm> form={form} layout="vertical" onFinish={submit} requiredMark={false} data-testid="user-grant-form">
          <Form.Item name="role" label={t('users.grant.role')} rules={[{ required: true, message: t('users.grant.roleRequired') }]} style={{ marginBottom: 8 }}>
            <Select<Role>
              options={grantableRoles(me).map((r) => ({ value: r, label: t(`auth.role.${r}`) }))}
              showSearch={{ optionFilterProp: 'label' }}
              placeholder={t('users.grant.role')}
              data-testid="user-grant-role"
            />
          </Form.Item>
          {role === 'system_admin' ? (
            <Typography.Paragraph type="secondary">{t('users.grant.systemAdminNote')}</Typography.Paragraph>
          ) : (
            <Form.Item name="unitId" label={t('users.grant.unit')} rules={[{ required: true, message: t('users.grant.unitRequired') }]} style={{ marginBottom: 8 }}>
              <UnitPicker onChange={(_unitId, unit) => setUnitName(unit?.name)} />
            </Form.Item>
          )}
          <Button type="primary" htmlType="submit" loading={addGrant.isPending} data-testid="user-grant-submit">
            {t('users.grant.submit')}
          </Button>
        </Form>
      )}
    </Flex>
  );
}
