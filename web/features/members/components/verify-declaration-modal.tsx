import { Alert, App, Form, Input, InputNumber, Radio, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { FormModal } from '../../org/components/form-modal';
import { type DeclarationItem, GENDERS, type Gender, MEMBER_STATUSES, type MemberStatus, MOBILITY_TYPES, type MobilityType, useVerifyDeclaration } from '../api';
import { enumOptions } from './enum-options';

type Values = { idCard: string; gender: Gender; birthYear: number; status: MemberStatus; mobilityType?: MobilityType; mobilityReason?: string };
type Props = { declaration: DeclarationItem | null; onClose: () => void };

/** Birth year and gender as a GB 11643 number states them (digits 7–10, and the parity of digit 17). */
function factsOfIdCard(idCard: string): { birthYear: number; gender: Gender } | null {
  const text = idCard.trim();
  if (!/^\d{17}[\dXx]$/.test(text)) return null;
  const birthYear = Number(text.slice(6, 10));
  return { birthYear, gender: Number(text[16]) % 2 === 1 ? 'male' : 'female' };
}

/** Verifying records the declarer as a member; the secretary adds what a worker does not declare. */
export function VerifyDeclarationModal({ declaration, onClose }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const verify = useVerifyDeclaration();

  const submit = async (values: Values) => {
    if (!declaration) return;
    await verify.mutateAsync({
      id: declaration.id,
      idCard: values.idCard.trim().toUpperCase(),
      gender: values.gender,
      birthYear: values.birthYear,
      status: values.status,
      mobilityType: values.mobilityType,
      mobilityReason: values.mobilityReason?.trim() || undefined,
    });
    void message.success(t('members.declarations.verified', { name: declaration.workerName }));
  };

  return (
    <FormModal<Values>
      open={declaration !== null}
      title={t('members.declarations.verifyTitle', { name: declaration?.workerName ?? '' })}
      onClose={onClose}
      onSubmit={submit}
      submitting={verify.isPending}
      initialValues={{ status: 'full' }}
    >
      {declaration && (
        <Alert
          type="info"
          style={{ marginBottom: 16 }}
          title={t('members.declarations.verifyIntro')}
          description={`${declaration.homeOrgText} · ${t('members.declarations.joinDate')} ${declaration.joinDate}`}
        />
      )}
      <Form.Item noStyle shouldUpdate={() => false}>
        {(instance) => {
          // Typing the ID number fills in what it already says; the secretary may still correct it.
          return (
            <Form.Item name="idCard" label={t('members.field.idCard')} rules={[{ required: true, whitespace: true, len: 18 }]}>
              <Input
                maxLength={18}
                placeholder={t('members.form.idCardPlaceholder')}
                data-testid="verify-id-card-input"
                onChange={(event) => {
                  const facts = factsOfIdCard(event.target.value);
                  if (facts) instance.setFieldsValue(facts);
                }}
              />
            </Form.Item>
          );
        }}
      </Form.Item>
      <Form.Item name="gender" label={t('members.field.gender')} rules={[{ required: true }]}>
        <Radio.Group options={enumOptions(t, 'members.gender', GENDERS)} data-testid="verify-gender" />
      </Form.Item>
      <Form.Item name="birthYear" label={t('members.field.birthYear')} rules={[{ required: true }]}>
        <InputNumber min={1920} max={2015} precision={0} style={{ width: '100%' }} data-testid="verify-birth-year-input" />
      </Form.Item>
      <Form.Item name="status" label={t('members.field.status')} rules={[{ required: true }]}>
        <Radio.Group options={enumOptions(t, 'members.status', MEMBER_STATUSES)} data-testid="verify-status" />
      </Form.Item>
      <Form.Item name="mobilityType" label={t('members.field.mobilityType')}>
        <Select<MobilityType> allowClear placeholder={t('members.form.choose')} options={enumOptions(t, 'members.mobility', MOBILITY_TYPES)} data-testid="verify-mobility-select" />
      </Form.Item>
      <Form.Item name="mobilityReason" label={t('members.field.mobilityReason')} rules={[{ max: 500 }]}>
        <Input.TextArea rows={2} maxLength={500} data-testid="verify-mobility-reason-input" />
      </Form.Item>
    </FormModal>
  );
}
