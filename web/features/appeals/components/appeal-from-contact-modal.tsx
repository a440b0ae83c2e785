import { Alert, Button, Flex, Form, Input, Modal, Result, Select, Switch, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { useApiErrorReporter } from '../../../lib/api-errors';
import { trackPath } from '../anonymous-store';
import { type AppealCategory, type CreatedAppeal, useAppealCategories, useFileForWorker } from '../api';
import { newIdempotencyKey } from '../photos';
import { formatChinaMinute } from '../time';

/** The contact-log entry a demand was raised in. */
export type DemandContact = { id: number; workerId: number; workerName: string; demandsRaised: string };

type Values = { category: AppealCategory; description: string; anonymous: boolean };
type Props = { contact: DemandContact | null; onClose: () => void; onFiled?: (contactId: number, appeal: CreatedAppeal) => void };

/** What to hand the worker after filing: the appeal's holder, and for an anonymous one the code and link only they will have. */
export function FiledFor({ created, title }: { created: CreatedAppeal; title: string }) {
  const { t } = useTranslation();
  const anonymous = created.trackingCode !== null && created.secret !== null;
  const link = anonymous ? `${window.location.origin}${trackPath(created.trackingCode ?? '', created.secret ?? '')}` : null;
  return (
    <Result
      status="success"
      style={{ paddingBlock: 8 }}
      title={title}
      subTitle={
        <Flex vertical gap={4}>
          <span>{t('appeals.filed.holder', { unit: created.unitName })}</span>
          {created.expectedBy && <span>{t('appeals.filed.expected', { at: formatChinaMinute(created.expectedBy) })}</span>}
        </Flex>
      }
      extra={
        <Flex vertical gap={8} align="center">
          {link && (
            <>
              <Typography.Text>{t('appeals.fromContact.handOver')}</Typography.Text>
              <Typography.Title level={3} copyable style={{ margin: 0, letterSpacing: 2 }} data-testid="from-contact-code">
                {created.trackingCode}
              </Typography.Title>
              <Typography.Paragraph copyable={{ text: link }} style={{ wordBreak: 'break-all', margin: 0 }}>
                {link}
              </Typography.Paragraph>
            </>
          )}
          <Link to={`/appeals/${created.id}`} data-testid="from-contact-open">
            <Button type="primary">{t('appeals.fromContact.open')}</Button>
          </Link>
        </Flex>
      }
      data-testid="from-contact-result"
    />
  );
}

/** 转为诉求: a demand a worker raised in a contact becomes an appeal filed for them, linked to that contact. */
export function AppealFromContactModal({ contact, onClose, onFiled }: Props) {
  const { t, i18n } = useTranslation();
  const english = i18n.language === 'en';
  const [form] = Form.useForm<Values>();
  const anonymous = Form.useWatch('anonymous', form) ?? false;
  const categories = useAppealCategories().data ?? [];
  const file = useFileForWorker();
  const reportError = useApiErrorReporter();
  const [created, setCreated] = useState<CreatedAppeal | null>(null);
  // One key per opened form: a retry after a lost reply is answered with the first appeal, not a second one.
  const key = useRef(newIdempotencyKey());

  useEffect(() => {
    if (contact) {
      key.current = newIdempotencyKey();
      setCreated(null);
    }
  }, [contact]);

  const submit = async (values: Values) => {
    if (!contact) return;
    try {
      const appeal = await file.mutateAsync({
        input: { category: values.category, description: values.description.trim(), anonymous: values.anonymous, workerId: contact.workerId, contactId: contact.id },
        idempotencyKey: key.current,
      });
      setCreated(appeal);
      onFiled?.(contact.id, appeal);
    } catch (error) {
      reportError(error, form);
    }
  };

  const footer = created
    ? [
        <Button key="close" onClick={onClose} data-testid="from-contact-close">
          {t('appeals.clusters.close')}
        </Button>,
      ]
    : [
        <Button key="cancel" onClick={onClose}>
          {t('common.cancel')}
        </Button>,
        <Button key="ok" type="primary" loading={file.isPending} onClick={() => form.submit()} data-testid="from-contact-submit">
          {t('appeals.fromContact.submit')}
        </Button>,
      ];

  return (
    <Modal
      open={contact !== null}
      title={t('appeals.fromContact.title', { name: contact?.workerName ?? '' })}
      onCancel={onClose}
      footer={footer}
      destroyOnHidden
      data-testid="from-contact-modal"
    >
      {created ? (
        <FiledFor created={created} title={t('appeals.fromContact.filed', { id: created.id })} />
      ) : (
        <Form<Values>
          form={form}
          layout="vertical"
          initialValues={{ description: contact?.demandsRaised ?? '', anonymous: false }}
          onFinish={(values) => void submit(values)}
        >
          <Form.Item name="category" label={t('appeals.field.category')} rules={[{ required: true, message: t('appeals.file.categoryRequired') }]}>
            <Select<AppealCategory>
              showSearch={{ optionFilterProp: 'label' }}
              options={categories.map((c) => ({ value: c.code, label: english ? c.nameEn : c.nameZh }))}
              data-testid="from-contact-category"
            />
          </Form.Item>
          <Form.Item
            name="description"
            label={t('appeals.field.summary')}
            extra={t('appeals.fromContact.descriptionHint')}
            rules={[
              { required: true, whitespace: true, message: t('appeals.file.descriptionRequired') },
              { min: 5, message: t('appeals.file.descriptionShort') },
            ]}
          >
            <Input.TextArea rows={4} maxLength={4000} showCount data-testid="from-contact-description" />
          </Form.Item>
          <Form.Item name="anonymous" label={t('appeals.file.anonymous')} valuePropName="checked" style={{ marginBottom: 8 }}>
            <Switch data-testid="from-contact-anonymous" />
          </Form.Item>
          <Alert type={anonymous ? 'warning' : 'info'} showIcon title={t(anonymous ? 'appeals.fromContact.anonymousOn' : 'appeals.fromContact.anonymousOff')} />
        </Form>
      )}
    </Modal>
  );
}
