import { Alert, App, Form } from 'antd';
import { useTranslation } from 'react-i18next';
import { useMoveUnit } from '../../api';
import { FormModal } from '../form-modal';
import { UnitPicker } from '../unit-picker';
import type { UnitActionProps } from './unit-action-props';

type Values = { parentId: number };

export function MoveUnitModal({ unit, open, onClose, onDone }: UnitActionProps) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const move = useMoveUnit(unit.id);

  const submit = async (values: Values) => {
    const moved = await move.mutateAsync({ parentId: values.parentId });
    void message.success(t('org.done.move'));
    onDone(moved);
  };

  return (
    <FormModal<Values> open={open} title={`${t('org.action.move')} · ${unit.name}`} onClose={onClose} onSubmit={submit} submitting={move.isPending}>
      <Alert type="info" showIcon title={t('org.form.moveHint', { name: unit.name })} style={{ marginBottom: 16 }} />
      <Form.Item name="parentId" label={t('org.form.newParent')} rules={[{ required: true }]}>
        {/* The server refuses moves under the unit's own subtree or to a kind that cannot hold it. */}
        <UnitPicker excludeIds={[unit.id, ...(unit.parentId ? [unit.parentId] : [])]} />
      </Form.Item>
    </FormModal>
  );
}
