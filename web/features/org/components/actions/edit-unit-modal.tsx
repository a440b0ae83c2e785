import { App, Form, Input } from 'antd';
import { useTranslation } from 'react-i18next';
import { type UpdateUnitInput, useUpdateUnit } from '../../api';
import { CitySelect } from '../city-select';
import { FormModal } from '../form-modal';
import { PlatformSelect } from '../platform-select';
import type { UnitActionProps } from './unit-action-props';

type Values = { name: string; platformId: number | null; cityCode: string | null; establishedOn: string };

export function EditUnitModal({ unit, open, onClose, onDone }: UnitActionProps) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const update = useUpdateUnit(unit.id);

  // Send only what changed, so the history records the real edit (a rename stays a rename).
  const submit = async (values: Values) => {
    const changes: UpdateUnitInput = {};
    if (values.name.trim() !== unit.name) changes.name = values.name.trim();
    if ((values.platformId ?? null) !== unit.platformId) changes.platformId = values.platformId ?? null;
    if ((values.cityCode ?? null) !== unit.cityCode) changes.cityCode = values.cityCode ?? null;
    if ((values.establishedOn || null) !== unit.establishedOn) changes.establishedOn = values.establishedOn || null;
    const updated = Object.keys(changes).length > 0 ? await update.mutateAsync(changes) : unit;
    void message.success(t('org.done.edit'));
    onDone(updated);
  };

  return (
    <FormModal<Values>
      open={open}
      title={`${t('org.action.edit')} · ${unit.name}`}
      onClose={onClose}
      onSubmit={submit}
      submitting={update.isPending}
      okText={t('common.save')}
      initialValues={{ name: unit.name, platformId: unit.platformId, cityCode: unit.cityCode, establishedOn: unit.establishedOn ?? '' }}
    >
      <Form.Item name="name" label={t('org.field.name')} rules={[{ required: true, whitespace: true, max: 100 }]}>
        <Input maxLength={100} data-testid="unit-name-input" />
      </Form.Item>
      <Form.Item name="platformId" label={t('org.field.platform')}>
        <PlatformSelect />
      </Form.Item>
      <Form.Item name="cityCode" label={t('org.field.city')}>
        <CitySelect current={unit.city} />
      </Form.Item>
      <Form.Item name="establishedOn" label={t('org.field.establishedOn')}>
        <Input type="date" data-testid="established-on-input" />
      </Form.Item>
    </FormModal>
  );
}
