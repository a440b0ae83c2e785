import { App, Form, Input, InputNumber, Radio, Select, Switch } from 'antd';
import { useTranslation } from 'react-i18next';
import { FormModal } from '../../org/components/form-modal';
import { GENDERS, type Gender, MEMBER_STATUSES, type MemberDetail, type MemberStatus, MOBILITY_TYPES, type MobilityType, useCreateMember } from '../api';
import { BranchPicker } from './branch-picker';
import { enumOptions } from './enum-options';

type Values = {
  name: string;
  gender: Gender;
  birthYear: number;
  phone: string;
  idCard: string;
  joinDate: string;
  status: MemberStatus;
  unitId: number;
  isMobile: boolean;
  homeOrgText?: string;
  mobilityType?: MobilityType;
  mobilityReason?: string;
};

type Props = { open: boolean; onClose: () => void; onDone: (member: MemberDetail) => void; branch?: { id: number; name: string } };

/** Records a member hosted by a mobile branch; the server checks phone, ID number and scope and names what is wrong. */
export function MemberFormModal({ open, onClose, onDone, branch }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const create = useCreateMember();

  const submit = async (values: Values) => {
    const created = await create.mutateAsync({
      name: values.name.trim(),
      gender: values.gender,
      birthYear: values.birthYear,
      phone: values.phone.trim(),
      idCard: values.idCard.trim().toUpperCase(),
      joinDate: values.joinDate,
      status: values.status,
      unitId: values.unitId,
      isMobile: values.isMobile,
      ...(values.isMobile
        ? {
            homeOrgText: values.homeOrgText?.trim() || null,
            mobilityType: values.mobilityType ?? null,
            mobilityReason: values.mobilityReason?.trim() || null,
          }
        : {}),
    });
    void message.success(t('members.created', { name: created.name }));
    onDone(created);
  };

  return (
    <FormModal<Values>
      open={open}
      title={t('members.new')}
      onClose={onClose}
      onSubmit={submit}
      submitting={create.isPending}
      initialValues={{ status: 'full', isMobile: true, unitId: branch?.id }}
    >
      <Form.Item name="name" label={t('members.field.name')} rules={[{ required: true, whitespace: true, max: 50 }]}>
        <Input maxLength={50} placeholder={t('members.form.namePlaceholder')} data-testid="member-name-input" />
      </Form.Item>
      <Form.Item name="gender" label={t('members.field.gender')} rules={[{ required: true }]}>
        <Radio.Group options={enumOptions(t, 'members.gender', GENDERS)} data-testid="member-gender" />
      </Form.Item>
      <Form.Item name="birthYear" label={t('members.field.birthYear')} rules={[{ required: true }]}>
        <InputNumber min={1920} max={2015} precision={0} style={{ width: '100%' }} data-testid="member-birth-year-input" />
      </Form.Item>
      <Form.Item name="phone" label={t('members.field.phone')} rules={[{ required: true, whitespace: true }]}>
        <Input inputMode="tel" maxLength={20} placeholder={t('members.form.phonePlaceholder')} data-testid="member-phone-input" />
      </Form.Item>
      <Form.Item name="idCard" label={t('members.field.idCard')} rules={[{ required: true, whitespace: true, len: 18 }]}>
        <Input maxLength={18} placeholder={t('members.form.idCardPlaceholder')} data-testid="member-id-card-input" />
      </Form.Item>
      <Form.Item name="joinDate" label={t('members.field.joinDate')} rules={[{ required: true }]}>
        <Input type="date" data-testid="member-join-date-input" />
      </Form.Item>
      <Form.Item name="status" label={t('members.field.status')} rules={[{ required: true }]}>
        <Radio.Group options={enumOptions(t, 'members.status', MEMBER_STATUSES)} data-testid="member-status" />
      </Form.Item>
      <Form.Item name="unitId" label={t('members.field.unit')} rules={[{ required: true }]} extra={t('members.form.unitHint')}>
        <BranchPicker testId="member-unit-picker" current={branch} />
      </Form.Item>
      <Form.Item name="isMobile" label={t('members.field.isMobile')} valuePropName="checked">
        <Switch data-testid="member-mobile-switch" />
      </Form.Item>
      <Form.Item noStyle shouldUpdate={(a: Values, b: Values) => a.isMobile !== b.isMobile}>
        {({ getFieldValue }) =>
          getFieldValue('isMobile') ? (
            <>
              <Form.Item name="homeOrgText" label={t('members.field.homeOrg')} rules={[{ required: true, whitespace: true, max: 200 }]}>
                <Input maxLength={200} placeholder={t('members.form.homeOrgPlaceholder')} data-testid="member-home-org-input" />
              </Form.Item>
              <Form.Item name="mobilityType" label={t('members.field.mobilityType')}>
                <Select<MobilityType> allowClear placeholder={t('members.form.choose')} options={enumOptions(t, 'members.mobility', MOBILITY_TYPES)} />
              </Form.Item>
              <Form.Item name="mobilityReason" label={t('members.field.mobilityReason')} rules={[{ max: 500 }]}>
                <Input.TextArea rows={2} maxLength={500} />
              </Form.Item>
            </>
          ) : null
        }
      </Form.Item>
    </FormModal>
  );
}
