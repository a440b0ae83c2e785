import { PhoneOutlined } from '@ant-design/icons';
import { Alert, Button, Col, Form, Input, Modal, Radio, Row, Select, Switch } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { useApiErrorReporter } from '../../../lib/api-errors';
import { useMe } from '../../auth/api';
import { canSeeWorkers } from '../../workers/api';
import { useUnitDetail } from '../../org/api';
import { CitySelect } from '../../org/components/city-select';
import { PlatformSelect } from '../../org/components/platform-select';
import { APPEAL_HANDLER_ROLES, type AppealCategory, type CreatedAppeal, useAppealCategories, useFileForWorker } from '../api';
import { newIdempotencyKey } from '../photos';
import { CONTACT_PREFERENCES, type ContactPreference } from '../worker-api';
import { FiledFor } from './appeal-from-contact-modal';
import { CallerWorkerSelect } from './caller-worker-select';

// "Route it" instead of a unit: the appeal goes where one filed by the caller would go.
const ROUTED = 0;

type Values = {
  unitId: number;
  workerId?: number;
  platformId: number | null;
  cityCode: string | null;
  category: AppealCategory;
  description: string;
  anonymous: boolean;
  contactName?: string;
  contactPhone?: string;
  contactPreference: ContactPreference;
  address?: string;
};

/** The units this handler takes calls for: where they hold a handling role. */
function useTakingUnits() {
  const me = useMe().data;
  const seen = new Set<number>();
  return (me?.grants ?? []).flatMap((g) =>
    g.unitId !== null && APPEAL_HANDLER_ROLES.includes(g.role) && !seen.has(g.unitId) && seen.add(g.unitId) ? [{ id: g.unitId, name: g.unitName ?? `#${g.unitId}` }] : [],
  );
}

function CallForm({ onFiled }: { onFiled: (appeal: CreatedAppeal, anonymous: boolean) => void }) {
  const { t, i18n } = useTranslation();
  const english = i18n.language === 'en';
  const [form] = Form.useForm<Values>();
  const units = useTakingUnits();
  const unitId = Form.useWatch('unitId', form) ?? units[0]?.id ?? ROUTED;
  const unit = useUnitDetail(unitId === ROUTED ? null : unitId);
  const anonymous = Form.useWatch('anonymous', form) ?? false;
  const workerId = Form.useWatch('workerId', form);
  const seesWorkers = canSeeWorkers(useMe().data);
  const categories = useAppealCategories().data ?? [];
  const file = useFileForWorker();
  const reportError = useApiErrorReporter();
  // One key per opened form: a retry after a lost reply is answered with the first appeal, not a second one.
  const key = useRef(newIdempotencyKey());

  // The taking unit's platform and city are the likeliest; the handler changes them when the caller says otherwise.
  useEffect(() => {
    const u = unit.data;
    if (!u) return;
    if (!form.isFieldTouched('platformId') && u.platformId !== null) form.setFieldValue('platformId', u.platformId);
    if (!form.isFieldTouched('cityCode') && u.cityCode !== null) form.setFieldValue('cityCode', u.cityCode);
  }, [unit.data, form]);

  const submit = async (v: Values) => {
    if (v.platformId === null || v.cityCode === null) return;
    try {
      const appeal = await file.mutateAsync({
        input: {
          category: v.category,
          description: v.description.trim(),
          anonymous: v.anonymous,
          platformId: v.platformId,
          cityCode: v.cityCode,
          ...(v.unitId !== ROUTED ? { unitId: v.unitId } : {}),
          // A worker on record is named by the record; anonymity keeps neither.
          ...(!v.anonymous && v.workerId !== undefined ? { workerId: v.workerId } : {}),
          ...(!v.anonymous && v.workerId === undefined && v.contactName?.trim() ? { contactName: v.contactName.trim() } : {}),
          ...(!v.anonymous && v.workerId === undefined && v.contactPhone?.trim() ? { contactPhone: v.contactPhone.trim() } : {}),
          contactPreference: v.anonymous ? 'none' : v.contactPreference,
          address: v.address?.trim() || undefined,
        },
        idempotencyKey: key.current,
      });
      onFiled(appeal, v.anonymous);
    } catch (error) {
      reportError(error, form);
    }
  };

  return (
    <Form<Values>
      form={form}
      id="record-call-form"
      layout="vertical"
      requiredMark={false}
      initialValues={{ unitId: units[0]?.id ?? ROUTED, anonymous: false, contactPreference: 'phone' }}
      onFinish={(values) => void submit(values)}
      disabled={file.isPending}
    >
      <Form.Item name="unitId" label={t('appeals.call.unit')} extra={t('appeals.call.unitHint')}>
        <Select<number> options={[...units.map((u) => ({ value: u.id, label: u.name })), { value: ROUTED, label: t('appeals.call.routed') }]} data-testid="call-unit" />
      </Form.Item>
      <Row gutter={12}>
        <Col xs={24} sm={12}>
          <Form.Item name="platformId" label={t('appeals.field.platform')} rules={[{ required: true, message: t('appeals.report.platformRequired') }]}>
            <PlatformSelect />
          </Form.Item>
        </Col>
        <Col xs={24} sm={12}>
          <Form.Item name="cityCode" label={t('appeals.call.city')} rules={[{ required: true, message: t('appeals.report.cityRequired') }]}>
            <CitySelect current={unit.data?.city ?? null} />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item name="category" label={t('appeals.field.category')} rules={[{ required: true, message: t('appeals.file.categoryRequired') }]}>
        <Select<AppealCategory>
          showSearch={{ optionFilterProp: 'label' }}
          options={categories.map((c) => ({ value: c.code, label: english ? c.nameEn : c.nameZh }))}
          data-testid="call-category"
        />
      </Form.Item>
      <Form.Item
        name="description"
        label={t('appeals.call.description')}
        rules={[
          { required: true, whitespace: true, message: t('appeals.file.descriptionRequired') },
          { min: 5, message: t('appeals.file.descriptionShort') },
        ]}
      >
        <Input.TextArea rows={4} maxLength={4000} showCount placeholder={t('appeals.file.descriptionHint')} data-testid="call-description" />
      </Form.Item>
      <Form.Item name="address" label={t('appeals.file.location')}>
        <Input maxLength={300} placeholder={t('appeals.file.addressPlaceholder')} data-testid="call-address" />
      </Form.Item>
      <Form.Item name="anonymous" label={t('appeals.call.anonymous')} valuePropName="checked" style={{ marginBottom: 8 }}>
        <Switch data-testid="call-anonymous" />
      </Form.Item>
      {anonymous ? (
        <Alert type="warning" showIcon title={t('appeals.call.anonymousOn')} />
      ) : (
        <>
          {seesWorkers && (
            <Form.Item name="workerId" label={t('appeals.call.worker')} extra={t('appeals.call.workerHint')}>
              <CallerWorkerSelect
                onChange={(id, worker) => {
                  form.setFieldValue('workerId', id);
                  // The record says where they work; the caller's word can still change it below.
                  if (worker) form.setFieldsValue({ platformId: worker.platformId, cityCode: worker.cityCode });
                }}
              />
            </Form.Item>
          )}
          {workerId === undefined && (
            <Row gutter={12}>
              <Col xs={24} sm={12}>
                <Form.Item name="contactName" label={t('appeals.call.name')}>
                  <Input maxLength={60} data-testid="call-name" />
                </Form.Item>
              </Col>
              <Col xs={24} sm={12}>
                <Form.Item name="contactPhone" label={t('appeals.call.phone')} rules={[{ pattern: /^1\d{10}$/, message: t('appeals.call.phoneInvalid') }]}>
                  <Input maxLength={11} inputMode="tel" data-testid="call-phone" />
                </Form.Item>
              </Col>
            </Row>
          )}
          <Form.Item name="contactPreference" label={t('appeals.file.contact')}>
            <Radio.Group optionType="button" options={CONTACT_PREFERENCES.map((p) => ({ value: p, label: t(`appeals.contact.${p}`) }))} />
          </Form.Item>
        </>
      )}
    </Form>
  );
}

/** 记录来电: a handler types in what a caller says; the appeal opens at once, or hands over its code if the caller stays anonymous. */
export function RecordCallButton() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [open, setOpen] = useState(false);
  const [anonymousFiled, setAnonymousFiled] = useState<CreatedAppeal | null>(null);
  const close = () => {
    setOpen(false);
    setAnonymousFiled(null);
  };
  const filed = (appeal: CreatedAppeal, anonymous: boolean) => {
    // The caller of an anonymous appeal needs its code read out before the call ends; otherwise go straight to it.
    if (anonymous) setAnonymousFiled(appeal);
    else void navigate(`/appeals/${appeal.id}`);
  };

  return (
    <>
      <Button icon={<PhoneOutlined />} onClick={() => setOpen(true)} data-testid="record-call">
        {t('appeals.call.button')}
      </Button>
      <Modal
        open={open}
        title={t('appeals.call.title')}
        onCancel={close}
        destroyOnHidden
        width={640}
        footer={
          anonymousFiled
            ? [
                <Button key="close" onClick={close}>
                  {t('appeals.clusters.close')}
                </Button>,
              ]
            : [
                <Button key="cancel" onClick={close}>
                  {t('common.cancel')}
                </Button>,
                <Button key="ok" type="primary" htmlType="submit" form="record-call-form" data-testid="call-submit">
                  {t('appeals.call.submit')}
                </Button>,
              ]
        }
        data-testid="record-call-modal"
      >
        {anonymousFiled ? <FiledFor created={anonymousFiled} title={t('appeals.call.filed', { id: anonymousFiled.id })} /> : <CallForm onFiled={filed} />}
      </Modal>
    </>
  );
}
