import { LockOutlined } from '@ant-design/icons';
import { App, Button, Card, Flex, Form, Input, Radio, Switch, Typography } from 'antd';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApiErrorReporter } from '../../../lib/api-errors';
import type { AppealCategory } from '../api';
import { isAlreadyFiled, useFiling } from '../use-filing';
import { CONTACT_PREFERENCES, type ContactPreference } from '../worker-api';
import { CategoryTiles } from './category-tiles';
import { FiledResult } from './filed-result';
import { LocationField, type Position } from './location-field';
import { type PickedPhoto, PhotoPicker } from './photo-picker';

const BIG = { height: 52, fontSize: 17 } as const;

type Values = {
  category: AppealCategory;
  description: string;
  anonymous: boolean;
  address?: string;
  contactPreference: ContactPreference;
  /** Only asked of someone without an account; a worker's come from their record. */
  platformId?: number;
  cityCode?: string;
};

type Props = {
  /** The line above the form: its title and where else to go. */
  heading: ReactNode;
  /** Someone without an account can only file anonymously: no switch, just the promise. */
  alwaysAnonymous?: boolean;
  /** Form items asked before the description (platform and city for someone without an account). */
  placeFields?: ReactNode;
  testId?: string;
};

/** Filing an appeal on a phone: a tile, a few sentences, maybe a photo, one big button. */
export function AppealFilingForm({ heading, alwaysAnonymous = false, placeFields, testId }: Props) {
  const { t } = useTranslation();
  const { modal } = App.useApp();
  const reportError = useApiErrorReporter();
  const [form] = Form.useForm<Values>();
  const anonymous = alwaysAnonymous || (Form.useWatch('anonymous', form) ?? false);
  const [position, setPosition] = useState<Position | null>(null);
  const [photos, setPhotos] = useState<PickedPhoto[]>([]);
  const filing = useFiling();

  const onFinish = async (values: Values) => {
    try {
      await filing.submit(
        {
          category: values.category,
          description: values.description.trim(),
          anonymous: alwaysAnonymous || values.anonymous,
          ...(values.platformId !== undefined ? { platformId: values.platformId } : {}),
          ...(values.cityCode !== undefined ? { cityCode: values.cityCode } : {}),
          ...(position ?? {}),
          address: values.address?.trim() || undefined,
          // The server keeps no way to reach an anonymous filer.
          contactPreference: alwaysAnonymous || values.anonymous ? 'none' : values.contactPreference,
        },
        photos,
      );
    } catch (error) {
      if (isAlreadyFiled(error)) {
        modal.warning({
          title: t('appeals.file.alreadyFiledTitle'),
          content: t('appeals.file.alreadyFiledBody'),
          okText: t('appeals.file.alreadyFiledOk'),
        });
      } else reportError(error, form);
    }
  };

  const startAgain = () => {
    photos.forEach((p) => URL.revokeObjectURL(p.url));
    setPhotos([]);
    setPosition(null);
    form.resetFields();
    filing.reset();
  };

  if (filing.created) {
    return (
      <Flex vertical gap={12} style={{ maxWidth: 480, margin: '0 auto' }}>
        <FiledResult
          created={filing.created}
          photosFailed={filing.failedPhotos.length}
          retryingPhotos={filing.busy}
          onRetryPhotos={() => void filing.retryPhotos()}
          onAnother={startAgain}
        />
      </Flex>
    );
  }

  return (
    <Flex vertical gap={12} style={{ maxWidth: 480, margin: '0 auto', width: '100%' }} data-testid={testId}>
      {heading}
      <Card styles={{ body: { padding: 16 } }}>
        <Form<Values>
          form={form}
          layout="vertical"
          requiredMark={false}
          initialValues={{ anonymous: alwaysAnonymous, contactPreference: 'in_app' }}
          onFinish={(values) => void onFinish(values)}
          disabled={filing.busy}
          size="large"
        >
          {placeFields}
          <Form.Item name="category" label={t('appeals.file.category')} rules={[{ required: true, message: t('appeals.file.categoryRequired') }]}>
            <CategoryTiles />
          </Form.Item>
          <Form.Item
            name="description"
            label={t('appeals.file.description')}
            rules={[
              { required: true, whitespace: true, message: t('appeals.file.descriptionRequired') },
              { min: 5, message: t('appeals.file.descriptionShort') },
            ]}
          >
            <Input.TextArea rows={4} maxLength={4000} showCount placeholder={t('appeals.file.descriptionHint')} data-testid="appeal-description" />
          </Form.Item>
          <Form.Item label={t('appeals.file.photos')}>
            <PhotoPicker photos={photos} onChange={setPhotos} disabled={filing.busy} />
          </Form.Item>
          <Form.Item label={t('appeals.file.location')} extra={t('appeals.file.locationHint')}>
            <Flex vertical gap={8}>
              <LocationField value={position} onChange={setPosition} />
              <Form.Item name="address" noStyle>
                <Input maxLength={300} placeholder={t('appeals.file.addressPlaceholder')} data-testid="appeal-address" />
              </Form.Item>
            </Flex>
          </Form.Item>
          <Card size="small" style={{ marginBottom: 24, background: anonymous ? '#fffbe6' : undefined }} data-testid="appeal-anonymous-card">
            <Flex justify="space-between" align="center" gap={12}>
              <Typography.Text strong style={{ fontSize: 16 }}>
                <LockOutlined /> {t('appeals.file.anonymous')}
              </Typography.Text>
              {!alwaysAnonymous && (
                <Form.Item name="anonymous" valuePropName="checked" noStyle>
                  <Switch aria-label={t('appeals.file.anonymous')} data-testid="appeal-anonymous" />
                </Form.Item>
              )}
            </Flex>
            <Typography.Text type="secondary">{t(alwaysAnonymous ? 'appeals.report.anonymousAlways' : anonymous ? 'appeals.file.anonymousOn' : 'appeals.file.anonymousOff')}</Typography.Text>
          </Card>
          {!anonymous && (
            <Form.Item name="contactPreference" label={t('appeals.file.contact')}>
              <Radio.Group optionType="button" buttonStyle="solid" style={{ display: 'flex' }}>
                {CONTACT_PREFERENCES.map((p) => (
                  <Radio.Button key={p} value={p} style={{ flex: 1, textAlign: 'center' }} data-testid={`contact-${p}`}>
                    {t(`appeals.contact.${p}`)}
                  </Radio.Button>
                ))}
              </Radio.Group>
            </Form.Item>
          )}
          <Button type="primary" htmlType="submit" block loading={filing.busy} style={BIG} data-testid="appeal-submit">
            {t('appeals.file.submit')}
          </Button>
        </Form>
      </Card>
    </Flex>
  );
}
