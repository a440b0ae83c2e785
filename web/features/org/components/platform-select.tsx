import { Select } from 'antd';
import type { CSSProperties } from 'react';
import { useTranslation } from 'react-i18next';
import { usePlatforms } from '../api';

type Props = { value?: number | null; onChange?: (value: number | null) => void; id?: string; placeholder?: string; style?: CSSProperties };

/** Platforms by name in the current language; clearing means "no platform". */
export function PlatformSelect({ value, onChange, id, placeholder, style }: Props) {
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
      placeholder={placeholder ?? t('org.form.platformPlaceholder')}
      style={style}
      options={(platforms.data ?? []).map((p) => ({ value: p.id, label: english ? p.nameEn || p.name : p.name }))}
      data-testid="platform-select"
    />
  );
}
