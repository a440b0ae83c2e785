import { Alert, App, Form, Input } from 'antd';
import { useTranslation } from 'react-i18next';
import { chinaToday } from '../../../../lib/format';
import { useCloseUnit } from '../../api';
import { FormModal } from '../form-modal';
import type { UnitActionProps } from './unit-action-props';

type Values = { closedOn: string; reason: string };

export function CloseUnitModal({ unit, open, onClose, onDone }: UnitActionProps) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const close = useCloseUnit(unit.id);

  const submit = async (values: Values) => {
    const closed = await close.mutateAsync({ closedOn: values.closedOn, reason: values.reason.trim() });
    void message.success(t('org.done.close'));
    onDone(closed);
  };

  return (
    <FormModal<Values>
      open={open}
      title={`${t('org.action.close')} · ${unit.name}`}
      onClose={onClose}
      onSubmit={submit}
      submitting={close.isPending}
      danger
      initialValues={{ closedOn: chinaToday() }}
    >
      <Alert type="warning" showIcon title={t('org.form.closeHint')} style={{ marginBottom: 16 }} />
      <Form.Item name="closedOn" label={t('org.field.closedOn')} rules={[{ required: true }]}>
        <Input type="date" data-testid="closed-on-input" />
      </Form.Item>
      <Form.Item name="reason" label={t('org.form.closeReason')} rules={[{ required: true, whitespace: true, max: 500 }]}>
        <Input.TextArea rows={3} maxLength={500} showCount data-testid="close-reason-input" />
      </Form.Item>
    </FormModal>
  );
}
