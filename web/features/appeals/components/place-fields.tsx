import { Form, Select } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useAppealPlaces } from '../worker-api';

/**
 * Platform and city, asked of someone filing without an account (a worker's come from their record):
 * only those Convoy has a unit for, so the appeal always finds a holder. Inside the filing form.
 */
export function PlaceFields() {
  const { t, i18n } = useTranslation();
  const english = i18n.language === 'en';
  const form = Form.useFormInstance<{ platformId?: number; cityCode?: string }>();
  const places = useAppealPlaces();
  const platformId = Form.useWatch('platformId', form);
  const cityCode = Form.useWatch('cityCode', form);
  const platform = places.data?.platforms.find((p) => p.id === platformId);
  // A platform with a committee takes appeals from any city (routed to the committee); otherwise only its branches' cities.
  const limited = platform !== undefined && !platform.anyCity;
  const cities = (places.data?.cities ?? []).filter((c) => !limited || platform.cityCodes.includes(c.code));

  useEffect(() => {
    if (!platform || platform.anyCity) return;
    const only = platform.cityCodes.length === 1 ? platform.cityCodes[0] : undefined;
    if (only !== undefined && cityCode === undefined) form.setFieldValue('cityCode', only);
    else if (cityCode !== undefined && !platform.cityCodes.includes(cityCode)) form.setFieldValue('cityCode', undefined);
  }, [platform, cityCode, form]);

  return (
    <>
      <Form.Item name="platformId" label={t('appeals.report.platform')} rules={[{ required: true, message: t('appeals.report.platformRequired') }]}>
        <Select<number>
          showSearch={{ optionFilterProp: 'label' }}
          loading={places.isPending}
          placeholder={t('appeals.report.platformPlaceholder')}
          options={(places.data?.platforms ?? []).map((p) => ({ value: p.id, label: english ? p.nameEn || p.name : p.name }))}
          data-testid="report-platform"
        />
      </Form.Item>
      <Form.Item name="cityCode" label={t('appeals.report.city')} rules={[{ required: true, message: t('appeals.report.cityRequired') }]}>
        <Select<string>
          showSearch={{ optionFilterProp: 'label' }}
          loading={places.isPending}
          placeholder={t('appeals.report.cityPlaceholder')}
          options={cities.map((c) => ({ value: c.code, label: english ? c.nameEn || c.name : c.name }))}
          data-testid="report-city"
        />
      </Form.Item>
    </>
  );
}
