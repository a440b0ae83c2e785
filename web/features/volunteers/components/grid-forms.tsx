import { Form, Input, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { chinaToday } from '../../../lib/format';
import { CitySelect } from '../../org/components/city-select';
import { FormModal } from '../../org/components/form-modal';
import { type CreateGridRoleInput, GRID_ROLE_TITLES, type GridRoleView, useCreateGridRole, useEndGridRole } from '../api';
import { PersonSelect } from './person-select';

type ModalProps = { open: boolean; onClose: () => void };

/** A worker serving in a community's grid; the record is kept by the worker's serving unit unless another is named. */
export function CreateGridRoleModal({ open, onClose, unitId }: ModalProps & { unitId: number }) {
  const { t } = useTranslation();
  const create = useCreateGridRole();
  return (
    <FormModal<CreateGridRoleInput>
      open={open}
      title={t('volunteers.grid.create')}
      onClose={onClose}
      submitting={create.isPending}
      initialValues={{ roleTitle: 'part_time_grid_member', fromDate: chinaToday() }}
      onSubmit={async (values) => void (await create.mutateAsync({ ...values, gridNumber: values.gridNumber?.trim() || undefined, toDate: values.toDate || undefined }))}
    >
      <Form.Item name="workerId" label={t('volunteers.grid.worker')} rules={[{ required: true, message: t('common.required') }]}>
        <PersonSelect kind="worker" unitId={unitId} testId="grid-worker-select" />
      </Form.Item>
      <Form.Item name="cityCode" label={t('volunteers.grid.city')} rules={[{ required: true, message: t('common.required') }]}>
        <CitySelect />
      </Form.Item>
      <Form.Item name="communityName" label={t('volunteers.grid.community')} rules={[{ required: true, whitespace: true, message: t('common.required') }, { max: 100 }]}>
        <Input maxLength={100} placeholder={t('volunteers.grid.communityPlaceholder')} data-testid="grid-community-input" />
      </Form.Item>
      <Form.Item name="gridName" label={t('volunteers.grid.gridName')} rules={[{ required: true, whitespace: true, message: t('common.required') }, { max: 100 }]}>
        <Input maxLength={100} data-testid="grid-name-input" />
      </Form.Item>
      <Form.Item name="gridNumber" label={t('volunteers.grid.gridNumber')} rules={[{ max: 40 }]}>
        <Input maxLength={40} />
      </Form.Item>
      <Form.Item name="roleTitle" label={t('volunteers.grid.roleTitle')} rules={[{ required: true }]}>
        <Select options={GRID_ROLE_TITLES.map((r) => ({ value: r, label: t(`volunteers.gridTitle.${r}`) }))} />
      </Form.Item>
      <Form.Item name="fromDate" label={t('volunteers.field.fromDate')} rules={[{ required: true, message: t('common.required') }]}>
        <Input type="date" max={chinaToday()} />
      </Form.Item>
      <Form.Item name="toDate" label={t('volunteers.field.toDate')}>
        <Input type="date" />
      </Form.Item>
    </FormModal>
  );
}

export function EndGridRoleModal({ open, onClose, role }: ModalProps & { role: GridRoleView }) {
  const { t } = useTranslation();
  const end = useEndGridRole(role.id);
  return (
    <FormModal<{ toDate: string; reason?: string }>
      open={open}
      title={t('volunteers.grid.endTitle', { name: role.name ?? t('volunteers.unnamed') })}
      onClose={onClose}
      submitting={end.isPending}
      danger
      initialValues={{ toDate: chinaToday() }}
      onSubmit={async (values) => void (await end.mutateAsync({ toDate: values.toDate, reason: values.reason?.trim() || undefined }))}
    >
      <Form.Item name="toDate" label={t('volunteers.post.lastDay')} rules={[{ required: true, message: t('common.required') }]}>
        <Input type="date" max={chinaToday()} />
      </Form.Item>
      <Form.Item name="reason" label={t('volunteers.records.reason')} rules={[{ max: 500 }]}>
        <Input.TextArea rows={2} maxLength={500} />
      </Form.Item>
    </FormModal>
  );
}
