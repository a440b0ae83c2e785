import { Alert, App, Checkbox, Form, Input, Spin } from 'antd';
import { useTranslation } from 'react-i18next';
import { chinaToday } from '../../../../lib/format';
import { useOpenChildren, useSplitUnit } from '../../api';
import { FormModal } from '../form-modal';
import type { UnitActionProps } from './unit-action-props';

type Values = { name: string; childIds?: number[]; establishedOn: string };

/** Splits off a new sibling unit and moves the chosen children to it. */
export function SplitUnitModal({ unit, open, onClose, onDone }: UnitActionProps) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const split = useSplitUnit(unit.id);
  const children = useOpenChildren(open ? unit.id : null);

  const submit = async (values: Values) => {
    const created = await split.mutateAsync({
      name: values.name.trim(),
      childIds: values.childIds ?? [],
      ...(values.establishedOn ? { establishedOn: values.establishedOn } : {}),
    });
    void message.success(t('org.done.split', { name: created.name }));
    onDone(created);
  };

  const openChildren = children.data ?? [];
  return (
    <FormModal<Values>
      open={open}
      title={`${t('org.action.split')} · ${unit.name}`}
      onClose={onClose}
      onSubmit={submit}
      submitting={split.isPending}
      initialValues={{ childIds: [], establishedOn: chinaToday() }}
    >
      <Alert type="info" showIcon title={t('org.form.splitHint', { name: unit.name })} style={{ marginBottom: 16 }} />
      <Form.Item name="name" label={t('org.form.splitName')} rules={[{ required: true, whitespace: true, max: 100 }]}>
        <Input maxLength={100} data-testid="unit-name-input" />
      </Form.Item>
      <Form.Item
        name="childIds"
        label={t('org.form.splitChildren')}
        extra={children.isSuccess && openChildren.length === 0 ? t('org.form.splitNoChildren') : undefined}
      >
        <Checkbox.Group
          style={{ display: 'flex', flexDirection: 'column', gap: 4, maxHeight: 240, overflowY: 'auto' }}
          options={openChildren.map((child) => ({ value: child.id, label: child.name }))}
          data-testid="split-children"
        />
      </Form.Item>
      {children.isPending && <Spin size="small" />}
      <Form.Item name="establishedOn" label={t('org.field.establishedOn')}>
        <Input type="date" data-testid="established-on-input" />
      </Form.Item>
    </FormModal>
  );
}
