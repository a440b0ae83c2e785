import { App, Form, Input, Radio } from 'antd';
import { useTranslation } from 'react-i18next';
import { chinaToday } from '../../../../lib/format';
import { type OrgUnitDetail, type OrgUnitKindCode, useCreateUnit } from '../../api';
import { CitySelect } from '../city-select';
import { FormModal } from '../form-modal';
import { PlatformSelect } from '../platform-select';
import type { UnitActionProps } from './unit-action-props';

type Values = { name: string; kind: OrgUnitKindCode; platformId: number | null; cityCode: string | null; establishedOn: string };

/** A new unit directly beneath this one; it starts with the parent's platform and city. */
export function CreateUnitModal({ unit, open, onClose, onDone }: UnitActionProps) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const create = useCreateUnit();

  const submit = async (values: Values) => {
    const created: OrgUnitDetail = await create.mutateAsync({
      parentId: unit.id,
      name: values.name.trim(),
      kind: values.kind,
      platformId: values.platformId ?? null,
      cityCode: values.cityCode ?? null,
      establishedOn: values.establishedOn || null,
    });
    void message.success(t('org.done.create', { name: created.name }));
    onDone(created);
  };

  return (
    <FormModal<Values>
      open={open}
      title={`${t('org.action.create')} · ${unit.name}`}
      onClose={onClose}
      onSubmit={submit}
      submitting={create.isPending}
      initialValues={{
        // With one possible kind there is nothing to choose; with several the user must choose.
        kind: unit.allowedChildKinds.length === 1 ? unit.allowedChildKinds[0] : undefined,
        platformId: unit.platformId,
        cityCode: unit.cityCode,
        establishedOn: chinaToday(),
      }}
    >
      <Form.Item name="name" label={t('org.field.name')} rules={[{ required: true, whitespace: true, max: 100 }]}>
        <Input placeholder={t('org.form.namePlaceholder')} maxLength={100} data-testid="unit-name-input" />
      </Form.Item>
      <Form.Item name="kind" label={t('org.field.kind')} rules={[{ required: true }]}>
        <Radio.Group
          data-testid="unit-kind-select"
          style={{ display: 'flex', flexWrap: 'wrap', rowGap: 8 }}
          options={unit.allowedChildKinds.map((kind) => ({ value: kind, label: t(`org.kind.${kind}`) }))}
        />
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
