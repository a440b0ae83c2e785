import { App, Form, Input, Radio } from 'antd';
import { useTranslation } from 'react-i18next';
import { CitySelect } from '../../org/components/city-select';
import { FormModal } from '../../org/components/form-modal';
import { PlatformSelect } from '../../org/components/platform-select';
import { UnitPicker } from '../../org/components/unit-picker';
import {
  type UpdateWorkerInput,
  useCreateWorker,
  useUpdateWorker,
  VEHICLES,
  WORK_TYPES,
  WORKER_STATUSES,
  type WorkerDetail,
  type WorkerListItem,
} from '../api';
import { EnumSelect } from './enum-select';

type Values = {
  name: string;
  phone: string;
  platformId: number | null;
  platformWorkerId: string;
  workType: WorkerListItem['workType'];
  vehicle: WorkerListItem['vehicle'];
  cityCode: string | null;
  unitId?: number;
  status: WorkerListItem['status'];
};

type Props = {
  open: boolean;
  onClose: () => void;
  onDone: (worker: WorkerDetail) => void;
  /** The worker to edit; without one the form records a new worker. */
  worker?: WorkerDetail;
};

/**
 * Records a worker or changes one. Only the server knows every rule (phone format, duplicates,
 * scope), so its field errors are placed beside the fields here.
 */
export function WorkerFormModal({ open, onClose, onDone, worker }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const create = useCreateWorker();
  const update = useUpdateWorker(worker?.id ?? 0);
  const editing = worker !== undefined;

  const submit = async (values: Values) => {
    if (!worker) {
      const created = await create.mutateAsync({
        name: values.name.trim(),
        phone: values.phone.trim(),
        // The form requires both; the server names what is still wrong.
        platformId: values.platformId ?? 0,
        platformWorkerId: values.platformWorkerId.trim(),
        workType: values.workType,
        vehicle: values.vehicle,
        cityCode: values.cityCode ?? '',
        unitId: values.unitId,
        status: values.status,
      });
      void message.success(t('workers.created', { name: created.name }));
      onDone(created);
      return;
    }
    // Send only what changed, so the audit log names the real edit.
    const changes: UpdateWorkerInput = {};
    if (values.name.trim() !== worker.name) changes.name = values.name.trim();
    if (values.phone?.trim()) changes.phone = values.phone.trim();
    if (values.workType !== worker.workType) changes.workType = values.workType;
    if (values.vehicle !== worker.vehicle) changes.vehicle = values.vehicle;
    if (values.cityCode && values.cityCode !== worker.cityCode) changes.cityCode = values.cityCode;
    if (values.unitId !== undefined && values.unitId !== worker.unitId) changes.unitId = values.unitId;
    if (values.status !== worker.status) changes.status = values.status;
    const updated = Object.keys(changes).length > 0 ? await update.mutateAsync(changes) : worker;
    void message.success(t('workers.saved'));
    onDone(updated);
  };

  const initialValues: Partial<Values> = worker
    ? {
        name: worker.name,
        phone: '',
        workType: worker.workType,
        vehicle: worker.vehicle,
        cityCode: worker.cityCode,
        status: worker.status,
      }
    : { status: 'active' };

  return (
    <FormModal<Values>
      open={open}
      title={editing ? `${t('workers.detail.edit')} · ${worker.name}` : t('workers.new')}
      onClose={onClose}
      onSubmit={submit}
      submitting={create.isPending || update.isPending}
      okText={editing ? t('common.save') : undefined}
      initialValues={initialValues}
    >
      <Form.Item name="name" label={t('workers.field.name')} rules={[{ required: true, whitespace: true, max: 50 }]}>
        <Input maxLength={50} placeholder={t('workers.form.namePlaceholder')} data-testid="worker-name-input" />
      </Form.Item>
      <Form.Item
        name="phone"
        label={t('workers.field.phone')}
        rules={editing ? [] : [{ required: true, whitespace: true }]}
        extra={editing ? t('workers.form.phoneKeep') : undefined}
      >
        <Input inputMode="tel" maxLength={20} placeholder={editing ? worker.phone : t('workers.form.phonePlaceholder')} data-testid="worker-phone-input" />
      </Form.Item>
      {!editing && (
        <>
          <Form.Item name="platformId" label={t('workers.field.platform')} rules={[{ required: true }]}>
            <PlatformSelect />
          </Form.Item>
          <Form.Item name="platformWorkerId" label={t('workers.field.platformWorkerId')} rules={[{ required: true, whitespace: true, max: 64 }]}>
            <Input maxLength={64} placeholder={t('workers.form.platformWorkerIdPlaceholder')} data-testid="worker-platform-id-input" />
          </Form.Item>
        </>
      )}
      <Form.Item name="workType" label={t('workers.field.workType')} rules={[{ required: true }]}>
        <EnumSelect labels="workers.workType" values={WORK_TYPES} testId="worker-work-type-select" />
      </Form.Item>
      <Form.Item name="vehicle" label={t('workers.field.vehicle')} rules={[{ required: true }]}>
        <EnumSelect labels="workers.vehicle" values={VEHICLES} testId="worker-vehicle-select" />
      </Form.Item>
      <Form.Item name="cityCode" label={t('workers.field.city')} rules={[{ required: !editing }]}>
        <CitySelect current={worker?.cityName ? { code: worker.cityCode, name: worker.cityName, nameEn: null, province: null } : null} />
      </Form.Item>
      <Form.Item name="unitId" label={t('workers.field.unit')} extra={editing ? worker.unitName : t('workers.form.unitHint')}>
        <UnitPicker />
      </Form.Item>
      <Form.Item name="status" label={t('workers.field.status')} rules={[{ required: true }]}>
        <Radio.Group
          data-testid="worker-status-select"
          options={WORKER_STATUSES.map((status) => ({ value: status, label: t(`workers.status.${status}`) }))}
        />
      </Form.Item>
    </FormModal>
  );
}
