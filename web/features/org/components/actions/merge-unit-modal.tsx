import { Alert, App, Form, Input } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type OrgUnitSummary, useMergeUnits } from '../../api';
import { FormModal } from '../form-modal';
import { UnitPicker } from '../unit-picker';
import type { UnitActionProps } from './unit-action-props';

type Values = { targetId: number; reason?: string };

/** Merges THIS unit into another of the same kind, after an explicit confirmation: it cannot be undone. */
export function MergeUnitModal({ unit, open, onClose, onDone }: UnitActionProps) {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const merge = useMergeUnits();
  const [target, setTarget] = useState<OrgUnitSummary | undefined>();

  const confirmed = () =>
    new Promise<boolean>((resolve) => {
      void modal.confirm({
        title: t('org.form.mergeConfirmTitle'),
        content: t('org.form.mergeConfirmBody', { source: unit.name, target: target?.name ?? '' }),
        okText: t('org.action.merge'),
        cancelText: t('common.cancel'),
        okButtonProps: { danger: true, ...({ 'data-testid': 'confirm-ok' } as object) },
        onOk: () => resolve(true),
        onCancel: () => resolve(false),
      });
    });

  const submit = async (values: Values) => {
    if (!(await confirmed())) return false;
    const reason = values.reason?.trim();
    const merged = await merge.mutateAsync({ sourceId: unit.id, targetId: values.targetId, ...(reason ? { reason } : {}) });
    void message.success(t('org.done.merge', { name: merged.name }));
    onDone(merged);
    return true;
  };

  return (
    <FormModal<Values>
      open={open}
      title={`${t('org.action.merge')} · ${unit.name}`}
      onClose={onClose}
      onSubmit={submit}
      submitting={merge.isPending}
      danger
    >
      <Alert type="warning" showIcon title={t('org.form.mergeHint', { name: unit.name })} style={{ marginBottom: 16 }} />
      <Form.Item name="targetId" label={t('org.form.mergeTarget')} rules={[{ required: true }]}>
        <UnitPicker kind={unit.kind} excludeIds={[unit.id]} onChange={(_id, picked) => setTarget(picked)} />
      </Form.Item>
      <Form.Item name="reason" label={t('org.form.mergeReason')} rules={[{ max: 500 }]}>
        <Input.TextArea rows={2} maxLength={500} />
      </Form.Item>
    </FormModal>
  );
}
