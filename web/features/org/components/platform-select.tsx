import { Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { usePlatforms } from '../api';

type Props = { value?: number | null; onChange?: (value: number | null) => void; id?: string };

/** Platforms by name in the current language; clearing means "no platform". */
export function PlatformSelect({ value, onChange, id }: Props) {
  const { t, i18n } = useTranslation();
  const platforms = usePlatforms();
  const english = i18n.language === 'en';
  return (
    <Select<number | null>
      id={id}
      value={value ?? undefined}
      onChange={(next) => onChange?.(next ?? null)}
      allowClear
      showSearch={{ optionFilterProp: 'label' }}
      loading={platforms.isPending}
      placeholder={t('org.form.platformPlaceholder')}
      options={(platforms.data ?? []).map((p) => ({ value: p.id, label: english ? p.nameEn || p.name : p.name }))}
      data-testid="platform-select"
    />
  );
}
